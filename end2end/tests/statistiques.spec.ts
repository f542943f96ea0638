import { expect, noSeriousAccessibilityIssue, ready, test } from './support';

// A visitor, not signed in, at desktop and phone size, with and without JavaScript.
test('un visiteur lit les chiffres publics du service depuis le pied de page', async ({ page }, testInfo) => {
  await page.context().clearCookies();
  await page.goto('/');
  await ready(page, testInfo);
  await page.getByRole('contentinfo').getByRole('link', { name: 'Statistiques', exact: true }).click();
  await expect(page).toHaveURL(/\/statistiques$/);
  await ready(page, testInfo);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText("L'impact d'e-MJPM");
  await expect(page.getByText(/^Chiffres calculés le \d\d\/\d\d\/\d{4} à \d\d h \d\d, recalculés chaque jour/)).toBeVisible();
  // The demo's rollout: Hauts-de-France open, Île-de-France in pilot.
  const territoires = page.getByRole('table', { name: 'Départements ouverts, en pilote et prévus' });
  await expect(territoires.getByRole('row', { name: /^75 — Paris/ })).toContainText('Pilote');
  await expect(territoires).toContainText('59 — Nord');
  // The chart is a picture with its words, followed by the same numbers.
  await expect(page.getByRole('img', { name: /Mesures réservées par le service, chacun des 12 derniers mois/ })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Mesures réservées par le service, par mois' }).locator('tbody tr')).toHaveCount(12);
  await expect(page.getByText('délai médian entre la réservation d\'une mesure et son acceptation')).toBeVisible();
  await noSeriousAccessibilityIssue(page, testInfo);
  // The same figures for machines.
  const json = await (await page.request.get('/api/v1/statistiques/publiques')).json();
  expect(json.reservations_par_mois).toHaveLength(12);
  expect(json.departements_pilotes).toContain('75 — Paris');
});
