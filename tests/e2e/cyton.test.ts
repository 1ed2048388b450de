// The Cyton in a real browser, served by `bci serve`, against the Cyton emulator on a socat
// pseudo-terminal pair (the real serialport binding on the host end): pick the board and type
// the port path (a pty is not a USB device, so the list cannot show it), connect and stream at
// 250 Hz with the link shown connected, change a channel's gain and see the board confirm it,
// and measure an electrode's impedance into a coloured tile with its kΩ; the accelerometer panel
// shows the emulator's readings as they come.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { CytonEmulator, testAccel } from '../support/cyton-emulator.js';
import { CYTON_ACCEL_SCALE_G } from '../../electron/common/boards/cyton-protocol.js';
import { socatAvailable } from '../support/socat.js';
import { ARTIFACTS, chromiumAvailable, openWorkstation, type OpenWorkstation } from './browser.js';

const ready = chromiumAvailable() && socatAvailable();
let ws: OpenWorkstation;
let page: Page;
let emulator: CytonEmulator;
let consoleErrors: string[] = [];

beforeAll(async () => {
  if (!ready) return;
  emulator = await CytonEmulator.start({});
  ws = await openWorkstation();
  ({ page, consoleErrors } = ws);
}, 60_000);

afterAll(async () => {
  await ws?.close();
  await emulator?.stop();
});

const text = async (testId: string): Promise<string> => (await page.getByTestId(testId).textContent()) ?? '';

