import { expect, isPhone, ready, signIn, test } from './support';

// Signing out everywhere is tested at the HTTP level (server/tests/integration/
// sign_in.rs): here it would close the sessions of parallel tests of the account.
test('chacun retrouve son compte et ses sessions depuis la navigation', async ({ page }, testInfo) => {
  await signIn(page, testInfo, 'direction.59@demo.emjpm.local');
  await expect(page).toHaveURL(/\/direction$/);
  await ready(page, testInfo);
  if (isPhone(testInfo)) {
    await page.getByRole('button', { name: 'Menu' }).click();
  }
  await page.getByRole('link', { name: 'Mon compte' }).filter({ visible: true }).click();
  await expect(page).toHaveURL(/\/compte$/);
  await ready(page, testInfo);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Mon compte');
  await expect(page.locator('dl')).toContainText('direction.59@demo.emjpm.local');
  await expect(page.locator('dl')).toContainText('Direction départementale (59)');
  await expect(page.getByRole('heading', { name: /Sessions ouvertes \(\d+\)/ })).toBeVisible();
  await expect(page.getByText('cette session')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Se déconnecter de tous les appareils' })).toBeVisible();
});
