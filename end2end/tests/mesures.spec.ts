import { APIRequestContext, request as playwrightRequest } from '@playwright/test';
import { expect, javaScriptOn, noSeriousAccessibilityIssue, PASSWORD, ready, signIn, test } from './support';

const JUGE = 'magistrat.lille@demo.emjpm.local';
const MANDATAIRE = 'individuel@demo.emjpm.local';

/** An API client signed in as `email`. */
async function apiAs(baseURL: string, email: string): Promise<APIRequestContext> {
  const api = await playwrightRequest.newContext({ baseURL });
  const response = await api.post('/api/v1/auth/login', { data: { email, password: PASSWORD } });
  expect(response.status()).toBe(200);
  return api;
}

/** A numéro RG unique per run, browser project and test: 2 letters + 6 digits. */
function uniqueRg(projectName: string, letter: string): string {
  const first = projectName.startsWith('telephone') ? 'T' : 'B';
  const js = projectName.endsWith('sans-js') ? 1 : 0;
  return `${first}${letter}${js}${String(Date.now()).slice(-5)}`;
}

/** The judge reserves a measure with the demo individuel; returns its id. */
async function reserveWithDemoIndividuel(baseURL: string, rg: string, urgent: boolean): Promise<number> {
  const pro = await apiAs(baseURL, MANDATAIRE);
  const capacite = await (await pro.get('/api/v1/moi/capacite')).json();
  const juge = await apiAs(baseURL, JUGE);
  const response = await juge.post('/api/v1/mesures', {
    data: {
      gestionnaire_id: capacite.gestionnaire_id,
      numero_rg: rg,
      civilite: 'monsieur',
      annee_naissance: 1950,
      nature: 'tutelle',
      commune: '59350',
      urgent,
    },
  });
  expect(response.status(), await response.text()).toBe(201);
  return (await response.json()).id;
}

test('le mandataire accepte une réservation depuis son accueil, puis la clôture', async ({ page, baseURL }, testInfo) => {
  const rg = uniqueRg(testInfo.project.name, 'A');
  const id = await reserveWithDemoIndividuel(baseURL!, rg, true);

  await signIn(page, testInfo, MANDATAIRE);
  await expect(page).toHaveURL(/\/mandataire$/);
  await ready(page, testInfo);
  await expect(page.getByRole('heading', { name: /réservations? en attente/ })).toBeVisible();
  const card = page.locator('.emjpm-mesure', { hasText: `RG ${rg}` });
  await expect(card.getByText('Urgente')).toBeVisible();
  await card.getByRole('link', { name: `RG ${rg}` }).click();
  await expect(page).toHaveURL(new RegExp(`/mandataire/mesures/${id}$`));
  await ready(page, testInfo);
  await expect(page.getByRole('heading', { name: `Mesure RG ${rg}` })).toBeVisible();
  await noSeriousAccessibilityIssue(page, testInfo);

  // An établissement without its type: refused, the field named, nothing accepted.
  await page.getByLabel(/^Lieu de vie/).selectOption('etablissement');
  await page.getByLabel(/Commune de résidence/).fill('Roubaix');
  await page.getByRole('button', { name: 'Accepter la mesure' }).click();
  await expect(page.getByRole('heading', { name: "L'action n'est pas enregistrée" })).toBeVisible();
  await expect(page.locator('#type_etablissement-erreur')).toContainText("type d'établissement");
  await expect(page.getByLabel(/Commune de résidence/)).toHaveValue('Roubaix');
  await expect(page.getByText('En attente', { exact: true })).toBeVisible();

  await page.getByLabel(/^Lieu de vie/).selectOption('domicile');
  await page.getByRole('button', { name: 'Accepter la mesure' }).click();
  await expect(page).toHaveURL(/\?fait=acceptee/);
  await expect(page.getByText('Mesure acceptée')).toBeVisible();
  await expect(page.getByText('En cours', { exact: true })).toBeVisible();
  await expect(page.locator('.emjpm-fiche')).toContainText('Roubaix');

  await ready(page, testInfo);
  await page.getByLabel(/Cause de sortie/).selectOption('mainlevee');
  await page.getByRole('button', { name: 'Clôturer la mesure' }).click();
  await expect(page).toHaveURL(/\?fait=cloturee/);
  await expect(page.getByText('Mesure clôturée.')).toBeVisible();
  await expect(page.getByText('Éteinte', { exact: true })).toBeVisible();

  // The tribunal sees what became of its reservation.
  const juge = await apiAs(baseURL!, JUGE);
  const mesure = await (await juge.get(`/api/v1/mesures/${id}`)).json();
  expect(mesure.statut).toBe('eteinte');
  expect(mesure.evenements.map((e: { action: string }) => e.action)).toEqual(['cloturee', 'acceptee', 'reservee']);
});