describe.skipIf(!ready)('Cyton in Chromium (bci serve + emulator on a pty)', () => {
  it('connects to a typed port path and streams at 250 Hz with the link connected', async () => {
    await expect.poll(() => page.getByTestId('board-select').locator('option[value="cyton"]').count(), { timeout: 15_000 }).toBe(1);
    await page.getByTestId('board-select').selectOption('cyton');
    // the port list: auto first, custom last; no synthetic options for a Cyton
    const portSelect = page.getByTestId('port-select');
    await expect.poll(() => portSelect.locator('option').first().textContent()).toMatch(/auto/i);
    await expect.poll(() => page.getByTestId('port-refresh').isVisible()).toBe(true);
    await portSelect.selectOption('__custom__');
    await page.getByTestId('port-path').fill(emulator.hostPath);
    await page.getByTestId('connect').click();
    await expect.poll(() => text('status-state'), { timeout: 20_000 }).toMatch(/connected/i);
    await page.getByTestId('startstop').click();
    await expect.poll(() => text('status-state'), { timeout: 15_000 }).toMatch(/streaming/i);
    await expect.poll(() => text('status-rate'), { timeout: 20_000 }).toMatch(/\b2[45]\d\.\d\s*Hz/);
    await expect.poll(() => page.getByTestId('status-link').getAttribute('data-link'), { timeout: 10_000 }).toBe('connected');
    expect(await text('status-link')).toMatch(/link connected/);
    expect((await page.getByTestId('status-link').boundingBox())?.width ?? 0).toBeGreaterThan(60); // not squeezed out of a full status bar
    await expect.poll(() => page.getByTestId('channel-settings').isVisible()).toBe(true);
    await expect.poll(() => page.getByTestId('impedance-view').isVisible()).toBe(true);
  });

  it('shows the emulator’s accelerometer readings as X/Y/Z traces that follow the board', async () => {
    // the emulator sends reading testAccel(j) in packet j when j % 10 = 0 (m = j / 10), zeros in the
    // packets between (the driver holds the last reading); a reading's X gives m back (mod 3000)
    const panel = page.getByTestId('accel-panel');
    expect(await panel.getAttribute('data-axes')).toBe('3');
    const inverse37 = Array.from({ length: 3000 }, (_, i) => i).find((i) => (37 * i) % 3000 === 1)!;
    const shown = async () => {
      const values = (await panel.getAttribute('data-values'))?.split(',').map(Number) ?? [];
      if (values.length !== 3 || !values.every(Number.isFinite)) return null;
      const counts = values.map((g) => Math.round(g / CYTON_ACCEL_SCALE_G));
      // (a reading of 0 is sent as 1: X = 1 may stand for 37m ≡ 1500 as well)
      const ms = [counts[0] + 1500, ...(counts[0] === 1 ? [1500] : [])].map((v) => (((v * inverse37) % 3000) + 3000) % 3000);
      const m = ms.find((c) => [0, 1, 2].every((axis) => testAccel(10 * c, axis) === counts[axis])) ?? ms[0];
      return { values, counts, m, made: Math.floor(emulator.model.packetsMade / 10) % 3000 };
    };
    await expect.poll(async () => (await shown()) !== null, { timeout: 10_000 }).toBe(true);
    const first = (await shown())!;
    // all three axes are the same reading of the emulator
    expect(first.counts).toEqual([0, 1, 2].map((axis) => testAccel(10 * first.m, axis)));
    // and a recent one: at most 2 s (50 readings) behind the board's clock
    expect((((first.made - first.m) % 3000) + 3000) % 3000).toBeLessThanOrEqual(50);
    // it moves on with the board
    await expect.poll(async () => (await shown())?.m !== first.m, { timeout: 5_000 }).toBe(true);
    const next = (await shown())!;
    expect(next.counts).toEqual([0, 1, 2].map((axis) => testAccel(10 * next.m, axis)));
    expect((((next.m - first.m) % 3000) + 3000) % 3000).toBeGreaterThan(0);
    expect(await page.getByTestId('accel-value-X').textContent()).toMatch(/^[+−]\d\.\d{3} g$/);
    expect(Number(await page.getByTestId('accel-chart').getAttribute('data-draws'))).toBeGreaterThan(1);
    expect(await page.getByTestId('accel-chart').locator('canvas').count()).toBeGreaterThan(0);
    await panel.screenshot({ path: join(ARTIFACTS, 'accelerometer.png') });
    // closed, the panel is gone (not mounted); opened again, it shows the readings anew
    await page.getByTestId('view-accel').uncheck();
    await expect.poll(() => panel.count()).toBe(0);
    await page.getByTestId('view-accel').check();
    await expect.poll(async () => (await shown()) !== null, { timeout: 10_000 }).toBe(true);
  });

  it('sets channel 3 to gain 8 and shows what the board confirmed', async () => {
    await page.getByTestId('channel-gain-3').selectOption('8');
    await expect.poll(() => page.getByTestId('channel-settings').getAttribute('data-pending')).toBe('1');
    await page.getByTestId('channel-apply').click();
    const row = page.getByTestId('channel-row-3');
    await expect.poll(() => row.getAttribute('data-confirmed-gain'), { timeout: 15_000 }).toBe('8');
    expect(await row.getAttribute('data-board-confirmed')).toBe('true');
    expect(await page.getByTestId('channel-gain-3').inputValue()).toBe('8');
    expect(await page.getByTestId('channel-settings').getAttribute('data-pending')).toBe('0');
    expect(await page.getByTestId('channel-row-4').getAttribute('data-confirmed-gain')).toBe('24');
    await expect.poll(() => text('status-state')).toMatch(/streaming/i);
  });

  it('measures the impedance of channel 1 into a coloured tile with kΩ', async () => {
    await page.getByTestId('impedance-channel').selectOption('1');
    await page.getByTestId('impedance-measure').click();
    await expect.poll(() => page.getByTestId('impedance-view').getAttribute('data-measuring'), { timeout: 2_000 }).toBe('true');
    const tile = page.getByTestId('impedance-1');
    await expect.poll(() => tile.getAttribute('data-kohm'), { timeout: 30_000 }).not.toBeNull();
    const kOhm = Number(await tile.getAttribute('data-kohm'));
    const quality = await tile.getAttribute('data-quality');
    // the emulator's electrodes are 5 + 3·(channel − 1) kΩ by default: channel 1 is 5 kΩ, good
    expect(kOhm).toBeGreaterThan(3.5);
    expect(kOhm).toBeLessThan(6.5);
    expect(quality).toBe('good');
    expect(await tile.textContent()).toMatch(/\d+(\.\d)?\s*kΩ/);
    expect(await tile.evaluate((el) => getComputedStyle(el).borderTopColor)).not.toBe(await page.getByTestId('impedance-2').evaluate((el) => getComputedStyle(el).borderTopColor));
    expect(await page.getByTestId('impedance-2').getAttribute('data-kohm')).toBeNull();
    await expect.poll(() => text('status-state'), { timeout: 10_000 }).toMatch(/streaming/i);
  });

  it('shows the link lost in red while the port is gone, and connected again when it is back', async () => {
    await emulator.unplug();
    const link = page.getByTestId('status-link');
    await expect.poll(() => link.getAttribute('data-link'), { timeout: 15_000 }).toMatch(/disconnected|reconnecting/);
    await page.getByTestId('status-link').screenshot({ path: join(ARTIFACTS, 'cyton-link-lost.png') });
    expect(await text('status-state')).toMatch(/streaming/i); // the session stays open
    await emulator.replug();
    await expect.poll(() => link.getAttribute('data-link'), { timeout: 20_000 }).toBe('connected');
  });

  it('shows the workstation with the Cyton panels (screenshot for the record)', async () => {
    await page.waitForTimeout(1500);
    await page.screenshot({ path: join(ARTIFACTS, 'cyton.png') });
    expect(consoleErrors).toEqual([]);
  });
});
