import { expect, isPhone, javaScriptOn, nothingWiderThanTheScreen, ready, signIn, test } from './support';

test('sur un téléphone, le menu se referme, les résultats viennent juste après la commune, rien ne déborde', async ({ page }, testInfo) => {
  test.skip(!isPhone(testInfo), 'la taille d’un téléphone');
  await signIn(page, testInfo, 'magistrat.lille@demo.emjpm.local');
  await expect(page).toHaveURL(/\/tribunal$/);
  await ready(page, testInfo);
  await nothingWiderThanTheScreen(page);
  if (javaScriptOn(testInfo)) {
    // The page chosen in the menu folds it: the content is not pushed down.
    await page.getByRole('button', { name: 'Menu' }).click();
    await expect(page.locator('#navigation')).toBeVisible();
    await page.locator('#navigation').getByRole('link', { name: 'Mesures du tribunal' }).click();
    await expect(page).toHaveURL(/\/tribunal\/mesures/);
    await expect(page.locator('#navigation')).toBeHidden();
  } else {
    await page.goto('/tribunal/mesures');
  }
  await nothingWiderThanTheScreen(page);

  // The search: the place, then the results; the other criteria folded.
  await page.goto('/tribunal/recherche?lieu=Lille+%2859000%29');
  await ready(page, testInfo);
  await expect(page.getByLabel('Nature de la mesure')).toBeHidden();
  const count = page.locator('#nombre-resultats');
  await expect(count).toBeVisible();
  const box = await count.boundingBox();
  expect(box!.y, 'the results start on the first screen').toBeLessThan(page.viewportSize()!.height);
  await nothingWiderThanTheScreen(page);
  await page.locator('summary', { hasText: 'Filtres' }).click();
  await page.getByLabel('Nature de la mesure').selectOption('tutelle');
  if (!javaScriptOn(testInfo)) await page.getByRole('button', { name: 'Rechercher' }).click();
  await expect(page).toHaveURL(/nature=tutelle/);
  // A criterion in use keeps them open and is counted.
  await expect(page.locator('summary', { hasText: 'Filtres (1 actif)' })).toBeVisible();
  await expect(page.getByLabel('Nature de la mesure')).toBeVisible();
});

test('sur un téléphone, un service voit ses chiffres avant ses réservations, et ses antennes tiennent dans l’écran', async ({ page }, testInfo) => {
  test.skip(!isPhone(testInfo), 'la taille d’un téléphone');
  await signIn(page, testInfo, 'service@demo.emjpm.local');
  await expect(page).toHaveURL(/\/mandataire$/);
  await ready(page, testInfo);
  const figures = await page.getByText('places disponibles', { exact: true }).first().boundingBox();
  const pending = page.getByRole('heading', { name: /réservations? en attente/ });
  if (await pending.count()) {
    expect(figures!.y).toBeLessThan((await pending.first().boundingBox())!.y);
  }
  await expect(page.getByRole('table', { name: 'Capacité de chaque antenne' })).toBeVisible();
  await nothingWiderThanTheScreen(page);
  await page.goto('/mandataire/antennes');
  await ready(page, testInfo);
  await nothingWiderThanTheScreen(page);
});

test('au clavier, le focus suit : lien d’évitement, page suivante, erreurs d’un formulaire', async ({ page }, testInfo) => {
  test.skip(!javaScriptOn(testInfo) || isPhone(testInfo), 'ce que fait le script, sur un écran large');
  await signIn(page, testInfo, 'magistrat.lille@demo.emjpm.local');
  await expect(page).toHaveURL(/\/tribunal$/);
  await ready(page, testInfo);

  // "Aller au contenu" puts focus on the content, not only the scroll.
  await page.keyboard.press('Tab');
  await expect(page.getByRole('link', { name: 'Aller au contenu' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.locator('#contenu')).toBeFocused();

  // A page reached without reloading: focus on its title.
  await page.locator('#navigation').getByRole('link', { name: 'Mesures du tribunal' }).click();
  await expect(page).toHaveURL(/\/tribunal\/mesures/);
  await expect(page.locator('main h1')).toBeFocused();

  // A refused form: focus on its error summary.
  await page.goto('/compte');
  await ready(page, testInfo);
  await page.getByLabel('Mot de passe actuel').fill('pas le bon mot de passe');
  await page.locator('#nouveau').fill('un autre mot de passe assez long');
  await page.locator('#confirmation').fill('un autre mot de passe assez long');
  await page.getByRole('button', { name: 'Changer de mot de passe' }).click();
  await expect(page).toHaveURL(/\/compte\?saisie=1/);
  await ready(page, testInfo);
  await expect(page.locator('#erreurs')).toBeFocused();
  await expect(page.locator('#erreurs')).toContainText('Mot de passe actuel');
  expect(page.url()).not.toContain('autre');
});
