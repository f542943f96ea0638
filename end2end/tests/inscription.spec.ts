import { Page, TestInfo } from '@playwright/test';
import { expect, mailsAvailable, noSeriousAccessibilityIssue, ready, signIn, signInAsAdmin, signOut, test, waitForMail } from './support';

const MOT_DE_PASSE = 'cheval agrafe lumineux';
/** The demo's approved individuel who has no account yet (server/src/seed/demo.rs). */
const SIRET_AGREE = '90123456000018';

interface Profil {
  lien: string;
  role: string;
  prenom: string;
  nom: string;
  accueil: RegExp;
  remplir: (page: Page) => Promise<void>;
}

const PROFILS: Profil[] = [
  {
    lien: 'Mandataire individuel', role: 'Mandataire individuel', prenom: 'Camille', nom: 'Lambert', accueil: /\/mandataire$/,
    remplir: async (page) => {
      await page.getByLabel(/^Téléphone/).fill('03 20 11 22 33');
      await page.getByLabel(/^Numéro SIRET/).fill(SIRET_AGREE);
      await page.getByLabel(/^Adresse de votre activité/).fill('3 rue Esquermoise');
      await page.getByLabel(/^Commune/).fill('Lille (59000)');
      await page.getByLabel(/^Nombre de mesures souhaitées/).fill('35');
      await page.getByLabel(/^Tribunaux où vous exercez/).selectOption([{ label: 'Tribunal judiciaire de Lille (59)' }]);
    },
  },
  {
    lien: "Mandataire préposé d'établissement", role: "Mandataire préposé d'établissement", prenom: 'Inès', nom: 'Girard', accueil: /\/mandataire$/,
    remplir: async (page) => {
      await page.getByLabel(/^Téléphone/).fill('0320998877');
      await page.getByLabel(/^Établissement qui vous emploie/).selectOption({ index: 1 });
      await page.getByLabel(/^Nombre de mesures souhaitées/).fill('20');
    },
  },
  {
    lien: 'Service mandataire', role: 'Service mandataire', prenom: 'Hugo', nom: 'Fabre', accueil: /\/mandataire$/,
    remplir: async (page) => {
      await page.getByLabel(/^Service que vous rejoignez/).selectOption({ index: 1 });
    },
  },
  {
    lien: 'Magistrat', role: 'Magistrat', prenom: 'Paul', nom: 'Roux', accueil: /\/tribunal$/,
    remplir: async (page) => {
      await page.getByLabel(/^Tribunal/).selectOption({ label: 'Tribunal judiciaire de Lille (59)' });
      await page.getByLabel(/^Cabinet/).fill('4');
    },
  },
  {
    lien: 'Greffier', role: 'Greffier', prenom: 'Léa', nom: 'Morel', accueil: /\/tribunal$/,
    remplir: async (page) => {
      await page.getByLabel(/^Tribunal/).selectOption({ label: 'Tribunal judiciaire de Lille (59)' });
    },
  },
  {
    lien: 'Direction (DDETS, DREETS, DGCS)', role: 'Direction (DDETS, DREETS, DGCS)', prenom: 'Nina', nom: 'Blanc', accueil: /\/direction$/,
    remplir: async (page) => {
      await page.getByLabel(/^Niveau de la direction/).selectOption({ label: 'Départementale (DDETS)' });
      await page.getByLabel(/^Département/).selectOption({ label: '59 — Nord' });
      await page.getByLabel(/^Nom de la direction/).fill('DDETS du Nord');
    },
  },
];

/** Signs up through the choice page and the role's form; returns the address. */
async function signUp(page: Page, testInfo: TestInfo, profil: Profil, email: string) {
  await page.goto('/connexion');
  await ready(page, testInfo);
  await page.getByRole('link', { name: 'Pas encore de compte ? Demander une inscription' }).click();
  await expect(page).toHaveURL(/\/inscription$/);
  await ready(page, testInfo);
  await page.getByRole('link', { name: profil.lien, exact: true }).click();
  await expect(page).toHaveURL(/\/inscription\?role=/);
  await ready(page, testInfo);
  await page.getByLabel(/^Prénom/).fill(profil.prenom);
  await page.getByLabel('Nom (obligatoire)', { exact: true }).fill(profil.nom);
  await page.getByLabel(/^Adresse électronique/).fill(email);
  await profil.remplir(page);
  await page.getByLabel(/^Mot de passe/).fill(MOT_DE_PASSE);
  await page.getByLabel(/^Confirmation du mot de passe/).fill(MOT_DE_PASSE);
  await page.getByRole('button', { name: 'Envoyer ma demande' }).click();
  await expect(page.getByRole('heading', { name: "Demande d'inscription envoyée" })).toBeVisible();
  await waitForMail(email, "Votre demande d'inscription à e-MJPM");
}

