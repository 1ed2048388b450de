// A BrainFlow board in a real browser, served by `bci serve` with BrainFlow's library found: the
// picker lists BrainFlow's boards and draws their controls from their capabilities (a serial port
// for brainflow:cyton, nothing for brainflow:synthetic); choose brainflow:synthetic, connect,
// stream at BrainFlow's 250 Hz, stop and disconnect.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { brainflowAvailable } from '../support/brainflow.js';
import { chromiumAvailable, openWorkstation, type OpenWorkstation } from './browser.js';

const ready = chromiumAvailable() && brainflowAvailable();
let ws: OpenWorkstation;
let page: Page;
let consoleErrors: string[] = [];

beforeAll(async () => {
  if (!ready) return;
  ws = await openWorkstation();
  ({ page, consoleErrors } = ws);
}, 60_000);

afterAll(async () => {
  await ws?.close();
});

const text = async (testId: string): Promise<string> => (await page.getByTestId(testId).textContent()) ?? '';

describe.skipIf(!ready)('a BrainFlow board in Chromium (bci serve)', () => {
  it('chooses brainflow:synthetic in the picker, connects, streams, stops and disconnects', async () => {
    const select = page.getByTestId('board-select');
    await expect.poll(() => select.locator('option[value="brainflow:synthetic"]').count(), { timeout: 15_000 }).toBe(1);
    // BrainFlow's Cyton connects on a serial port: the picker offers the port control
    await select.selectOption('brainflow:cyton');
    await expect.poll(() => page.getByTestId('port-select').isVisible()).toBe(true);
    await select.selectOption('brainflow:synthetic');
    await expect.poll(() => page.getByTestId('port-select').count()).toBe(0);
    expect(await page.getByTestId('board-unavailable').count()).toBe(0);
    await page.getByTestId('connect').click();
    await expect.poll(() => text('status-state'), { timeout: 20_000 }).toMatch(/connected/i);
    await page.getByTestId('startstop').click();
    await expect.poll(() => text('status-state'), { timeout: 15_000 }).toMatch(/streaming/i);
    await expect.poll(() => text('status-rate'), { timeout: 20_000 }).toMatch(/\b2[45]\d\.\d\s*Hz/);
    await page.getByTestId('startstop').click();
    await expect.poll(() => text('status-state'), { timeout: 15_000 }).toMatch(/^\s*connected/i);
    await page.getByTestId('connect').click();
    await expect.poll(() => text('status-state'), { timeout: 15_000 }).toMatch(/idle|disconnected|no board/i);
    expect(consoleErrors).toEqual([]);
  });
});