test('le tribunal retrouve une réservation dans ses mesures et l’annule', async ({ page, baseURL }, testInfo) => {
  const rg = uniqueRg(testInfo.project.name, 'C');
  await reserveWithDemoIndividuel(baseURL!, rg, false);

  await signIn(page, testInfo, JUGE);
  await expect(page).toHaveURL(/\/tribunal$/);
  await page.goto('/tribunal/mesures');
  await ready(page, testInfo);
  await page.getByLabel('Numéro RG ou commune').fill(rg);
  await page.getByRole('button', { name: 'Filtrer' }).click();
  await expect(page.getByRole('status')).toHaveText('1 mesure');
  await page.getByRole('link', { name: `RG ${rg}` }).click();
  await ready(page, testInfo);
  await expect(page.getByRole('heading', { name: `Mesure RG ${rg}` })).toBeVisible();
  await page.getByRole('button', { name: 'Annuler la réservation' }).click();
  await expect(page).toHaveURL(/\/tribunal\/mesures\?annulee=oui/);
  await expect(page.getByText('La réservation est annulée.')).toBeVisible();
  await ready(page, testInfo);
  await page.getByLabel('Numéro RG ou commune').fill(rg);
  await page.getByRole('button', { name: 'Filtrer' }).click();
  // Kept, ended: no user action deletes a measure's history (docs/mesures-cycle-de-vie.md).
  await expect(page.getByRole('status')).toHaveText('1 mesure');
  await expect(page.locator('li.emjpm-mesure', { has: page.getByRole('link', { name: `RG ${rg}` }) })).toContainText('Éteinte');
});

test('le tribunal modifie une réservation en attente : erreurs nommées, puis enregistrée', async ({ page, baseURL }, testInfo) => {
  const rg = uniqueRg(testInfo.project.name, 'M');
  const id = await reserveWithDemoIndividuel(baseURL!, rg, false);

  await signIn(page, testInfo, JUGE);
  await expect(page).toHaveURL(/\/tribunal$/);
  await page.goto(`/tribunal/mesures/${id}`);
  await ready(page, testInfo);
  await page.getByRole('link', { name: 'Modifier la réservation' }).click();
  await expect(page).toHaveURL(new RegExp(`/tribunal/mesures/${id}/modifier$`));
  await ready(page, testInfo);
  await expect(page.getByRole('heading', { name: 'Modifier la réservation', level: 1 })).toBeVisible();
  await expect(page.getByLabel(/^Numéro RG/)).toHaveValue(rg);
  await expect(page.getByLabel(/^Nature de la mesure/)).toHaveValue('tutelle');
  await noSeriousAccessibilityIssue(page, testInfo);

  // An impossible year: refused, named, the typed values kept, nothing changed.
  await page.getByLabel(/^Année de naissance/).fill('1850');
  await page.getByLabel(/^Nature de la mesure/).selectOption('curatelle_renforcee');
  await page.locator('label[for="urgent"]').click();
  await page.getByRole('button', { name: 'Enregistrer la modification' }).click();
  await expect(page.getByRole('heading', { name: "La modification n'est pas enregistrée" })).toBeVisible();
  await expect(page.locator('#annee_naissance-erreur')).toContainText('1900');
  await expect(page.getByLabel(/^Nature de la mesure/)).toHaveValue('curatelle_renforcee');
  await expect(page.getByLabel('Mesure urgente')).toBeChecked();

  await ready(page, testInfo);
  await page.getByLabel(/^Année de naissance/).fill('1948');
  await page.getByRole('button', { name: 'Enregistrer la modification' }).click();
  await expect(page).toHaveURL(new RegExp(`/tribunal/mesures/${id}\\?fait=modifiee`));
  await expect(page.getByText('La réservation est modifiée')).toBeVisible();
  await expect(page.locator('.emjpm-fiche')).toContainText('Curatelle renforcée');
  await expect(page.locator('.emjpm-fiche')).toContainText('Monsieur, né en 1948');
  await expect(page.getByText('Urgente', { exact: true })).toBeVisible();
  await expect(page.getByText(/réservation modifiée par le tribunal/)).toBeVisible();
});

