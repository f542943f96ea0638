import { readFileSync } from 'node:fs';
import { expect, noSeriousAccessibilityIssue, nothingWiderThanTheScreen, openFromNavigation, ready, signIn, test } from './support';

// The Nord's DDETS opens its territory's statistics, changes the period and
// the filters, and downloads a table: desktop and phone, with and without
// JavaScript.
test('une direction ouvre les statistiques de son territoire, change la période et exporte', async ({ page }, testInfo) => {
  await signIn(page, testInfo, 'direction.59@demo.emjpm.local');
  await expect(page).toHaveURL(/\/direction$/);
  await openFromNavigation(page, testInfo, 'Statistiques', '/direction/statistiques');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Statistiques du territoire');
  await expect(page.getByRole('heading', { level: 2, name: /^Département Nord \(59\) — du \d\d\/\d\d\/\d{4} au \d\d\/\d\d\/\d{4}$/ })).toBeVisible();
  // Twelve months by default, drawn then written.
  const parMois = page.getByRole('table', { name: 'Nouvelles mesures par mois' });
  await expect(parMois.locator('tbody tr')).toHaveCount(12);
  await expect(page.getByRole('img', { name: /Nouvelles mesures par mois/ })).toBeVisible();
  // The free places by département on the map of France, the Nord in it.
  const carte = page.getByRole('img', { name: 'Carte des places libres par département' });
  await expect(carte).toBeVisible();
  await expect(carte.locator('path title', { hasText: /^59 — Nord : / })).toHaveCount(1);

  // This year, in one click.
  const annee = new Date().getFullYear();
  await page.getByRole('navigation', { name: 'Périodes usuelles' }).getByRole('link', { name: 'Cette année' }).click();
  await expect(page).toHaveURL(new RegExp(`debut=${annee}-01-01`));
  await ready(page, testInfo);
  await expect(page.getByRole('heading', { level: 2, name: new RegExp(`^Département Nord \\(59\\) — du 01/01/${annee} au `) })).toBeVisible();
  await expect(parMois.locator('tbody tr')).toHaveCount(new Date().getMonth() + 1);

  // The individual professionals only, the period kept.
  await page.getByLabel('Type de mandataire', { exact: true }).selectOption('individuel');
  await page.getByRole('button', { name: 'Afficher les statistiques' }).click();
  await expect(page).toHaveURL(/type=individuel/);
  await ready(page, testInfo);
  await expect(page.getByRole('heading', { level: 2, name: /— mandataire individuel — du 01\/01\// })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Mandataires agréés par département' }).locator('tbody tr').first()).toContainText('59 — Nord');

  // The table downloaded says what the page says.
  const section = page.locator('section', { has: page.getByRole('heading', { name: 'Nouvelles mesures par mois' }) });
  const telechargement = page.waitForEvent('download');
  await section.getByRole('link', { name: 'CSV' }).click();
  const fichier = await telechargement;
  const csv = readFileSync((await fichier.path())!, 'utf8');
  const lignes = csv.replace(/^\uFEFF/, '').trim().split('\n');
  expect(lignes[0]).toBe('Mois;Réservées par le service;Enregistrées directement');
  const premiere = (await parMois.locator('tbody tr').first().locator('th, td').allTextContents()).map((c) => c.replace(/\s/g, ''));
  expect(lignes[1].split(';').map((c) => c.replace(/\s/g, ''))).toEqual(premiere);
  const xlsx = await page.request.get((await section.getByRole('link', { name: 'XLSX' }).getAttribute('href'))!);
  expect(xlsx.headers()['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  expect((await xlsx.body()).subarray(0, 2).toString()).toBe('PK');

  // Nothing wider than the screen at phone size.
  await nothingWiderThanTheScreen(page);
  await noSeriousAccessibilityIssue(page, testInfo);
});
