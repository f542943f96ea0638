import { expect, linkIn, mailsAvailable, noSeriousAccessibilityIssue, ready, signIn, signInAsAdmin, signOut, test, waitForMail } from './support';

// Each project invites its own judge: the addresses never collide.
test('l’équipe importe des contacts, les invite, et une juge invitée arrive validée par le lien du courriel', async ({ page }, testInfo) => {
  test.skip(!mailsAvailable(), 'serveur SMTP de test absent : lancez `cargo xtask test --only-e2e`');
  test.setTimeout(150_000);
  const email = `juge.${testInfo.project.name}.${Date.now()}@justice.exemple.fr`;
  await signInAsAdmin(page, testInfo);
  await page.goto('/admin/invitations');
  await ready(page, testInfo);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Invitations');
  await noSeriousAccessibilityIssue(page, testInfo);

  // A wrong file: nothing imported, each line named.
  await page.getByLabel(/^Territoire des personnes invitées/).selectOption('59');
  await page.getByLabel(/^Fichier des personnes/).setInputFiles({
    name: 'contacts.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from('role;email;prenom;nom;rattachement\navocat;a@exemple.fr;Alain;Avocat;Lille\n'),
  });
  await page.getByRole('button', { name: 'Importer le fichier' }).click();
  await expect(page.getByRole('alert').filter({ hasText: "Le fichier n'est pas importé" })).toContainText(
    'Ligne 2, colonne « role » : rôle inconnu « avocat »',
  );

  // The right file, in Windows-1252 as a spreadsheet saves it.
  await ready(page, testInfo);
  await page.getByLabel(/^Territoire des personnes invitées/).selectOption('59');
  const ligne = `magistrat;${email};Hélène;Invitée;Tribunal judiciaire de Lille\n`;
  await page.getByLabel(/^Fichier des personnes/).setInputFiles({
    name: 'contacts.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(`role;email;prenom;nom;rattachement\n${ligne}`, 'latin1'),
  });
  await page.getByRole('button', { name: 'Importer le fichier' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Fichier importé' })).toBeVisible();
  await expect(page.getByRole('table', { name: /Invitations, les plus récentes/ })).toContainText(email);
  await ready(page, testInfo);
  await page.getByRole('button', { name: /^Envoyer \d+ invitations? à envoyer/ }).click();
  await expect(page.getByRole('status').filter({ hasText: /invitations? envoyées?/ })).toBeVisible();
  // (The administrator's session is shared by the run's workers: left, never closed.)
  await page.context().clearCookies();

  // The invited judge opens the mail's link: her request is filled in.
  const mail = await waitForMail(email, 'Votre invitation à e-MJPM');
  await page.goto(linkIn(mail, '/invitation/'));
  await ready(page, testInfo);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Votre invitation à e-MJPM');
  await expect(page.getByLabel(/^Adresse électronique/)).toHaveValue(email);
  await expect(page.getByLabel(/^Prénom/)).toHaveValue('Hélène');
  await expect(page.getByLabel(/^Tribunal/)).toHaveValue(/\d+/);
  await noSeriousAccessibilityIssue(page, testInfo);
  await page.getByLabel(/^Mot de passe/).fill('une phrase assez longue');
  await page.getByLabel(/^Confirmation du mot de passe/).fill('une phrase assez longue');
  await page.getByRole('button', { name: 'Envoyer ma demande' }).click();
  // (The password is hashed with Argon2: slow on a loaded machine.)
  await expect(page).toHaveURL(/\/inscription\?envoye=1&active=1/, { timeout: 30_000 });
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Votre compte est activé');

  // Validated at once: she signs in and lands on her tribunal's home.
  await signIn(page, testInfo, email, 'une phrase assez longue');
  await expect(page).toHaveURL(/\/tribunal$/);
  await signOut(page, testInfo);

  // The team sees the invitation's life.
  await signInAsAdmin(page, testInfo);
  await page.goto('/admin/invitations?departement=59');
  await ready(page, testInfo);
  await expect(page.getByRole('row', { name: new RegExp(email.replace(/\./g, '\\.')) })).toContainText(/Compte créé|Connectée/);
});