test('le mandataire enregistre directement une mesure qui lui a été confiée', async ({ page }, testInfo) => {
  const rg = uniqueRg(testInfo.project.name, 'N');
  await signIn(page, testInfo, MANDATAIRE);
  await expect(page).toHaveURL(/\/mandataire$/);
  await page.goto('/mandataire/mesures');
  await ready(page, testInfo);
  await page.getByRole('link', { name: 'Enregistrer une nouvelle mesure' }).click();
  await expect(page).toHaveURL(/\/mandataire\/mesures\/nouvelle$/);
  await ready(page, testInfo);
  await noSeriousAccessibilityIssue(page, testInfo);

  // Nothing chosen: each missing field named.
  await page.getByRole('button', { name: 'Enregistrer la mesure' }).click();
  await expect(page.getByRole('heading', { name: "La mesure n'est pas enregistrée" })).toBeVisible();
  await expect(page.locator('#tribunal_id-erreur')).toContainText('tribunal');
  await expect(page.locator('#numero_rg-erreur')).toBeVisible();

  await ready(page, testInfo);
  await page.getByLabel(/^Tribunal qui a prononcé la mesure/).selectOption({ label: 'Tribunal judiciaire de Lille (59)' });
  await page.getByLabel(/^Numéro RG/).fill(rg);
  await page.getByLabel(/^Civilité/).selectOption('madame');
  await page.getByLabel(/^Année de naissance/).fill('1938');
  await page.getByLabel(/^Nature de la mesure/).selectOption('curatelle_simple');
  await page.getByLabel(/^Lieu de vie/).selectOption('domicile');
  await page.getByLabel(/Commune de résidence/).fill('Roubaix');
  await page.getByRole('button', { name: 'Enregistrer la mesure' }).click();
  await expect(page).toHaveURL(/\/mandataire\/mesures\/\d+\?fait=creee/);
  await expect(page.getByText('Mesure enregistrée')).toBeVisible();
  await expect(page.getByRole('heading', { name: `Mesure RG ${rg}` })).toBeVisible();
  await expect(page.getByText('En cours', { exact: true })).toBeVisible();
  await expect(page.locator('.emjpm-fiche')).toContainText('Roubaix');
});

test('le mandataire suspend puis reprend la réception de mesures, motif obligatoire', async ({ page }, testInfo) => {
  // One account per screen size, so that two projects running at once do not
  // suspend and resume the same professional under each other's feet.
  const account = testInfo.project.name.startsWith('telephone') ? 'service@demo.emjpm.local' : 'prepose@demo.emjpm.local';
  await signIn(page, testInfo, account);
  await expect(page).toHaveURL(/\/mandataire$/);
  await page.getByRole('link', { name: 'Modifier ma capacité' }).click();
  await expect(page).toHaveURL(/\/mandataire\/capacite$/);
  await ready(page, testInfo);
  const souhaitees = await page.getByLabel(/^Mesures souhaitées/).inputValue();
  await noSeriousAccessibilityIssue(page, testInfo);

  await page.locator('label[for="suspendu"]').click();
  await page.getByLabel(/^Motif de la suspension/).fill('');
  await page.getByRole('button', { name: 'Enregistrer', exact: true }).click();
  await expect(page.getByRole('heading', { name: "La capacité n'est pas enregistrée" })).toBeVisible();
  await expect(page.locator('#motif_suspension-erreur')).toContainText('pourquoi');

  await ready(page, testInfo);
  await page.getByLabel(/^Motif de la suspension/).fill('Congé de formation');
  await page.getByRole('button', { name: 'Enregistrer', exact: true }).click();
  await expect(page).toHaveURL(/\?fait=capacite/);
  await expect(page.getByText('Votre capacité est enregistrée')).toBeVisible();
  await expect(page.locator('#suspendu')).toBeChecked();

  // Back to work: the reason goes with the suspension.
  await ready(page, testInfo);
  await page.locator('label[for="suspendu"]').click();
  await page.getByRole('button', { name: 'Enregistrer', exact: true }).click();
  await expect(page).toHaveURL(/\?fait=capacite/);
  await expect(page.locator('#suspendu')).not.toBeChecked();
  await expect(page.getByLabel(/^Mesures souhaitées/)).toHaveValue(souhaitees);
  await expect(page.getByLabel(/^Motif de la suspension/)).toHaveValue('');
});

