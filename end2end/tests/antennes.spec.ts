import { expect, noSeriousAccessibilityIssue, ready, signIn, test } from './support';

// The demo service's admin. Each project adds, edits and deletes its own
// antenne (capacity 0: the service's share is untouched for the other tests).
const SERVICE = 'service@demo.emjpm.local';

test('l’administrateur du service ajoute, modifie puis supprime une antenne', async ({ page }, testInfo) => {
  const nom = `Antenne d'essai ${testInfo.project.name}`;
  await signIn(page, testInfo, SERVICE);
  await expect(page).toHaveURL(/\/mandataire$/);
  await page.goto('/mandataire/antennes');
  await ready(page, testInfo);
  await expect(page.getByRole('heading', { name: 'Nos antennes', level: 1 })).toBeVisible();
  await page.getByRole('link', { name: 'Ajouter une antenne' }).click();
  await expect(page).toHaveURL(/\/mandataire\/antennes\/nouvelle$/);
  await ready(page, testInfo);
  await noSeriousAccessibilityIssue(page, testInfo);

  // An unknown town: refused and named, the rest kept.
  await page.getByLabel(/^Nom/).fill(nom);
  await page.getByLabel(/^Adresse$|^Adresse \(/).fill('1 place de la République');
  await page.getByLabel(/^Commune/).fill('Atlantide');
  await page.getByLabel(/^Mesures souhaitées/).fill('0');
  await page.getByRole('button', { name: "Enregistrer l'antenne" }).click();
  await expect(page.getByRole('heading', { name: "L'antenne n'est pas enregistrée" })).toBeVisible();
  await expect(page.locator('#commune-erreur')).toContainText('Atlantide');
  await expect(page.getByLabel(/^Nom/)).toHaveValue(nom);

  await ready(page, testInfo);
  await page.getByLabel(/^Commune/).fill('Valenciennes');
  await page.getByRole('button', { name: "Enregistrer l'antenne" }).click();
  await expect(page).toHaveURL(/\/mandataire\/antennes\?fait=ajoutee/);
  await expect(page.getByText("L'antenne est ajoutée")).toBeVisible();
  await expect(page.getByRole('heading', { name: nom })).toBeVisible();

  await ready(page, testInfo);
  await page.getByRole('link', { name: `Modifier « ${nom} »` }).click();
  await ready(page, testInfo);
  await page.getByLabel(/^Personne à contacter/).fill('M. Dupont');
  await page.getByRole('button', { name: "Enregistrer l'antenne" }).click();
  await expect(page.getByText("L'antenne est enregistrée.")).toBeVisible();

  await ready(page, testInfo);
  await page.getByRole('link', { name: `Modifier « ${nom} »` }).click();
  await ready(page, testInfo);
  await page.getByRole('button', { name: `Supprimer « ${nom} »` }).click();
  await expect(page.getByText("L'antenne est supprimée.")).toBeVisible();
  await expect(page.getByRole('heading', { name: nom })).toHaveCount(0);
});
