import { expect, noSeriousAccessibilityIssue, ready, signIn, test } from './support';

// A plain HTML form: the same steps with and without JavaScript.
test('un juge réserve une mesure depuis la fiche d’un mandataire', async ({ page }, testInfo) => {
  await signIn(page, testInfo, 'magistrat.lille@demo.emjpm.local');
  await page.goto('/tribunal/recherche?lieu=Lille+%2859000%29&disponible=true&nature=curatelle_renforcee');
  await ready(page, testInfo);
  const first = page.locator('.emjpm-carte-resultat').first();
  const name = (await first.locator('h2').innerText()).trim();
  await first.locator('h2 a').click();
  await expect(page).toHaveURL(/\/tribunal\/mandataires\/\d+(\?|$)/);
  await ready(page, testInfo);
  await page.getByRole('link', { name: 'Réserver une mesure' }).click();
  await expect(page).toHaveURL(/\/reserver(\?|$)/);
  await ready(page, testInfo);
  await expect(page.getByText(`Auprès de ${name}`)).toBeVisible();
  // The search's place and nature are already in the form.
  await expect(page.getByLabel(/Commune de la personne protégée/)).toHaveValue('Lille (59000)');
  await expect(page.getByLabel(/Nature de la mesure/)).toHaveValue('curatelle_renforcee');
  await noSeriousAccessibilityIssue(page, testInfo);

  // Sent incomplete: nothing is reserved, every missing field is named.
  await page.getByLabel(/Numéro RG/).fill('12/3456789');
  await page.getByLabel(/Commune de la personne protégée/).fill('');
  await page.getByRole('button', { name: 'Réserver la mesure' }).click();
  await expect(page.getByRole('heading', { name: "La réservation n'est pas enregistrée" })).toBeVisible();
  await expect(page.locator('#numero_rg-erreur')).toContainText('au plus 8');
  await expect(page.locator('#annee_naissance-erreur')).toContainText('obligatoire');
  await expect(page.locator('#commune-erreur')).toContainText('Indiquez la commune');
  await expect(page.getByLabel(/Numéro RG/)).toHaveValue('12/3456789');

  // A unique number per run and browser project: 2 letters + 6 digits.
  const rg = `${testInfo.project.name.includes('telephone') ? 'TE' : 'BU'}${String(Date.now()).slice(-6)}`;
  await page.getByLabel(/Numéro RG/).fill(rg.toLowerCase());
  await page.getByLabel(/Civilité/).selectOption('madame');
  await page.getByLabel(/Année de naissance/).fill('1948');
  await page.getByLabel(/Commune de la personne protégée/).fill('Roubaix (59100)');
  await page.getByLabel(/Nature de la mesure/).selectOption('curatelle_renforcee');
  await page.locator('label[for="urgent"]').click();
  await page.getByRole('button', { name: 'Réserver la mesure' }).click();
  await expect(page).toHaveURL(/\/tribunal\/mandataires\/\d+\?reservee=/);
  await expect(page.getByRole('heading', { name: `Mesure RG ${rg} réservée` })).toBeVisible();
  // The confirmation leads to the measure.
  await page.getByRole('link', { name: 'Voir la mesure réservée' }).click();
  await expect(page.getByRole('heading', { level: 1, name: `Mesure RG ${rg}` })).toBeVisible();
});
