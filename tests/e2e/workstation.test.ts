// The workstation in a real browser, served by `bci serve` (the same renderer and engine as the
// desktop app): the traces move, the 50 Hz notch removes the mains peak from the spectrum, the
// status bar shows the measured rate, and a connection without the token is refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { RunningServer } from '../../electron/server/serve.js';
import { ARTIFACTS, chromiumAvailable, openWorkstation, type OpenWorkstation } from './browser.js';

const haveBrowser = chromiumAvailable();
let ws: OpenWorkstation;
let server: RunningServer;
let browser: Browser;
let page: Page;
let consoleErrors: string[];

beforeAll(async () => {
  if (!haveBrowser) return;
  ws = await openWorkstation('&autostart=synthetic');
  ({ server, browser, page, consoleErrors } = ws);
}, 60_000);

afterAll(async () => {
  await ws?.close();
});

/** The mains peak over its neighbours in dB; NaN while the spectrum refills after a filter change. */
async function mainsDb(): Promise<number> {
  const value = await page.getByTestId('mains-readout').getAttribute('data-db');
  return value === null || value === '' ? Number.NaN : Number(value);
}

describe.skipIf(!haveBrowser)('workstation in Chromium (bci serve)', () => {
  it('streams on the synthetic board and the status bar shows the measured rate', async () => {
    await expect.poll(async () => (await page.getByTestId('status-state').textContent()) ?? '', { timeout: 15_000 }).toMatch(/streaming/i);
    await expect.poll(async () => (await page.getByTestId('status-rate').textContent()) ?? '', { timeout: 15_000 }).toMatch(/\b2[45]\d\.\d\s*Hz/);
    await expect.poll(async () => (await page.getByTestId('status-lost').textContent()) ?? '').toMatch(/\b0\b/);
  });

  it('moves the traces (pixels differ between frames)', async () => {
    const plot = page.getByTestId('timeseries');
    await page.waitForTimeout(1000);
    const first = await plot.screenshot();
    // a later frame differs (polled: a starved renderer may draw nothing new for a while)
    let second = first;
    await expect.poll(async () => first.equals((second = await plot.screenshot({ path: join(ARTIFACTS, 'timeseries.png') }))), { timeout: 5_000, interval: 400 }).toBe(false);
    expect(second.length).toBeGreaterThan(5_000); // not a blank canvas
  });

  it('removes the 50 Hz peak from the spectrum when the notch is enabled', async () => {
    // the panel says which channels the filters touch (an accelerometer beside the EEG is not filtered)
    expect(await page.getByTestId('filter-scope').textContent()).toMatch(/Applied to the ExG channels \(EEG, EMG, EOG, ECG\)/);
    await page.getByTestId('notch-select').selectOption('off');
    await expect.poll(mainsDb, { timeout: 20_000, interval: 500 }).toBeGreaterThan(10);
    const before = await mainsDb();
    await page.getByTestId('spectrum').screenshot({ path: join(ARTIFACTS, 'spectrum-notch-off.png') });
    await page.getByTestId('notch-select').selectOption('50');
    // a stale readout (the peak before the notch, > 10 dB) cannot pass: wait for a fresh value below 3 dB
    await expect.poll(mainsDb, { timeout: 20_000, interval: 500 }).toBeLessThan(3);
    await page.getByTestId('spectrum').screenshot({ path: join(ARTIFACTS, 'spectrum-notch-50.png') });
    expect(before - (await mainsDb())).toBeGreaterThan(10);
  });

  it('shows the whole workstation (screenshot for the README and the record)', async () => {
    await page.getByTestId('bandpass-select').selectOption({ index: 1 });
    await page.waitForTimeout(3000);
    await page.screenshot({ path: join(ARTIFACTS, 'workstation.png') });
    expect(consoleErrors).toEqual([]);
  });

  it('refuses a page or a socket without the token', async () => {
    const base = server.url.split('?')[0];
    const other = await browser.newPage();
    const response = await other.goto(base);
    expect(response?.status()).toBe(401);
    expect(await other.textContent('body')).toBe('unauthorized\n');
    const wsResult = await other.evaluate(
      (wsUrl) =>
        new Promise<string>((resolve) => {
          const ws = new WebSocket(wsUrl);
          ws.onopen = () => resolve('open');
          ws.onerror = () => resolve('refused');
        }),
      base.replace('http', 'ws') + 'ws?token=wrong',
    );
    expect(wsResult).toBe('refused');
    await other.close();
  });

  it('at 64 channels in a 1024 × 700 window: pages of readable rows, distinct labels, the legend of the marks', async () => {
    // the board of the page above goes (once its own autostart is done); the engine opens the
    // synthetic board at 64 channels and a small window shows it
    await expect.poll(async () => (await page.getByTestId('status-state').textContent()) ?? '', { timeout: 15_000 }).toMatch(/streaming/i);
    await server.engine.disconnect();
    await server.engine.connect({ board: 'synthetic', channelCount: 64 });
    await server.engine.start();
    const small = await browser.newPage({ viewport: { width: 1024, height: 700 } });
    try {
      await small.goto(server.url);
      await expect.poll(async () => (await small.getByTestId('status-state').textContent()) ?? '', { timeout: 15_000 }).toMatch(/streaming/i);
      await expect.poll(async () => (await small.getByTestId('channel-page').textContent()) ?? '', { timeout: 5_000 }).toMatch(/^1–\d+ of 64$/);
      // the page and its labels, read together once the layout has settled
      const read = () =>
        small.evaluate(() => ({
          page: document.querySelector('[data-testid="channel-page"]')?.textContent ?? '',
          names: Array.from(document.querySelectorAll('.ts-name'), (e) => e.textContent ?? ''),
        }));
      await expect.poll(async () => {
        const r = await read();
        return Number(/^1–(\d+)/.exec(r.page)?.[1]) === r.names.length;
      }).toBe(true);
      const { page: pageText, names } = await read();
      const perPage = Number(/^1–(\d+)/.exec(pageText)?.[1]);
      expect(perPage).toBeGreaterThan(4);
      expect(perPage).toBeLessThan(64);
      // every row tall enough for its label and its scale (not the compact density)
      expect(await small.locator('.ts-labels.compact').count()).toBe(0);
      expect(new Set(names).size).toBe(names.length);
      await expect.poll(async () => small.getByTestId('trace-legend').isVisible()).toBe(true);
      expect(await small.getByTestId('trace-legend').textContent()).toMatch(/RAIL.*full scale.*FLAT/);
      await small.screenshot({ path: join(ARTIFACTS, 'workstation-64ch-1024x700.png') });
      await small.getByRole('button', { name: 'Next channels' }).click();
      // the second page starts where a first page of its size ends (the rows per page follow the
      // panel's height, which a banner arriving under load may change between the read and the click)
      await expect.poll(async () => {
        const m = /^(\d+)–(\d+) of 64$/.exec((await small.getByTestId('channel-page').textContent()) ?? '');
        if (!m) return 'no page';
        const [first, last] = [Number(m[1]), Number(m[2])];
        const size = last - first + 1;
        return first > 1 && (first - 1 === size || (last === 64 && first - 1 > size)) ? 'second page' : `${first}–${last}`;
      }).toBe('second page');
      expect(await small.locator('.ts-name').first().textContent()).not.toBe(names[0]);
      // everything at once, as before: small rows, still distinct labels
      await small.getByRole('button', { name: 'All', exact: true }).click();
      await expect.poll(async () => small.locator('.ts-name').count()).toBe(64);
      expect(await small.getByTestId('channel-pager').count()).toBe(0);
    } finally {
      await small.close();
    }
  }, 120_000);
});
