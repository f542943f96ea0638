import { expect, noSeriousAccessibilityIssue, nothingWiderThanTheScreen, openFromNavigation, ready, signIn, test } from './support';

// A judge reads how its tribunal's reservations are spread among the
// professionals of its scope: desktop and phone, with and without JavaScript.
test('un juge voit la répartition des mesures de son tribunal entre les mandataires', async ({ page }, testInfo) => {
  await signIn(page, testInfo, 'magistrat.lille@demo.emjpm.local');
  await expect(page).toHaveURL(/\/tribunal$/);
  await openFromNavigation(page, testInfo, 'Répartition', '/tribunal/repartition');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Répartition des mesures entre les mandataires');
  await expect(page.getByRole('heading', { level: 2, name: /^Tribunal judiciaire de Lille — du \d\d\/\d\d\/\d{4} au \d\d\/\d\d\/\d{4}$/ })).toBeVisible();
  await expect(page.getByText('mandataires dans le périmètre')).toBeVisible();
  await expect(page.getByText('indice de concentration (Gini)')).toBeVisible();
  // Every professional of the scope, with its shares and its gap in points.
  const tableau = page.getByRole('table', { name: 'Répartition des réservations du tribunal par mandataire' });
  await expect(tableau.locator('tbody tr').first()).toBeVisible();
  await expect(tableau.locator('tbody tr').first()).toContainText(/point/);
  // How to read it, in plain words.
  await page.getByText('Comment lire ces chiffres').click();
  await expect(page.getByText(/L'indice de Gini va de 0/)).toBeVisible();
  // Nothing wider than the screen at phone size.
  await nothingWiderThanTheScreen(page);
  await noSeriousAccessibilityIssue(page, testInfo);
  // The same figures for machines, from the same session.
  const json = await (await page.request.get('/api/v1/repartition')).json();
  expect(json.tribunal).toBe('Tribunal judiciaire de Lille');
  expect(json.lignes.length).toBe(json.mandataires);
});

// A departmental direction chooses a tribunal of its territory.
test('une direction choisit un tribunal de son territoire et voit la répartition de ses mesures', async ({ page }, testInfo) => {
  await signIn(page, testInfo, 'direction.59@demo.emjpm.local');
  await expect(page).toHaveURL(/\/direction$/);
  await page.goto('/direction/repartition');
  await ready(page, testInfo);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText("Répartition des mesures d'un tribunal");
  await expect(page.getByText('Choisissez un tribunal de votre territoire.')).toBeVisible();
  const choix = page.getByLabel(/^Tribunal/);
  const lille = (await choix.locator('option', { hasText: 'Tribunal judiciaire de Lille (59)' }).getAttribute('value'))!;
  await choix.selectOption(lille);
  await page.getByRole('button', { name: 'Afficher la répartition' }).click();
  await expect(page).toHaveURL(new RegExp(`/direction/repartition\\?tribunal=${lille}$`));
  await ready(page, testInfo);
  await expect(page.getByRole('heading', { level: 2, name: /^Tribunal judiciaire de Lille — du / })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Répartition des réservations du tribunal par mandataire' }).locator('tbody tr').first()).toBeVisible();
  await noSeriousAccessibilityIssue(page, testInfo);
});
