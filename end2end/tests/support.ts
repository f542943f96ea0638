import { test as base, expect, Page, TestInfo } from '@playwright/test';

export const PASSWORD = 'demo-emjpm';

/** Every demo account, the home it lands on and the title of that home. */
export const ACCOUNTS = [
  { email: 'admin@demo.emjpm.local', home: '/admin', title: /^Administration$/ },
  { email: 'magistrat.lille@demo.emjpm.local', home: '/tribunal', title: /Tribunal judiciaire de Lille/ },
  { email: 'greffier.lille@demo.emjpm.local', home: '/tribunal', title: /Tribunal judiciaire de Lille/ },
  { email: 'individuel@demo.emjpm.local', home: '/mandataire', title: /^Mon activité$/ },
  { email: 'prepose@demo.emjpm.local', home: '/mandataire', title: /^Mon activité$/ },
  { email: 'service@demo.emjpm.local', home: '/mandataire', title: /^Mon activité$/ },
  { email: 'direction.59@demo.emjpm.local', home: '/direction', title: /DDETS du Nord/ },
  { email: 'direction.hdf@demo.emjpm.local', home: '/direction', title: /DREETS Hauts-de-France/ },
];

export function javaScriptOn(testInfo: TestInfo): boolean {
  return testInfo.project.use.javaScriptEnabled !== false;
}

export function isPhone(testInfo: TestInfo): boolean {
  return (testInfo.project.use.viewport?.width ?? 1280) < 500;
}

/** Once hydrated, the application marks the body; interact only after that. */
export async function ready(page: Page, testInfo: TestInfo) {
  if (javaScriptOn(testInfo)) {
    await expect(page.locator('body[data-hydrated="true"]')).toBeAttached({ timeout: 15_000 });
  }
}

export async function signIn(page: Page, testInfo: TestInfo, email: string, password = PASSWORD) {
  await page.goto('/connexion');
  await ready(page, testInfo);
  await page.getByLabel('Adresse électronique').fill(email);
  await page.getByLabel('Mot de passe').fill(password);
  await page.getByRole('button', { name: 'Se connecter' }).click();
}

/** Fails a test whose page logged an error or threw (JavaScript projects). */
export const test = base.extend<{ consoleErrors: string[] }>({
  consoleErrors: [
    async ({ page }, use, testInfo) => {
      const errors: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error') errors.push(message.text());
      });
      page.on('pageerror', (error) => errors.push(`exception : ${error.message}`));
      await use(errors);
      if (javaScriptOn(testInfo)) {
        expect(errors, 'erreurs dans la console du navigateur').toEqual([]);
      }
    },
    { auto: true },
  ],
});

export { expect };
