import { expect, ready, test } from './support';

test('tout visiteur lit ce qu’e-MJPM conserve et combien de temps, depuis le pied de page', async ({ page }, testInfo) => {
  await page.goto('/connexion');
  await ready(page, testInfo);
  await page.getByRole('link', { name: 'Données personnelles' }).click();
  await expect(page).toHaveURL(/\/donnees-personnelles$/);
  await ready(page, testInfo);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Données personnelles');
  const table = page.getByRole('table');
  await expect(table).toContainText('5 ans après la fin de la mesure');
  await expect(table).toContainText('12 mois');
  await expect(table).toContainText('désactivé après 7 mois');
});
