import { expect, noSeriousAccessibilityIssue, ready, signIn, test } from './support';

const SERVICE = 'service@demo.emjpm.local';

test('l’administrateur du service invite une personne puis la retire', async ({ page }, testInfo) => {
  const email = `invitee.${testInfo.project.name}.${Date.now()}@exemple.fr`;
  const nom = `Essai${String(Date.now()).slice(-6)}`;
  await signIn(page, testInfo, SERVICE);
  await expect(page).toHaveURL(/\/mandataire$/);
  await page.goto('/mandataire/membres');
  await ready(page, testInfo);
  await expect(page.getByRole('heading', { name: 'Membres du service', level: 1 })).toBeVisible();
  await noSeriousAccessibilityIssue(page, testInfo);

  // A wrong address: named, the typed names kept.
  await page.getByLabel(/^Prénom/).fill('Lucie');
  await page.getByLabel(/^Nom/).fill(nom);
  await page.getByLabel(/^Adresse électronique/).fill('lucie');
  await page.getByRole('button', { name: "Envoyer l'invitation" }).click();
  await expect(page.getByRole('heading', { name: "L'invitation n'est pas envoyée" })).toBeVisible();
  await expect(page.locator('#email-erreur')).toContainText('Adresse électronique invalide');
  await expect(page.getByLabel(/^Nom/)).toHaveValue(nom);

  await ready(page, testInfo);
  await page.getByLabel(/^Adresse électronique/).fill(email);
  await page.getByRole('button', { name: "Envoyer l'invitation" }).click();
  await expect(page).toHaveURL(/\/mandataire\/membres\?fait=invite/);
  await expect(page.getByText('Invitation envoyée')).toBeVisible();
  const line = page.locator('li', { hasText: email });
  await expect(line.getByText('invitation en attente')).toBeVisible();

  await ready(page, testInfo);
  await line.getByRole('button', { name: `Retirer Lucie ${nom} du service` }).click();
  await expect(page.getByText('Le membre est retiré du service')).toBeVisible();
  await expect(page.getByText(email)).toHaveCount(0);
});
