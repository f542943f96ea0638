import { expect, mailsAvailable, mailsReceived, noSeriousAccessibilityIssue, ready, signIn, signInAsAdmin, signOut, test } from './support';

test('un juge donne son avis depuis le pied de page ; l’équipe le lit comme du texte et lui répond par courriel', async ({ page }, testInfo) => {
  const marque = `avis-${testInfo.project.name}-${Date.now()}`;
  await signIn(page, testInfo, 'magistrat.lille@demo.emjpm.local');
  await page.goto('/tribunal/recherche');
  await ready(page, testInfo);
  await page.getByRole('contentinfo').getByRole('link', { name: 'Donner mon avis' }).click();
  await expect(page).toHaveURL(/\/avis\?depuis=%2Ftribunal%2Frecherche$/);
  await ready(page, testInfo);
  await expect(page.getByText('Page concernée : /tribunal/recherche')).toBeVisible();
  await expect(page.getByText(/N'écrivez rien sur une personne protégée/)).toBeVisible();
  await noSeriousAccessibilityIssue(page, testInfo);

  // Sent without a level: refused, what was typed comes back.
  await page.getByLabel('Votre commentaire').fill(`${marque} <b>gras</b>`);
  // The browser would stop it (required); the server must refuse it too.
  await page.locator('input[name="niveau"]').evaluateAll((radios: HTMLInputElement[]) => radios.forEach((r) => (r.required = false)));
  await page.getByRole('button', { name: 'Envoyer mon avis' }).click();
  await expect(page.getByRole('alert')).toContainText('bien, moyen ou mal');
  await ready(page, testInfo);
  await expect(page.getByLabel('Votre commentaire')).toHaveValue(`${marque} <b>gras</b>`);

  await page.getByText('Mal', { exact: true }).click();
  await page.getByLabel('Ce que vous cherchiez à faire').fill('Trouver un mandataire près de Roubaix');
  await page.getByText("J'accepte d'être recontacté").click();
  await page.getByRole('button', { name: 'Envoyer mon avis' }).click();
  await expect(page.getByRole('heading', { name: 'Merci pour votre avis' })).toBeVisible();

  // The team reads it, the markup as text, and answers (the judge signs out
  // first: its page's live updates are the judge's, not the team's).
  await signOut(page, testInfo);
  await signInAsAdmin(page, testInfo);
  await page.goto('/admin/avis?role=magistrat');
  await ready(page, testInfo);
  const carte = page.locator('li.emjpm-mesure', { hasText: marque });
  await expect(carte).toContainText(`${marque} <b>gras</b>`);
  await expect(carte).toContainText('page /tribunal/recherche');
  await expect(carte).toContainText('59 — Nord');
  await expect(carte).toContainText('Accepte d\'être recontacté : magistrat.lille@demo.emjpm.local');
  await noSeriousAccessibilityIssue(page, testInfo);
  await carte.getByText(/^Répondre par courriel/).click();
  await carte.getByLabel(/^Réponse \(envoyée à/).fill(`Merci ${marque} : la recherche par commune arrive.`);
  await carte.getByRole('button', { name: 'Envoyer la réponse' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Réponse envoyée' })).toBeVisible();
  await expect(page.locator('li.emjpm-mesure', { hasText: marque })).toContainText('Réponse de');

  if (mailsAvailable()) {
    // Several projects answer the same judge: this project's answer, by its mark.
    await expect
      .poll(() => mailsReceived().some((m) => m.to.includes('magistrat.lille@demo.emjpm.local') && m.subject.includes('Réponse à votre avis') && m.text.includes(`Merci ${marque}`)), {
        message: 'la réponse arrive par courriel',
        timeout: 45_000,
        intervals: [1_000],
      })
      .toBe(true);
  }
});
