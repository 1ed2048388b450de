// Headless Chromium (Debian's /usr/bin/chromium) driven by playwright-core, for the end-to-end
// tests and the renderer benchmark. In CI a missing browser is a failure, never a skip.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = process.env.BCI_CHROMIUM ?? '/usr/bin/chromium';
export const ARTIFACTS = join(fileURLToPath(new URL('../..', import.meta.url)), 'tests', 'artifacts');

export function chromiumAvailable(): boolean {
  if (existsSync(CHROMIUM)) return true;
  if (process.env.CI) throw new Error(`${CHROMIUM} is missing: .ci/run must install Debian's chromium`);
  return false;
}

export async function launchChromium(): Promise<Browser> {
  mkdirSync(ARTIFACTS, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

/** The workstation served by an in-process `bci serve` and opened in a fresh Chromium page. */
export interface OpenWorkstation {
  readonly server: import('../../electron/server/serve.js').RunningServer;
  readonly browser: Browser;
  readonly page: import('playwright-core').Page;
  /** Console errors and uncaught exceptions of the page (a test expects none). */
  readonly consoleErrors: string[];
  close(): Promise<void>;
}

/**
 * Starts `bci serve` on a free loopback port and opens its URL (plus `query`, e.g. `&autostart=synthetic`).
 * Unless the test chose a data folder (BCI_DATA_DIR), the engine gets a temporary one, removed on
 * close: no end-to-end test writes into the user's home data folder.
 */
export async function openWorkstation(query = '', options: { viewport?: { width: number; height: number }; bypassCSP?: boolean } = {}): Promise<OpenWorkstation> {
  const ownDataDir = process.env.BCI_DATA_DIR === undefined ? mkdtempSync(join(tmpdir(), 'bci-e2e-data-')) : undefined;
  if (ownDataDir) process.env.BCI_DATA_DIR = ownDataDir;
  const { startServer } = await import('../../electron/server/serve.js');
  const server = await startServer({ port: 0, host: '127.0.0.1' });
  const browser = await launchChromium();
  // bypassCSP: only for injecting a test tool (the axe audit); the page's own CSP is tested elsewhere
  const page = await browser.newPage({ viewport: options.viewport ?? { width: 1440, height: 900 }, ...(options.bypassCSP && { bypassCSP: true }) });
  const consoleErrors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => consoleErrors.push(e.message));
  await page.goto(`${server.url}${query}`);
  return {
    server,
    browser,
    page,
    consoleErrors,
    async close() {
      await browser.close();
      await server.close();
      if (ownDataDir) {
        delete process.env.BCI_DATA_DIR;
        rmSync(ownDataDir, { recursive: true, force: true });
      }
    },
  };
}

/** The protocol approveCalibration adds: it allows recordings and calibrations, valid from last year to next. */
export const E2E_PROTOCOL_ID = 'E2E-CAL';

/**
 * What a calibration needs before it records itself (session mode calibration): an approved
 * protocol that allows calibrations in the engine's data folder, picked in the session form with
 * a subject code and the subject's consent.
 */
export async function approveCalibration(ws: OpenWorkstation, subject = 'E2E01'): Promise<void> {
  const year = new Date().getUTCFullYear();
  const store = ws.server.engine.siteStore();
  if (!store.protocol(E2E_PROTOCOL_ID)) {
    store.addProtocol({ id: E2E_PROTOCOL_ID, title: 'End-to-end calibration', committee: 'Test committee', approvalNumber: 'T-1', validFrom: `${year - 1}-01-01`, validTo: `${year + 1}-12-31`, modes: ['recording', 'calibration'] });
  }
  const { page } = ws;
  await page.getByTestId('protocols-reload').click();
  const picker = page.getByTestId('session-protocol');
  if (!(await picker.isVisible())) await page.getByTestId('session-form-toggle').click();
  await page.getByTestId('session-subject').fill(subject);
  for (let i = 0; i < 100 && (await picker.locator(`option[value="${E2E_PROTOCOL_ID}"]`).count()) === 0; i++) await page.waitForTimeout(50);
  await picker.selectOption(E2E_PROTOCOL_ID);
  await page.getByTestId('session-consent').check();
}
