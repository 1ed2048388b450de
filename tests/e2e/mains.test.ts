// One mains setting, and the readout's suggestion, in Chromium against `bci serve`: a PhysioNet
// recording (made in the US: 60 Hz interference) played with the session form's default mains of
// 50 Hz shows both frequencies and suggests 60 Hz; setting Mains to 60 in the Record panel makes
// the readout follow it and the suggestion go.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { PACKAGE_ROOT } from '../support/bci.js';
import { chromiumAvailable, openWorkstation, type OpenWorkstation } from './browser.js';

const haveBrowser = chromiumAvailable();
const FILE = join(PACKAGE_ROOT, '..', 'shared', 'data', 'physionet-eegmmidb-S001', 'S001R03.edf');
let ws: OpenWorkstation;
let page: Page;

beforeAll(async () => {
  if (!haveBrowser) return;
  ws = await openWorkstation(`&autostart=playback&file=${encodeURIComponent(FILE)}`);
  page = ws.page;
}, 60_000);

afterAll(async () => {
  await ws?.close();
});

describe.skipIf(!haveBrowser)('the mains readout (bci serve, a US recording)', () => {
  it('suggests 60 Hz where the interference is, and follows the one mains setting', async () => {
    const readout = page.getByTestId('mains-readout');
    await expect.poll(async () => readout.getAttribute('data-suggest-hz'), { timeout: 30_000, interval: 250 }).toBe('60');
    expect(await readout.textContent()).toMatch(/^Mains 50 Hz: .* · 60 Hz: .* the mains here may be 60 Hz/);
    // the Record panel's Mains is the setting (a playback board has none of its own)
    await page.getByTestId('session-form-toggle').click();
    await page.getByTestId('session-mains').selectOption('60');
    await expect.poll(async () => readout.getAttribute('data-mains-hz'), { timeout: 10_000 }).toBe('60');
    expect(await readout.getAttribute('data-suggest-hz')).toBeNull();
    expect(ws.consoleErrors).toEqual([]);
  });
});
