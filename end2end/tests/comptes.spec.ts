import { expect, isPhone, noSeriousAccessibilityIssue, ready, signIn, signInAsAdmin, test } from './support';

const PROJECTS = ['bureau-js', 'telephone-js', 'bureau-sans-js', 'telephone-sans-js'];

test('un administrateur trouve un compte, le désactive puis le réactive', async ({ page }, testInfo) => {
  await signInAsAdmin(page, testInfo);
  await expect(page).toHaveURL(/\/admin$/);
  await ready(page, testInfo);
  if (isPhone(testInfo)) {
    await page.getByRole('button', { name: 'Menu' }).click();
  }
  await page.getByRole('link', { name: 'Comptes' }).filter({ visible: true }).click();
  await expect(page).toHaveURL(/\/admin\/comptes/);
  await ready(page, testInfo);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Comptes');

  // Generated professionals' accounts, one per project so that parallel runs
  // never act on the same account (and never on an account other tests sign in with).
  await page.getByLabel('Nom ou adresse électronique').fill('mandataires.demo');
  await page.getByLabel('Statut').selectOption('actif');
  await page.getByRole('button', { name: 'Filtrer' }).click();
  await expect(page).toHaveURL(/q=mandataires.demo/);
  await expect(page.getByRole('status').first()).toContainText('comptes');
  const index = PROJECTS.indexOf(testInfo.project.name);
  const deactivate = page.getByRole('button', { name: /^Désactiver le compte de / }).nth(index);
  const label = (await deactivate.innerText()).replace('Désactiver le compte de ', '');
  await deactivate.click();
  await expect(page.getByText('Compte désactivé : ses sessions sont fermées.')).toBeVisible();

  await page.getByLabel('Nom ou adresse électronique').fill(label);
  await page.getByLabel('Statut').selectOption('inactif');
  await page.getByRole('button', { name: 'Filtrer' }).click();
  await expect(page.getByText('désactivé', { exact: true })).toBeVisible();
  await page.getByRole('button', { name: `Réactiver le compte de ${label}` }).click();
  await expect(page.getByText('Compte réactivé.')).toBeVisible();
});

test('un administrateur cherche dans le journal d’audit', async ({ page }, testInfo) => {
  await signInAsAdmin(page, testInfo);
  await expect(page).toHaveURL(/\/admin$/);
  await ready(page, testInfo);
  if (isPhone(testInfo)) {
    await page.getByRole('button', { name: 'Menu' }).click();
  }
  await page.getByRole('link', { name: "Journal d'audit" }).filter({ visible: true }).click();
  await expect(page).toHaveURL(/\/admin\/journal/);
  await ready(page, testInfo);
  await page.getByLabel(/^Action/).fill('connexion');
  await page.getByLabel(/^Personne/).fill('admin@demo');
  await page.getByRole('button', { name: 'Chercher' }).click();
  await expect(page).toHaveURL(/action=connexion/);
  await expect(page.getByRole('status').first()).toContainText('événement');
  const rows = page.locator('tbody tr');
  await expect(rows.first()).toContainText('admin@demo.emjpm.local');
  await expect(rows.first()).toContainText('connexion');
  await noSeriousAccessibilityIssue(page, testInfo);
});

test("un administrateur se connecte en tant qu'un mandataire, avec un motif, puis revient à son compte", async ({ page }, testInfo) => {
  // Its own sign-in: starting it closes the administrator's session.
  await signIn(page, testInfo, 'admin@demo.emjpm.local');
  await expect(page).toHaveURL(/\/admin$/);
  await page.goto('/admin/comptes?q=individuel%40demo.emjpm.local');
  await ready(page, testInfo);
  await page.getByText(/^Se connecter en tant que /).first().click();
  await page.getByLabel(/^Motif/).fill('Aide demandée par téléphone');
  await page.getByRole('button', { name: /^Se connecter en tant que / }).click();
  await expect(page).toHaveURL(/\/mandataire$/);
  await ready(page, testInfo);
  const bandeau = page.getByRole('region', { name: 'Connexion en tant que' });
  await expect(bandeau).toContainText('vous êtes connecté en tant que');
  await expect(bandeau).toContainText('Mandataire individuel');
  // On every page.
  await page.goto('/mandataire/mesures');
  await ready(page, testInfo);
  await expect(bandeau).toBeVisible();
  await bandeau.getByRole('button', { name: "Revenir à mon compte d'administrateur" }).click();
  await expect(page).toHaveURL(/\/admin\/comptes\?fait=incarnation/);
  await expect(page.getByText("Vous êtes revenu à votre compte d'administrateur.")).toBeVisible();
  await expect(page.getByRole('region', { name: 'Connexion en tant que' })).toHaveCount(0);
});
