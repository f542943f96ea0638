import { enterCode, expect, linkIn, mailsAvailable, ready, signIn, signOut, test, waitForMail } from './support';

const SERVICE = 'service@demo.emjpm.local';

/** Chooses a password on the page a mail's link opens. */
async function choosePassword(page: import('@playwright/test').Page, testInfo: import('@playwright/test').TestInfo, password: string) {
  await ready(page, testInfo);
  await page.getByLabel(/^Nouveau mot de passe/).fill(password);
  await page.getByLabel(/^Confirmation du nouveau mot de passe/).fill(password);
  await page.getByRole('button', { name: 'Enregistrer le nouveau mot de passe' }).click();
  await expect(page).toHaveURL(/\/connexion\?reinitialise=1/);
  await expect(page.getByText('Votre nouveau mot de passe est enregistré')).toBeVisible();
}

// Each project invites its own person: the accounts never collide.
test('une personne invitée ouvre son compte par le courriel reçu, puis le retrouve par « mot de passe oublié »', async ({ page }, testInfo) => {
  test.skip(!mailsAvailable(), 'serveur SMTP de test absent : lancez `cargo xtask test --only-e2e`');
  test.setTimeout(150_000);
  const email = `nouveau.${testInfo.project.name}.${Date.now()}@exemple.fr`;
  await signIn(page, testInfo, SERVICE);
  await expect(page).toHaveURL(/\/mandataire$/);
  await page.goto('/mandataire/membres');
  await ready(page, testInfo);
  await page.getByLabel(/^Prénom/).fill('Noé');
  await page.getByLabel(/^Nom/).fill('Invité');
  await page.getByLabel(/^Adresse électronique/).fill(email);
  await page.getByRole('button', { name: "Envoyer l'invitation" }).click();
  await expect(page.getByText('Invitation envoyée')).toBeVisible();
  await signOut(page, testInfo);

  // The invitation mail opens the account.
  const invitation = await waitForMail(email, 'Invitation à rejoindre');
  await page.goto(linkIn(invitation, '/mot-de-passe/nouveau'));
  await choosePassword(page, testInfo, 'premier mot de passe assez long');
  await signIn(page, testInfo, email, 'premier mot de passe assez long');
  await expect(page).toHaveURL(/\/mandataire$/);
  await signOut(page, testInfo);

  // Forgotten: a link by mail, a new password, the old one no longer opens.
  await page.goto('/mot-de-passe-oublie');
  await ready(page, testInfo);
  await page.getByLabel(/^Adresse électronique/).fill(email);
  await page.getByRole('button', { name: 'Recevoir un lien' }).click();
  await expect(page.getByText('Si un compte actif correspond à cette adresse')).toBeVisible();
  const reset = await waitForMail(email, 'Choisir un nouveau mot de passe');
  await page.goto(linkIn(reset, '/mot-de-passe/nouveau'));
  await choosePassword(page, testInfo, 'second mot de passe bien choisi');
  await signIn(page, testInfo, email, 'premier mot de passe assez long');
  await expect(page).toHaveURL(/\/connexion/);
  await signIn(page, testInfo, email, 'second mot de passe bien choisi');
  await expect(page).toHaveURL(/\/mandataire$/);

  // A second factor from "Mon compte": a key (or QR code) for the app, a first
  // code turns it on; from then on every sign-in asks a code after the password.
  await page.goto('/compte');
  await ready(page, testInfo);
  await page.getByRole('button', { name: 'Activer la double authentification' }).click();
  await expect(page).toHaveURL(/\/compte\/double-authentification$/);
  await expect(page.getByRole('img', { name: /QR code/ })).toBeVisible();
  const secret = (await page.getByTestId('cle-totp').innerText()).replace(/\s/g, '');
  await enterCode(page, testInfo, secret, /^Activer la double authentification$/);
  await expect(page.getByText('Double authentification activée')).toBeVisible();
  await signOut(page, testInfo);
  await signIn(page, testInfo, email, 'second mot de passe bien choisi');
  await expect(page).toHaveURL(/\/connexion\/code$/);
  await expect(page.getByRole('heading', { name: 'Vérification en deux étapes' })).toBeVisible();
  await enterCode(page, testInfo, secret);
  await expect(page).toHaveURL(/\/mandataire$/);

  // A used link does not open twice.
  await signOut(page, testInfo);
  await page.goto(linkIn(reset, '/mot-de-passe/nouveau'));
  await expect(page.getByText("Ce lien n'est plus valable")).toBeVisible();
});
