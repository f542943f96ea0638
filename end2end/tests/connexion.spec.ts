import { ACCOUNTS, expect, isPhone, ready, signIn, test } from './support';

test('la page de connexion a ses liens d’évitement et l’en-tête du service', async ({ page }, testInfo) => {
  await page.goto('/connexion');
  await ready(page, testInfo);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Connexion');
  await expect(page.getByRole('link', { name: 'Aller au contenu' })).toBeAttached();
  await expect(page.locator('header')).toContainText('e-MJPM');
});

test('un mauvais mot de passe est refusé avec un message clair', async ({ page }, testInfo) => {
  await signIn(page, testInfo, 'magistrat.lille@demo.emjpm.local', 'pas-le-bon');
  await expect(page).toHaveURL(/\/connexion/);
  await expect(page.getByRole('alert')).toContainText('Adresse électronique ou mot de passe incorrect');
});

for (const account of ACCOUNTS) {
  test(`${account.email} arrive sur sa page d’accueil puis se déconnecte`, async ({ page }, testInfo) => {
    await signIn(page, testInfo, account.email);
    await expect(page).toHaveURL(new RegExp(`${account.home}$`));
    await ready(page, testInfo);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(account.title);
    // Every page, signed in too, keeps the skip link and the service's name.
    await expect(page.getByRole('link', { name: 'Aller au contenu' })).toBeAttached();
    await expect(page.locator('header')).toContainText('e-MJPM');
    if (isPhone(testInfo)) {
      // On a phone the navigation, sign-out included, is behind the "Menu" button.
      await page.getByRole('button', { name: 'Menu' }).click();
    }
    await page.getByRole('button', { name: 'Se déconnecter' }).filter({ visible: true }).click();
    await expect(page).toHaveURL(/\/connexion/);
    await expect(page.getByText('Vous êtes déconnecté.')).toBeVisible();
  });
}
