import { APIRequestContext, request as playwrightRequest } from '@playwright/test';
import { expect, linkIn, mailsAvailable, PASSWORD, ready, signIn, test, waitForMail } from './support';

const JUGE = 'magistrat.lille@demo.emjpm.local';
const MANDATAIRE = 'individuel@demo.emjpm.local';

async function apiAs(baseURL: string, email: string): Promise<APIRequestContext> {
  const api = await playwrightRequest.newContext({ baseURL });
  expect((await api.post('/api/v1/auth/login', { data: { email, password: PASSWORD } })).status()).toBe(200);
  return api;
}

// Two people at once, each in their own browser: the judge at a desk, the
// professional on a phone. Run once (the JavaScript desktop project).
test('boucle complète : le juge réserve, le mandataire est prévenu et accepte sur son téléphone, la recherche suit', async ({ browser, baseURL }, testInfo) => {
  test.skip(testInfo.project.name !== 'bureau-js', 'deux navigateurs à la fois : une seule fois');
  test.skip(!mailsAvailable(), 'serveur SMTP de test absent : lancez `cargo xtask test --only-e2e`');
  test.setTimeout(120_000);
  const proApi = await apiAs(baseURL!, MANDATAIRE);
  const { gestionnaire_id: id } = await (await proApi.get('/api/v1/moi/capacite')).json();
  const jugeApi = await apiAs(baseURL!, JUGE);
  const { nom } = await (await jugeApi.get(`/api/v1/gestionnaires/${id}`)).json();

  const juge = await browser.newContext({ baseURL, viewport: { width: 1280, height: 900 } });
  const pro = await browser.newContext({ baseURL, viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
  const recherche = await juge.newPage();
  const telephone = await pro.newPage();

  await signIn(telephone, testInfo, MANDATAIRE);
  await expect(telephone).toHaveURL(/\/mandataire$/);
  await ready(telephone, testInfo);
  await signIn(recherche, testInfo, JUGE);
  await expect(recherche).toHaveURL(/\/tribunal$/);
  await recherche.goto(`/tribunal/recherche?q=${encodeURIComponent(nom)}&perimetre=national`);
  await ready(recherche, testInfo);
  const carte = recherche.locator(`li.emjpm-carte-resultat[data-id="${id}"]`);
  await expect(carte).toBeVisible();
  // Marks that a reload would erase.
  for (const page of [recherche, telephone]) {
    await page.evaluate(() => ((window as unknown as { marque: number }).marque = 7));
  }
  /** The card shows what the API says now (other tests move this professional's counts too). */
  const carteAJour = async () => {
    const g = await (await jugeApi.get(`/api/v1/gestionnaires/${id}`)).json();
    const chiffres = carte.locator('dl dd');
    const enCours = (await chiffres.nth(0).innerText()).split('/')[0].trim();
    const enAttente = (await chiffres.nth(1).innerText()).trim();
    return enCours === String(g.en_cours) && enAttente === String(g.en_attente);
  };

  // The judge reserves from another tab of its browser.
  const rg = `BL${String(Date.now()).slice(-6)}`;
  const formulaire = await juge.newPage();
  await formulaire.goto(`/tribunal/mandataires/${id}/reserver`);
  await ready(formulaire, testInfo);
  await formulaire.getByLabel(/^Numéro RG/).fill(rg);
  await formulaire.getByLabel(/^Civilité/).selectOption('madame');
  await formulaire.getByLabel(/^Année de naissance/).fill('1947');
  await formulaire.getByLabel(/^Commune de la personne protégée/).fill('Roubaix (59100)');
  await formulaire.getByLabel(/^Nature de la mesure/).selectOption('tutelle');
  await formulaire.locator('label[for="urgent"]').click();
  await formulaire.getByRole('button', { name: 'Réserver la mesure' }).click();
  await expect(formulaire).toHaveURL(/\?reservee=/);

  // The professional's phone shows it at once, without reload; the search follows.
  const reservation = telephone.locator('.emjpm-mesure', { hasText: `RG ${rg}` });
  await expect(reservation).toBeVisible({ timeout: 5_000 });
  await expect.poll(carteAJour, { timeout: 5_000 }).toBe(true);
  // And the mail arrives at the SMTP server, urgent in its subject, with the link.
  const courriel = await waitForMail(MANDATAIRE, `[URGENT] Nouvelle mesure réservée : RG ${rg}`);
  const lien = linkIn(courriel, '/mandataire/mesures/');

  // Accepted on the phone, from the mail's link.
  await telephone.goto(lien);
  await ready(telephone, testInfo);
  // Where the person lives, and how far from the office, before accepting.
  await expect(telephone.getByText(/Roubaix \(59100\) — à [\d,]+ km de votre bureau/)).toBeVisible();
  await expect(telephone.getByLabel(/Commune de résidence/)).toHaveValue('Roubaix (59100)');
  await telephone.getByLabel(/^Lieu de vie/).selectOption('domicile');
  await telephone.getByLabel(/Commune de résidence/).fill('Tourcoing');
  await telephone.getByRole('button', { name: 'Accepter la mesure' }).click();
  await expect(telephone.getByText('Mesure acceptée')).toBeVisible();

  // The judge's search page shows the new figures without being reloaded.
  await expect.poll(carteAJour, { timeout: 5_000 }).toBe(true);
  expect(await recherche.evaluate(() => (window as unknown as { marque: number }).marque)).toBe(7);
  await juge.close();
  await pro.close();
});
