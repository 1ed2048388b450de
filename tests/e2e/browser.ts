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
