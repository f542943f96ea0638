import { expect, noSeriousAccessibilityIssue, ready, signIn, test } from './support';

test('la documentation de l’API se lit comme une page du service, sans défaut grave', async ({ page }, testInfo) => {
  await page.goto('/api/docs');
  await ready(page, testInfo);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText("Documentation de l'API");
  await expect(page.getByRole('heading', { name: 'POST /api/v1/mesures/{id}/refus' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Le document OpenAPI (JSON)' })).toHaveAttribute('href', '/api/openapi.json');
  await noSeriousAccessibilityIssue(page, testInfo);
});

test('l’onglet dit quelle mesure et quel mandataire on regarde', async ({ page }, testInfo) => {
  await signIn(page, testInfo, 'magistrat.lille@demo.emjpm.local');
  await expect(page).toHaveURL(/\/tribunal$/);
  await page.goto('/tribunal/mesures');
  await ready(page, testInfo);
  const first = page.locator('.emjpm-mesures h3 a').first();
  const rg = (await first.innerText()).trim(); // "RG 24/00123"
  await first.click();
  await expect(page).toHaveURL(/\/tribunal\/mesures\/\d+/);
  await expect(page).toHaveTitle(`Mesure ${rg} - Mesures du tribunal - e-MJPM`);
  // Breadcrumb links are targets of 24 px at least (WCAG 2.2, 2.5.8).
  const heights = await page.locator('.fr-breadcrumb__link').evaluateAll((links) =>
    links.map((l) => l.getBoundingClientRect().height).filter((h) => h > 0));
  for (const h of heights) expect(h).toBeGreaterThanOrEqual(24);

  await page.goto('/tribunal/recherche?lieu=Lille+%2859000%29');
  await ready(page, testInfo);
  const card = page.locator('.emjpm-carte-resultat h2 a').first();
  const name = (await card.innerText()).trim();
  await card.click();
  await expect(page).toHaveURL(/\/tribunal\/mandataires\/\d+/);
  await expect(page).toHaveTitle(`${name} - Fiche du mandataire - e-MJPM`);
});
