import { expect, isPhone, noSeriousAccessibilityIssue, ready, signIn, test } from './support';

const DDETS = 'direction.59@demo.emjpm.local';

test('une DDETS ajoute puis modifie un agrément de son département', async ({ page }, testInfo) => {
  const nom = `Agrément ${testInfo.project.name} ${Date.now()}`;
  await signIn(page, testInfo, DDETS);
  await expect(page).toHaveURL(/\/direction$/);
  await ready(page, testInfo);
  if (isPhone(testInfo)) {
    await page.getByRole('button', { name: 'Menu' }).click();
  }
  await page.getByRole('link', { name: 'Liste blanche' }).filter({ visible: true }).click();
  await expect(page).toHaveURL(/\/liste-blanche$/);
  await ready(page, testInfo);
  await expect(page.getByRole('status').first()).toContainText('département 59');

  await page.getByRole('link', { name: 'Ajouter un agrément' }).click();
  await ready(page, testInfo);
  await page.getByLabel(/^Type de mandataire/).selectOption({ label: 'Mandataire individuel' });
  await page.getByRole('button', { name: 'Continuer' }).click();
  await expect(page).toHaveURL(/type=individuel/);
  await ready(page, testInfo);
  await page.getByLabel(/^Nom/).fill(nom);
  await page.getByLabel(/^Prénom/).fill('Jeanne');
  await page.getByLabel(/^SIRET/).fill('12345678901234');
  await page.locator('label[for="departements-59"]').click();
  await page.getByLabel(/^Département financeur/).selectOption({ label: '59 — Nord' });
  await page.getByRole('button', { name: 'Enregistrer' }).click();
  // The SIRET's key is wrong: refused, what was typed is kept.
  await expect(page.getByRole('alert')).toContainText("Ce numéro SIRET n'est pas valide");
  await expect(page.getByLabel(/^Nom/)).toHaveValue(nom);
  await page.getByLabel(/^SIRET/).fill('73282932000074');
  await page.getByRole('button', { name: 'Enregistrer' }).click();
  await expect(page.getByText("L'entrée est ajoutée à la liste blanche")).toBeVisible();

  await ready(page, testInfo);
  await page.getByLabel(/^Nom, SIRET/).fill(nom);
  await page.getByRole('button', { name: 'Chercher' }).click();
  await expect(page.getByRole('status').first()).toContainText('1 agrément');
  await page.getByRole('link', { name: `Jeanne ${nom}` }).click();
  await ready(page, testInfo);
  await expect(page.getByLabel(/^Nom/)).toHaveValue(nom);
  await page.getByLabel(/^Prénom/).fill('Jeanne-Marie');
  await page.getByRole('button', { name: 'Enregistrer' }).click();
  await expect(page.getByText("L'entrée est enregistrée")).toBeVisible();
  await expect(page.getByText(`Jeanne-Marie ${nom}`)).toBeVisible();

  await noSeriousAccessibilityIssue(page, testInfo);
});
