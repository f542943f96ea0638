import { defineConfig, devices } from '@playwright/test';

// Debian's Chromium (apt-get install chromium), never a downloaded browser.
// The flags keep it from reaching Google's services on a closed network.
const chromium = {
  executablePath: '/usr/bin/chromium',
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
  ],
};

const desktop = { viewport: { width: 1280, height: 800 } };
const phone = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true };

export default defineConfig({
  testDir: './tests',
  workers: 2,
  // On CI a test that fails once is run again: it then counts as "flaky",
  // and `cargo xtask test` lists it at the end so that it gets fixed.
  retries: process.env.CI ? 1 : 0,
  timeout: 30_000,
  // The JSON report feeds the summary `cargo xtask test` prints last.
  reporter: process.env.E2E_RESULTATS ? [['list'], ['json', { outputFile: process.env.E2E_RESULTATS }]] : [['list']],
  use: {
    baseURL: process.env.BASE_URL || 'http://127.0.0.1:3000',
    locale: 'fr-FR',
    launchOptions: chromium,
    trace: 'off',
  },
  projects: [
    { name: 'bureau-js', use: { ...devices['Desktop Chrome'], ...desktop, launchOptions: chromium } },
    { name: 'telephone-js', use: { ...phone, launchOptions: chromium } },
    { name: 'bureau-sans-js', use: { ...desktop, javaScriptEnabled: false, launchOptions: chromium } },
    { name: 'telephone-sans-js', use: { ...phone, javaScriptEnabled: false, launchOptions: chromium } },
  ],
});
