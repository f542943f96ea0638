import { expect, mailsAvailable, ready, signIn, signInAsAdmin, signOut, test, waitForMail } from './support';

const MOT_DE_PASSE = 'cheval agrafe lumineux';

/**
 * Sign-ups are limited per address (10 an hour; inscription.spec.ts takes
 * six): two projects only, phone with JavaScript and desktop without, each in
 * its own département, neither open in the demo (only Hauts-de-France is,
 * Île-de-France in pilot).
 */
const DEPARTEMENTS: Record<string, { code: string; nom: string }> = {
  'telephone-js': { code: '13', nom: 'Bouches-du-Rhône' },
  'bureau-sans-js': { code: '33', nom: 'Gironde' },
};

test("une inscription d'un territoire pas encore ouvert attend à part ; l'ouverture la valide en une action", async ({ page }, testInfo) => {
  const departement = DEPARTEMENTS[testInfo.project.name];
  test.skip(!departement, 'inscriptions limitées par adresse IP : deux projets seulement');
  test.skip(!mailsAvailable(), 'serveur SMTP de test absent : lancez `cargo xtask test --only-e2e`');
  // Two Argon2 sign-ups/sign-ins and three mails: over 30 s on a loaded machine.
  test.setTimeout(150_000);
  const { code, nom } = departement;
  const territoire = `${code} — ${nom}`;
  const email = `direction.${code}.${Date.now()}@exemple.fr`;

  // A departmental direction of a territory not open asks for an account.
  await page.goto('/inscription');
  await ready(page, testInfo);
  await page.getByRole('link', { name: 'Direction (DDETS, DREETS, DGCS)', exact: true }).click();
  await expect(page).toHaveURL(/\/inscription\?role=/);
  await ready(page, testInfo);
  await page.getByLabel(/^Prénom/).fill('Maëlle');
  await page.getByLabel('Nom (obligatoire)', { exact: true }).fill(`Attente${code}`);
  await page.getByLabel(/^Adresse électronique/).fill(email);
  await page.getByLabel(/^Niveau de la direction/).selectOption({ label: 'Départementale (DDETS)' });
  await page.getByLabel(/^Département/).selectOption({ label: territoire });
  await page.getByLabel(/^Nom de la direction/).fill(`DDETS ${code}`);
  await page.getByLabel(/^Mot de passe/).fill(MOT_DE_PASSE);
  await page.getByLabel(/^Confirmation du mot de passe/).fill(MOT_DE_PASSE);
  await page.getByRole('button', { name: 'Envoyer ma demande' }).click();
  await expect(page.getByRole('heading', { name: "Demande d'inscription envoyée" })).toBeVisible({ timeout: 30_000 });
  await waitForMail(email, "Votre demande d'inscription à e-MJPM");

  // The team sees it on the waiting list, with its territory, apart from the others.
  await signInAsAdmin(page, testInfo);
  await page.goto('/admin/inscriptions');
  await ready(page, testInfo);
  await expect(page.getByRole('heading', { name: /^Liste d'attente : territoires pas encore ouverts/ })).toBeVisible();
  const carte = page.getByRole('region', { name: `Maëlle Attente${code} — Direction (DDETS, DREETS, DGCS)` }).filter({ hasText: email });
  await expect(carte).toContainText(`${territoire} (pas encore ouvert)`);

  // Its département's page keeps it waiting until the team opens it.
  await page.goto(`/admin/deploiement/${code}`);
  await ready(page, testInfo);
  await expect(page.getByRole('heading', { name: /^Inscriptions en attente/ })).toBeVisible();
  await expect(page.getByRole('listitem').filter({ hasText: `Maëlle Attente${code}` })).toBeVisible();
  await expect(page.getByText("Le département n'est pas ouvert : ces inscriptions sont en liste d'attente.")).toBeVisible();
  await page.getByText('Pilote', { exact: true }).click();
  await page.getByLabel(/^Vague/).fill('Essai navigateur');
  await page.getByRole('button', { name: "Enregistrer l'état" }).click();
  await expect(page.getByRole('status').filter({ hasText: 'État du déploiement enregistré' })).toBeVisible();
  await ready(page, testInfo);
  await page.getByRole('button', { name: 'Valider 1 inscription en attente' }).click();
  await expect(page.getByRole('status').filter({ hasText: '1 inscription validée ; 0 à décider' })).toBeVisible();
  await ready(page, testInfo);
  await expect(page.getByText("Aucune inscription de ce département n'attend de décision.")).toBeVisible();

  // The person is told, and signs in to the figures of its territory. Leave
  // the team's shared session open for the other tests.
  await waitForMail(email, 'Votre compte e-MJPM est activé');
  await page.goto('about:blank');
  await page.context().clearCookies();
  await signIn(page, testInfo, email, MOT_DE_PASSE);
  await expect(page).toHaveURL(/\/direction$/, { timeout: 30_000 });
  await signOut(page, testInfo);
});
