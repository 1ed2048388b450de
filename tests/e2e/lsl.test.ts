// LSL in the app, in a real browser against `bci serve`, with a stream published by another
// process through the real liblsl on this machine only (lsl_api.cfg: ResolveScope = machine):
// "Find LSL streams" lists it (name, type, channels, rate); "Use as board" sets the board picker
// to it by source_id; Connect and Start stream it; its marker stream's "Take markers" puts the
// sender's markers into the session.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { MarkerInfo } from '../../electron/common/contract/commands.js';
import { tempDir } from '../support/tmp.js';
import { buildLslPeer, keepLslOnThisMachine, startChild, uniqueName, type Child } from '../support/lsl.js';
import { chromiumAvailable, openWorkstation, type OpenWorkstation } from './browser.js';

const haveBrowser = chromiumAvailable();
const dir = tempDir('bci-e2e-lsl-');
keepLslOnThisMachine(dir);
const name = uniqueName('bci-e2e-eeg');
const markersName = `${name} markers`;
const sourceId = `${name}-source`;
let peer = '';
let ws: OpenWorkstation;
let page: Page;
const markers: MarkerInfo[] = [];

beforeAll(async () => {
  if (!haveBrowser) return;
  peer = buildLslPeer(dir);
  ws = await openWorkstation();
  page = ws.page;
  ws.server.engine.on('marker', (m) => markers.push(m));
}, 60_000);

afterAll(async () => {
  await ws?.close();
});

async function streamIndex(streamName: string): Promise<number> {
  await page.getByTestId('lsl-search').click();
  let index = -1;
  await expect
    .poll(
      async () => {
        const names = await page.getByTestId('lsl-streams').locator('li > strong').allTextContents();
        index = names.indexOf(streamName);
        return index;
      },
      { timeout: 10_000 },
    )
    .toBeGreaterThanOrEqual(0);
  return index;
}

describe.skipIf(!haveBrowser)('LSL streams in Chromium (bci serve)', () => {
  it('lists a stream another process publishes, uses it as the board, and takes its markers', async () => {
    // 2 channels at 250 Hz for 120 s, with a marker stream (killed when the test ends)
    const sender: Child = startChild(peer, ['outlet', name, '2', '250', '120', sourceId, '0', markersName]);
    await sender.out.waitFor(/^READY/);
    const i = await streamIndex(name);
    expect(await page.getByTestId(`lsl-stream-${i}`).textContent()).toMatch(new RegExp(`^${name} EEG on .+: 2 ch, 250 Hz`));
    await page.getByTestId(`lsl-use-${i}`).click();
    expect(await page.getByTestId('board-select').inputValue()).toBe('lsl');
    expect(await page.getByTestId('field-lslStream').inputValue()).toBe(`source_id=${sourceId}`);
    await page.getByTestId('connect').click();
    await expect.poll(async () => (await page.getByTestId('status-state').textContent()) ?? '', { timeout: 20_000 }).toMatch(/connected/i);
    expect(ws.server.engine.getStatus()).toMatchObject({ boardId: 'lsl', channelCount: 2, sampleRateHz: 250 });
    // while connected, a board cannot be swapped from the list
    expect(await page.getByTestId(`lsl-use-${await streamIndex(name)}`).isDisabled()).toBe(true);
    await page.getByTestId('startstop').click();
    await expect.poll(() => ws.server.engine.getStatus().rowsReceived, { timeout: 20_000 }).toBeGreaterThan(250);

    const m = await streamIndex(markersName);
    await page.getByTestId(`lsl-take-markers-${m}`).click();
    await expect.poll(async () => (await page.getByTestId(`lsl-take-markers-${m}`).textContent()) ?? '', { timeout: 10_000 }).toBe('Markers taken');
    await expect.poll(() => markers.length, { timeout: 15_000 }).toBeGreaterThan(0);
    expect(await page.getByTestId('lsl-error').count()).toBe(0);
    expect(ws.consoleErrors).toEqual([]);
  });
});