test('l’accueil du mandataire montre une nouvelle réservation sans rechargement', async ({ page, baseURL }, testInfo) => {
  test.skip(!javaScriptOn(testInfo), 'le temps réel demande JavaScript ; sans lui, la page se recharge');
  await signIn(page, testInfo, MANDATAIRE);
  await expect(page).toHaveURL(/\/mandataire$/);
  await ready(page, testInfo);
  // A mark that a reload would erase.
  await page.evaluate(() => ((window as unknown as { marque: number }).marque = 42));
  const rg = uniqueRg(testInfo.project.name, 'R');
  const start = Date.now();
  await reserveWithDemoIndividuel(baseURL!, rg, true);
  await expect(page.locator('.emjpm-mesure', { hasText: `RG ${rg}` })).toBeVisible({ timeout: 5_000 });
  console.log(`${testInfo.project.name} : réservation affichée ${Date.now() - start} ms après l'appel`);
  expect(await page.evaluate(() => (window as unknown as { marque: number }).marque)).toBe(42);
});

test('le mandataire confirme ses chiffres d’un geste depuis son accueil', async ({ page }, testInfo) => {
  await signIn(page, testInfo, 'individuel@demo.emjpm.local');
  await expect(page).toHaveURL(/\/mandataire$/);
  await ready(page, testInfo);
  await page.getByRole('button', { name: 'Confirmer mes chiffres' }).click();
  await expect(page).toHaveURL(/\/mandataire\?fait=chiffres$/);
  await expect(page.getByText('Vos chiffres sont confirmés')).toBeVisible();
  await expect(page.locator('#fraicheur')).toHaveText("Chiffres mis à jour aujourd'hui");
});

test('le mandataire refuse une réservation avec son motif, le tribunal le voit', async ({ page, baseURL }, testInfo) => {
  const rg = uniqueRg(testInfo.project.name, 'R');
  const id = await reserveWithDemoIndividuel(baseURL!, rg, false);
  await signIn(page, testInfo, MANDATAIRE);
  await page.goto(`/mandataire/mesures/${id}`);
  await ready(page, testInfo);
  await expect(page.getByRole('heading', { name: 'Refuser la réservation' })).toBeVisible();

  // "Autre motif" needs the professional's words: refused, the field named.
  await page.getByLabel(/^Motif du refus/).selectOption('autre');
  await page.getByRole('button', { name: 'Refuser la réservation' }).click();
  await expect(page.getByRole('heading', { name: "L'action n'est pas enregistrée" })).toBeVisible();
  await expect(page.locator('#precision-erreur')).toContainText('Précisez');
  await expect(page.getByText('En attente', { exact: true })).toBeVisible();

  await ready(page, testInfo);
  await page.getByLabel(/^Motif du refus/).selectOption('autre');
  await page.getByLabel(/^Précision/).fill('Déménagement hors du département');
  await page.getByRole('button', { name: 'Refuser la réservation' }).click();
  await expect(page).toHaveURL(/\?fait=refusee/);
  await expect(page.getByText('Réservation refusée : le tribunal en est prévenu')).toBeVisible();
  await expect(page.getByText('Refusée', { exact: true })).toBeVisible();
  await expect(page.locator('.emjpm-fiche')).toContainText('Autre motif : Déménagement hors du département');

  const juge = await apiAs(baseURL!, JUGE);
  const mesure = await (await juge.get(`/api/v1/mesures/${id}`)).json();
  expect(mesure.statut).toBe('eteinte');
  expect(mesure.refus).toEqual({ motif: 'autre', libelle: 'Autre motif', precision: 'Déménagement hors du département' });
});
