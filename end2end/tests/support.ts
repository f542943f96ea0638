import AxeBuilder from '@axe-core/playwright';
import { test as base, expect, Page, TestInfo } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

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

/**
 * No serious or critical accessibility violation on the page, by axe. axe runs
 * inside the page: without JavaScript there is nothing to check.
 */
export async function noSeriousAccessibilityIssue(page: Page, testInfo: TestInfo) {
  if (!javaScriptOn(testInfo)) return;
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious.map((v) => `${v.id} : ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual([]);
}

/** No page is wider than the screen (a table or a row pushing it sideways). */
export async function nothingWiderThanTheScreen(page: Page) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow, `largeur de ${page.url()} au-delà de l'écran (px)`).toBeLessThanOrEqual(0);
}

/** The demo administrator's second factor (`server/src/seed/demo.rs`, README). */
export const DEMO_ADMIN_TOTP = 'EMJPMDEMOEMJPMDEMOEMJPMDEMOEMJPM';

/**
 * Signs in through the form. An account with a second factor (the demo
 * administrator, or `totpSecret`) is then asked its code, computed here as an
 * authenticator app would.
 */
export async function signIn(page: Page, testInfo: TestInfo, email: string, password = PASSWORD, totpSecret?: string) {
  await page.goto('/connexion');
  await ready(page, testInfo);
  await page.getByLabel('Adresse électronique').fill(email);
  await page.getByLabel('Mot de passe').fill(password);
  const answer = page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/connexion');
  await page.getByRole('button', { name: 'Se connecter' }).click();
  const location = (await answer).headers()['location'] ?? '';
  const secret = totpSecret ?? (email === 'admin@demo.emjpm.local' ? DEMO_ADMIN_TOTP : undefined);
  if (location === '/connexion/code' && secret) {
    await enterCode(page, testInfo, secret);
  }
}

/** RFC 6238 code of a base32 `secret`, `steps` 30-second steps from now. */
export function totp(secret: string, steps = 0): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of secret.replace(/[\s=]/g, '').toUpperCase()) bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  const key = Buffer.from((bits.match(/.{8}/g) ?? []).map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(Date.now() / 30_000) + steps));
  const h = createHmac('sha1', key).update(counter).digest();
  const o = h[h.length - 1] & 0xf;
  const n = ((h[o] & 0x7f) << 24) | (h[o + 1] << 16) | (h[o + 2] << 8) | h[o + 3];
  return String(n % 1_000_000).padStart(6, '0');
}

/**
 * Types the code on `/connexion/code` (or an enrolment form) and submits it.
 * A code serves once (RFC 6238): when this account already signed in within
 * the same 30 seconds, the next step's code (one step of drift is accepted),
 * then after that the next step's own.
 */
export async function enterCode(page: Page, testInfo: TestInfo, secret: string, button = /^(Valider|Activer et se connecter)$/) {
  for (let attempt = 0; attempt < 8; attempt++) {
    if (attempt >= 2) {
      // Both usable codes already served (other tests sign the same account
      // in): wait for the next step, whose "next" code nobody used yet.
      const wait = 30_000 - (Date.now() % 30_000) + 200;
      testInfo.setTimeout(testInfo.timeout + wait + 5_000);
      await page.waitForTimeout(wait);
    }
    await expect(page).toHaveURL(/\/connexion\/code|\/compte/);
    await ready(page, testInfo);
    await page.getByLabel(/^Code à 6 chiffres/).fill(totp(secret, attempt === 0 ? 0 : 1));
    const answer = page.waitForResponse((r) => r.request().method() === 'POST' && !new URL(r.url()).pathname.startsWith('/api/'));
    await page.getByRole('button', { name: button }).click();
    const location = (await answer).headers()['location'] ?? '';
    if (!location.includes('erreur')) return;
  }
  throw new Error('code à usage unique refusé huit fois');
}

/** Where the workers of one run share the demo administrator's session. */
function adminSessionFile(): string {
  const port = new URL(process.env.BASE_URL || 'http://127.0.0.1:3000').port;
  return join(tmpdir(), `emjpm-e2e-admin-${port}.txt`);
}

/**
 * Signs in as the demo administrator with the session every worker of this
 * run shares: a code serves once (RFC 6238), so an account can sign in about
 * once per 30 seconds, and the tests that only need an administrator share
 * one sign-in instead of waiting for codes. Never sign out of it, nor start a
 * "se connecter en tant que" with it (that closes it): such tests sign in
 * with `signIn`, as connexion.spec.ts does.
 */
export async function signInAsAdmin(page: Page, testInfo: TestInfo) {
  const file = adminSessionFile();
  if (existsSync(file)) {
    const url = process.env.BASE_URL || 'http://127.0.0.1:3000';
    const value = readFileSync(file, 'utf8').trim();
    await page.context().addCookies([{ name: 'emjpm_session', value, url, httpOnly: true, sameSite: 'Lax' }]);
    await page.goto('/admin');
    if (new URL(page.url()).pathname === '/admin') return;
    await page.context().clearCookies();
  }
  await signIn(page, testInfo, 'admin@demo.emjpm.local');
  await expect(page).toHaveURL(/\/admin$/);
  const cookie = (await page.context().cookies()).find((c) => c.name === 'emjpm_session');
  if (cookie) writeFileSync(file, cookie.value);
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
  await page.getByRole('button', { name: 'Se déconnecter', exact: true }).filter({ visible: true }).click();
  await expect(page).toHaveURL(/\/connexion/);
}

/**
 * Opens a page of the header's navigation as a user does: behind "Menu" on a
 * phone with JavaScript; a phone without it goes to the address (the menu's
 * panel needs JavaScript there). Waits for the page.
 */
export async function openFromNavigation(page: Page, testInfo: TestInfo, name: string, path: string) {
  await ready(page, testInfo);
  if (isPhone(testInfo) && javaScriptOn(testInfo)) {
    await page.getByRole('button', { name: 'Menu' }).click();
  }
  if (!isPhone(testInfo) || javaScriptOn(testInfo)) {
    await page.locator('#navigation').getByRole('link', { name, exact: true }).click();
  } else {
    await page.goto(path);
  }
  await expect(page).toHaveURL(new RegExp(`${path.replace(/\//g, '\\/')}$`));
  await ready(page, testInfo);
}
