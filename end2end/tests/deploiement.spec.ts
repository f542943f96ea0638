import { expect, noSeriousAccessibilityIssue, ready, signInAsAdmin, test } from './support';

test('l’équipe ouvre un département depuis la console de déploiement', async ({ page }, testInfo) => {
  // Two pages holding the map of France, each checked by axe: on a loaded
  // machine this takes longer than the default 30 s (twice seen on a phone).
  test.setTimeout(90_000);
  await signInAsAdmin(page, testInfo);
  await page.goto('/admin');
  await ready(page, testInfo);
  await page.getByRole('link', { name: 'Déploiement' }).click();
  await expect(page).toHaveURL(/\/admin\/deploiement$/);
  await ready(page, testInfo);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Déploiement');
  await expect(page.getByRole('table')).toContainText('59 — Nord');
  await noSeriousAccessibilityIssue(page, testInfo);

  await page.getByRole('link', { name: '59 — Nord' }).click();
  await expect(page).toHaveURL(/\/admin\/deploiement\/59$/);
  await ready(page, testInfo);
  await expect(page.getByRole('heading', { name: 'Adoption' })).toBeVisible();
  await expect(page.getByRole('table', { name: /Entonnoir d'adoption/ })).toContainText('Comptes demandés');
  await page.getByText('Pilote', { exact: true }).click();
  await page.getByLabel(/^Vague/).fill('Hauts-de-France');
  await page.getByRole('button', { name: "Enregistrer l'état" }).click();
  await expect(page.getByRole('status').filter({ hasText: 'État du déploiement enregistré' })).toBeVisible();
  await expect(page.locator('.fr-text--lead')).toContainText('Pilote, vague « Hauts-de-France »');
  await noSeriousAccessibilityIssue(page, testInfo);

  // A date of opening in the future is refused with its message.
  await ready(page, testInfo);
  await page.getByText('Ouvert', { exact: true }).click();
  await page.getByLabel(/^Ouverture effective/).fill('2099-01-01');
  await page.getByRole('button', { name: "Enregistrer l'état" }).click();
  await expect(page.getByRole('alert')).toContainText('ne peut pas être dans le futur');

  await page.goto('/admin/deploiement');
  await ready(page, testInfo);
  await expect(page.getByRole('row', { name: /59 — Nord/ })).toContainText('Pilote');
});

test('l’équipe relance une personne qui a besoin d’aide', async ({ page }, testInfo) => {
  // A sign-in, a long page checked by axe and a mail: over the default 30 s on a
  // saturated machine (32 s in the third loaded run, 2026-12-06).
  test.setTimeout(90_000);
  await signInAsAdmin(page, testInfo);
  await page.goto('/admin/a-relancer');
  await ready(page, testInfo);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Utilisateurs à relancer');
  await expect(page.getByRole('heading', { name: 'Modèles de courriel' })).toBeVisible();
  await noSeriousAccessibilityIssue(page, testInfo);
  // The counts by reason, each a link to its people; the team opens the
  // reason holding the most accounts (an invitation is re-sent, not nudged).
  const raisons = page.getByRole('table', { name: 'Personnes à relancer par raison' });
  await expect(raisons).toBeVisible();
  let choisie = '';
  let plus = -1;
  for (const ligne of await raisons.locator('tbody tr').all()) {
    const libelle = (await ligne.getByRole('link').innerText()).trim();
    const nombre = parseInt((await ligne.locator('td').innerText()).replace(/\D/g, ''), 10);
    if (!libelle.startsWith('Invitation') && nombre > plus) {
      choisie = libelle;
      plus = nombre;
    }
  }
  expect(choisie, 'une raison avec des comptes à relancer').not.toBe('');
  await raisons.getByRole('link', { name: choisie, exact: true }).click();
  await expect(page).toHaveURL(/\/admin\/a-relancer\?raison=/);
  await ready(page, testInfo);
  await expect(page.getByRole('heading', { level: 2, name: choisie, exact: true })).toBeVisible();
  await expect(raisons.getByRole('link', { name: choisie, exact: true })).toHaveAttribute('aria-current', 'page');
  const adresse = new URL(page.url());
  // Each project nudges the first one left, and comes back to the same reason.
  const bouton = page.getByRole('button', { name: /^Relancer .* par courriel$/ }).first();
  await expect(bouton).toBeVisible();
  await bouton.click();
  await expect(page.getByRole('status').filter({ hasText: 'Relance envoyée' })).toBeVisible();
  expect(new URL(page.url()).searchParams.get('raison')).toBe(adresse.searchParams.get('raison'));
  await expect(page.getByRole('table', { name: 'Relances et leur effet dans les 14 jours' })).toBeVisible();
});
