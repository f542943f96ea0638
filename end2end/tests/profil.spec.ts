import { request as playwrightRequest } from '@playwright/test';
import { expect, noSeriousAccessibilityIssue, PASSWORD, ready, signIn, test } from './support';

// Every project writes the same values: running side by side they cannot
// contradict each other.
const MANDATAIRE = 'individuel@demo.emjpm.local';
const JUGE = 'magistrat.lille@demo.emjpm.local';

test('le mandataire tient son profil à jour et le juge le lit sur sa fiche', async ({ page, baseURL }, testInfo) => {
  await signIn(page, testInfo, MANDATAIRE);
  await expect(page).toHaveURL(/\/mandataire$/);
  await page.goto('/mandataire/profil');
  await ready(page, testInfo);
  await expect(page.getByRole('heading', { name: 'Mon profil', level: 1 })).toBeVisible();
  await noSeriousAccessibilityIssue(page, testInfo);

  // A wrong number and no nature: both named, what was typed kept.
  await page.getByLabel(/^Téléphone/).fill('12');
  await page.getByLabel(/^Autres langues ou compétences/).fill('néerlandais, accompagnement budgétaire');
  const natures = page.getByRole('group', { name: /Natures de mesures que vous acceptez/ }).getByRole('checkbox');
  for (const box of await natures.all()) await box.setChecked(false, { force: true });
  await page.getByRole('button', { name: 'Enregistrer mon profil' }).click();
  await expect(page.getByRole('heading', { name: "Le profil n'est pas enregistré" })).toBeVisible();
  await expect(page.locator('#telephone-erreur')).toContainText('Numéro de téléphone invalide');
  await expect(page.locator('#natures-erreur')).toContainText('au moins une nature');
  await expect(page.getByLabel(/^Téléphone/)).toHaveValue('12');
  await expect(page.getByLabel(/^Autres langues ou compétences/)).toHaveValue('néerlandais, accompagnement budgétaire');

  await ready(page, testInfo);
  await page.getByLabel(/^Téléphone/).fill('+33 3 20 12 34 56');
  for (const box of await natures.all()) await box.setChecked(true, { force: true });
  await page.getByRole('button', { name: 'Enregistrer mon profil' }).click();
  await expect(page).toHaveURL(/\/mandataire\/profil\?fait=profil/);
  await expect(page.getByText('Votre profil est enregistré')).toBeVisible();
  await expect(page.getByLabel(/^Téléphone/)).toHaveValue('03 20 12 34 56');

  // The judge reads it on the professional's page.
  const api = await playwrightRequest.newContext({ baseURL });
  expect((await api.post('/api/v1/auth/login', { data: { email: MANDATAIRE, password: PASSWORD } })).status()).toBe(200);
  const { gestionnaire_id } = await (await api.get('/api/v1/moi/capacite')).json();
  // Leave the professional's page before its session goes: an open page
  // refreshes when the save's change notice arrives, and without the cookie
  // that refresh is refused (401), which the console reports.
  await page.goto('about:blank');
  await page.context().clearCookies();
  await signIn(page, testInfo, JUGE);
  await expect(page).toHaveURL(/\/tribunal$/);
  await page.goto(`/tribunal/mandataires/${gestionnaire_id}`);
  await ready(page, testInfo);
  await expect(page.getByText('accompagnement budgétaire')).toBeVisible();
  await expect(page.getByText('03 20 12 34 56')).toBeVisible();
});
