import { expect, isPhone, javaScriptOn, noSeriousAccessibilityIssue, ready, signIn, test } from './support';

test('un juge cherche un mandataire disponible près de Lille, ouvre sa fiche et ajoute une observation', async ({ page }, testInfo) => {
  await signIn(page, testInfo, 'magistrat.lille@demo.emjpm.local');
  await expect(page).toHaveURL(/\/tribunal$/);
  await page.getByRole('link', { name: 'Trouver un mandataire' }).first().click();
  await expect(page).toHaveURL(/\/tribunal\/recherche/);
  await ready(page, testInfo);
  await noSeriousAccessibilityIssue(page, testInfo);

  // Hydrated, every change runs the search (and updates the URL) at once;
  // without JavaScript the judge submits the form.
  const js = javaScriptOn(testInfo);
  await page.getByLabel('Commune ou code postal').fill('Lille (59000)');
  if (js) {
    await page.getByLabel('Commune ou code postal').press('Tab');
    await expect(page).toHaveURL(/lieu=Lille/);
  }
  // The other criteria are folded on a phone and without JavaScript.
  if (!(await page.getByLabel('Nature de la mesure').isVisible())) await page.locator('summary', { hasText: 'Filtres' }).click();
  await page.getByLabel('Nature de la mesure').selectOption('curatelle_renforcee');
  if (js) await expect(page).toHaveURL(/nature=curatelle_renforcee/);
  await page.locator('label[for="disponible"]').click();
  if (!js) await page.getByRole('button', { name: 'Rechercher' }).click();
  await expect(page).toHaveURL(/disponible=true/);
  await expect(page).toHaveURL(/nature=curatelle_renforcee/);
  await expect(page.getByText('Distances depuis Lille')).toBeVisible();
  const status = page.locator('#nombre-resultats');
  await expect(status).toHaveAttribute('role', 'status');
  await expect(status).toContainText(/mandataires? trouvés?/);
  const cards = page.locator('.emjpm-carte-resultat');
  await expect(cards.first()).toBeVisible();
  // Only available professionals, nearest first.
  // (The list may be redrawn by a live update between two reads: wait for the
  // count to agree rather than compare two instants.)
  await expect
    .poll(async () => {
      const badges = await cards.locator('.emjpm-etat').allInnerTexts();
      const count = await cards.count();
      return count > 0 && badges.length === count && badges.every((b) => /^disponible$/i.test(b.trim()));
    })
    .toBeTruthy();
  const distances = (await cards.locator('p.fr-text--sm').allInnerTexts())
    .map((t) => t.match(/— ([\d,]+) km/))
    .filter(Boolean)
    .map((m) => Number(m![1].replace(',', '.')));
  expect(distances).toEqual([...distances].sort((a, b) => a - b));
  // Each card says why it is proposed, the order's criterion first.
  await expect(cards.first().locator('.emjpm-raisons')).toContainText(/Pourquoi ce mandataire : à [\d,]+ km/);
  // Fair distribution: those the tribunal asked least recently come first.
  await page.getByLabel('Trier par').selectOption('equitable');
  if (!js) await page.getByRole('button', { name: 'Rechercher' }).click();
  await expect(page).toHaveURL(/tri=equitable/);
  await expect(cards.first().locator('.emjpm-raisons')).toContainText(
    /Pourquoi ce mandataire : (jamais sollicité par votre tribunal|dernière réservation de votre tribunal)/,
  );

  if (javaScriptOn(testInfo)) {
    // The map shows one marker per card of the page; on a phone, once asked for.
    if (isPhone(testInfo)) {
      await expect(page.locator('#carte')).toBeHidden();
      await page.getByRole('button', { name: 'Afficher la carte' }).click();
    }
    await expect(page.locator('#carte')).toBeVisible();
    // (Both counts read together until they agree: a live update may redraw
    // the list — for an instant empty — between two reads.)
    const markers = page.locator('#carte path.emjpm-marqueur');
    await expect
      .poll(async () => {
        const count = await cards.count();
        return count > 0 && (await markers.count()) === count;
      }, { timeout: 10_000 })
      .toBeTruthy();
  } else {
    await expect(page.locator('#carte')).toBeHidden();
  }

  const name = (await cards.first().locator('h2').innerText()).trim();
  await cards.first().locator('h2 a').click();
  await expect(page).toHaveURL(/\/tribunal\/mandataires\/\d+/);
  await ready(page, testInfo);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(name);
  await noSeriousAccessibilityIssue(page, testInfo);

  const note = `Observation de test ${testInfo.project.name} ${Date.now()}`;
  await page.getByLabel('Nouvelle observation').fill(note);
  await page.getByRole('button', { name: 'Ajouter l’observation' }).or(page.getByRole('button', { name: "Ajouter l'observation" })).click();
  await expect(page.locator('.emjpm-note__texte', { hasText: note })).toBeVisible();
});

