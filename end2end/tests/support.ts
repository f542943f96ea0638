import { test as base, expect, Page, TestInfo } from '@playwright/test';
import { execFileSync } from 'node:child_process';

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

/** A mail received by the tests' SMTP server. */
export interface Courriel {
  to: string;
  subject: string;
  text: string;
}

// Python's email library decodes what the server sent (encoded subjects,
// quoted-printable or base64 bodies) from aiosmtpd's maildir.
const READ_MAILDIR = `
import email, email.policy, json, mailbox, sys
box = mailbox.Maildir(sys.argv[1], factory=None, create=True)
out = []
for key in box.keys():
    msg = email.message_from_bytes(box.get_bytes(key), policy=email.policy.default)
    body = msg.get_body(preferencelist=('plain',))
    out.append({'to': str(msg['To']), 'subject': str(msg['Subject']), 'text': body.get_content() if body else ''})
print(json.dumps(out))
`;

/** True when the tests run with the SMTP server of `cargo xtask test`. */
export function mailsAvailable(): boolean {
  return !!process.env.E2E_MAILDIR && !!process.env.E2E_PYTHON;
}

/** Every mail received so far. */
export function mailsReceived(): Courriel[] {
  const output = execFileSync(process.env.E2E_PYTHON!, ['-c', READ_MAILDIR, process.env.E2E_MAILDIR!], { encoding: 'utf8' });
  return JSON.parse(output) as Courriel[];
}

/** Waits (mails leave every 10 s) for a mail to `to` whose subject contains `subject`. */
export async function waitForMail(to: string, subject: string): Promise<Courriel> {
  let found: Courriel | undefined;
  await expect
    .poll(
      () => {
        found = mailsReceived().find((m) => m.to.includes(to) && m.subject.includes(subject));
        return !!found;
      },
      { message: `courriel « ${subject} » pour ${to}`, timeout: 45_000, intervals: [1_000] },
    )
    .toBe(true);
  return found!;
}

/** The path and query of the first e-MJPM link of a mail (`/mot-de-passe/nouveau?jeton=…`). */
export function linkIn(mail: Courriel, path: string): string {
  const start = mail.text.indexOf(path);
  expect(start, `lien ${path} dans le courriel`).toBeGreaterThanOrEqual(0);
  return mail.text.slice(start).split(/\s/)[0];
}

/** Signs out as a user does, from the header (behind "Menu" on a phone). */
export async function signOut(page: Page, testInfo: TestInfo) {
  await ready(page, testInfo);
  if (isPhone(testInfo)) {
    await page.getByRole('button', { name: 'Menu' }).click();
  }
  await page.getByRole('button', { name: 'Se déconnecter' }).filter({ visible: true }).click();
  await expect(page).toHaveURL(/\/connexion/);
}
