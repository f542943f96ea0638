import { expect, mailsAvailable, noSeriousAccessibilityIssue, ready, signInAsAdmin, test, waitForMail } from './support';

// Each project asks the first quiet person not asked yet: never the same one twice.
test('l’équipe demande à une personne inactive pourquoi ; elle répond par le lien du courriel, en deux clics', async ({ page }, testInfo) => {
  test.skip(!mailsAvailable(), 'serveur SMTP de test absent : lancez `cargo xtask test --only-e2e`');
  test.setTimeout(150_000);
  await signInAsAdmin(page, testInfo);
  await page.goto('/admin/a-relancer');
  await ready(page, testInfo);
  const tableau = page.getByRole('table', { name: 'Les plus anciens inactifs (100 au plus)' });
  await expect(tableau).toBeVisible();
  // Rows never move (oldest activity first); each project takes its own five.
  const projet = ['bureau-js', 'telephone-js', 'bureau-sans-js', 'telephone-sans-js'].indexOf(testInfo.project.name);
  const lignes = tableau.locator('tbody tr');
  let ligne = lignes.nth(projet * 5);
  for (let i = 0; i < 5; i++) {
    ligne = lignes.nth(projet * 5 + i);
    if ((await ligne.getByRole('button', { name: /^Demander pourquoi à / }).count()) > 0) break;
  }
  const bouton = ligne.getByRole('button', { name: /^Demander pourquoi à / });
  const personne = (await ligne.getByRole('rowheader').innerText()).trim();
  const email = personne.split(/\s+/).find((mot) => mot.includes('@'))!;
  const nom = personne.split('\n')[0].trim();
  await bouton.click();
  await expect(page.getByRole('status').filter({ hasText: 'Question envoyée' })).toBeVisible();

  // The mail: one link per answer; opening one chooses the answer, nothing more.
  const courriel = await waitForMail(email, "Pourquoi n'utilisez-vous plus e-MJPM ?");
  const mot = courriel.text.split(/\s/).find((m) => m.includes('/pourquoi/') && m.includes('reponse=trop_complique'));
  expect(mot, 'lien « trop compliqué » dans le courriel').toBeTruthy();
  const lien = mot!.slice(mot!.indexOf('/pourquoi/'));
  await page.context().clearCookies();
  await page.goto(lien);
  await ready(page, testInfo);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText("Pourquoi n'utilisez-vous plus e-MJPM ?");
  await expect(page.getByLabel("C'est trop compliqué")).toBeChecked();
  await noSeriousAccessibilityIssue(page, testInfo);
  await page.getByLabel(/^En quelques mots/).fill('Trop de clics pour déclarer mes chiffres');
  await page.getByRole('button', { name: 'Envoyer ma réponse' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Merci, votre réponse est enregistrée' })).toBeVisible();

  // The team reads the answer on the person's row, and its words in the list.
  await signInAsAdmin(page, testInfo);
  await page.goto('/admin/a-relancer');
  await ready(page, testInfo);
  await expect(
    page.getByRole('table', { name: 'Les plus anciens inactifs (100 au plus)' }).getByRole('row').filter({ hasText: nom }),
  ).toContainText("réponse : C'est trop compliqué");
  await expect(page.getByText('Trop de clics pour déclarer mes chiffres').first()).toBeVisible();
});