// Sign-ups are limited per IP address: every profile once, in one project.
test("chaque profil demande un compte, l'administrateur le valide, la personne se connecte", async ({ page }, testInfo) => {
  test.skip(testInfo.project.name !== 'bureau-js', 'inscriptions limitées par adresse IP : une fois par profil');
  test.skip(!mailsAvailable(), 'serveur SMTP de test absent : lancez `cargo xtask test --only-e2e`');
  test.setTimeout(240_000);
  const stamp = Date.now();
  const email = (p: Profil) => `${p.prenom.toLowerCase().normalize('NFD').replace(/[^a-z]/g, '')}.${stamp}@exemple.fr`;

  // A bad SIRET is refused with its message, the rest kept.
  await page.goto('/inscription?role=individuel');
  await ready(page, testInfo);
  await noSeriousAccessibilityIssue(page, testInfo);
  await page.getByLabel(/^Prénom/).fill('Camille');
  await page.getByLabel(/^Numéro SIRET/).fill('90123456000014');
  await page.getByRole('button', { name: 'Envoyer ma demande' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'La demande n\'est pas envoyée' })).toContainText("Ce numéro SIRET n'est pas valide");
  await expect(page.getByLabel(/^Prénom/)).toHaveValue('Camille');

  for (const profil of PROFILS) {
    await signUp(page, testInfo, profil, email(profil));
  }
  // Not before an administrator's decision.
  await signIn(page, testInfo, email(PROFILS[3]), MOT_DE_PASSE);
  await expect(page.getByRole('alert')).toContainText("n'est pas actif");

  await signInAsAdmin(page, testInfo);
  await expect(page).toHaveURL(/\/admin$/);
  await page.goto('/admin/inscriptions');
  await ready(page, testInfo);
  await noSeriousAccessibilityIssue(page, testInfo);
  for (const profil of PROFILS) {
    // Other tests' sign-ups may wait beside ours: find ours by its address.
    const carte = page.getByRole('region', { name: `${profil.prenom} ${profil.nom} — ${profil.role}` }).filter({ hasText: email(profil) });
    await expect(carte).toBeVisible();
    if (profil.nom === 'Lambert') {
      // The approved entry with the same SIRET is proposed first.
      await expect(carte.getByRole('radio').first()).toBeChecked();
      await expect(carte.getByText(/Lambert.*même SIRET/)).toBeVisible();
    }
    await carte.getByRole('button', { name: `Valider l'inscription de ${profil.prenom} ${profil.nom}` }).click();
    await expect(page.getByText('Le compte est activé : la personne est prévenue')).toBeVisible();
    await ready(page, testInfo);
    await expect(page.getByText(email(profil))).toHaveCount(0);
  }
  // Leave the administrators' shared session open for the other tests; leave
  // the page first, so that no refresh of it goes out without the cookie.
  await page.goto('about:blank');
  await page.context().clearCookies();

  for (const profil of PROFILS) {
    await waitForMail(email(profil), 'Votre compte e-MJPM est activé');
    await signIn(page, testInfo, email(profil), MOT_DE_PASSE);
    await expect(page).toHaveURL(profil.accueil);
    await signOut(page, testInfo);
  }
});

test("une inscription refusée sans JavaScript, sur téléphone : la personne reçoit le motif", async ({ page }, testInfo) => {
  test.skip(testInfo.project.name !== 'telephone-sans-js', 'inscriptions limitées par adresse IP');
  test.skip(!mailsAvailable(), 'serveur SMTP de test absent : lancez `cargo xtask test --only-e2e`');
  test.setTimeout(120_000);
  const profil = PROFILS[4];
  const email = `refus.${Date.now()}@exemple.fr`;
  await signUp(page, testInfo, profil, email);
  await signInAsAdmin(page, testInfo);
  await page.goto('/admin/inscriptions');
  const carte = page.getByRole('region', { name: `${profil.prenom} ${profil.nom} — ${profil.role}` }).filter({ hasText: email });
  await carte.getByRole('button', { name: `Refuser l'inscription de ${profil.prenom} ${profil.nom}` }).click();
  await expect(page.getByText('Indiquez le motif du refus')).toBeVisible();
  await page.getByRole('region', { name: `${profil.prenom} ${profil.nom} — ${profil.role}` }).filter({ hasText: email })
    .getByLabel(/^Motif du refus/).fill('Inconnue du greffe de Lille');
  await page.getByRole('region', { name: `${profil.prenom} ${profil.nom} — ${profil.role}` }).filter({ hasText: email })
    .getByRole('button', { name: /^Refuser/ }).click();
  await expect(page.getByText("L'inscription est refusée")).toBeVisible();
  const mail = await waitForMail(email, "n'est pas acceptée");
  expect(mail.text).toContain('Motif : Inconnue du greffe de Lille');
});