test('un juge de Lille tape « St-Amand » : on lui demande laquelle, la plus proche en premier', async ({ page }, testInfo) => {
  await signIn(page, testInfo, 'magistrat.lille@demo.emjpm.local');
  await page.goto('/tribunal/recherche');
  await ready(page, testInfo);
  await page.getByLabel('Commune ou code postal').fill('St-Amand');
  if (javaScriptOn(testInfo)) {
    await page.getByLabel('Commune ou code postal').press('Enter');
  } else {
    await page.getByRole('button', { name: 'Rechercher' }).click();
  }
  await expect(page.getByRole('heading', { name: /Plusieurs communes correspondent à « St-Amand »/ })).toBeVisible();
  const choices = page.locator('.emjpm-choix-communes a');
  await expect(choices.first()).toContainText('Saint-Amand-les-Eaux (59230)');
  await expect(page.locator('.emjpm-carte-resultat')).toHaveCount(0);
  await choices.first().click();
  await expect(page.getByText('Distances depuis Saint-Amand-les-Eaux')).toBeVisible();
  await expect(page.locator('.emjpm-carte-resultat').first()).toBeVisible();
});

test('un mandataire ne peut pas ouvrir la recherche des juges', async ({ page }, testInfo) => {
  await signIn(page, testInfo, 'individuel@demo.emjpm.local');
  await expect(page).toHaveURL(/\/mandataire$/);
  await page.goto('/tribunal/recherche');
  await expect(page).toHaveURL(/\/mandataire$/);
});

test('la page de recherche ne charge que son propre code, annoncé dès le HTML', async ({ page }, testInfo) => {
  test.skip(!javaScriptOn(testInfo), 'le code de la page ne concerne que le navigateur avec JavaScript');
  await signIn(page, testInfo, 'magistrat.lille@demo.emjpm.local');
  const wasm: string[] = [];
  page.on('request', (request) => {
    if (request.url().endsWith('.wasm')) wasm.push(request.url());
  });
  await page.goto('/tribunal/recherche?lieu=Lille+%2859000%29&commune=59350');
  await ready(page, testInfo);
  await expect(page.locator('.emjpm-carte-resultat').first()).toBeVisible();
  // The page's own part (app/src/pages.rs) is named in the HTML, fetched with
  // the main module, and loaded; the other roles' pages are not.
  await expect(page.locator('meta[name="emjpm-parties"]')).toHaveAttribute('content', /split_recherche_\d+\.wasm/);
  await expect(page.locator('link[rel="preload"][href*="/split_recherche_"]')).toHaveCount(1);
  expect(wasm.some((url) => url.includes('/split_recherche_'))).toBeTruthy();
  expect(wasm.some((url) => url.endsWith('/emjpm_bg.wasm'))).toBeTruthy();
  const otherRoles = wasm.filter((url) => /\/split_(mandataire|territoire|administration)_/.test(url));
  expect(otherRoles).toEqual([]);
});
