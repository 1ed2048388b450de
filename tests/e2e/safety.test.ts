// Session safety in a real browser (bci serve, synthetic board): the checklist, when enforced,
// keeps Record disabled and names what is still red until every item is green; an alert raised by
// the engine shows as a banner with a sound cue and stays until acknowledged (the acknowledgement
// lands in the session file); the spectrogram and the head map draw and update; a UDP marker sent
// during the recording lands in the file.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSocket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { RunningServer } from '../../electron/server/serve.js';
import { ARTIFACTS, chromiumAvailable, openWorkstation, type OpenWorkstation } from './browser.js';

const haveBrowser = chromiumAvailable();
let ws: OpenWorkstation;
let page: Page;
let server: RunningServer;
let consoleErrors: string[];

beforeAll(async () => {
  if (!haveBrowser) return;
  ws = await openWorkstation('&autostart=synthetic');
  ({ page, server, consoleErrors } = ws);
}, 60_000);

afterAll(async () => {
  await ws?.close();
});

const attr = async (testId: string, name: string): Promise<string> => (await page.getByTestId(testId).getAttribute(name)) ?? '';

describe.skipIf(!haveBrowser)('session safety in Chromium', () => {
  it('blocks Record while the enforced checklist is red, naming the red items, then lets it start', async () => {
    await expect.poll(async () => (await page.getByTestId('status-state').textContent()) ?? '', { timeout: 15_000 }).toMatch(/streaming/i);
    await page.getByTestId('checklist-enforce').check();
    const record = page.getByTestId('record-toggle');
    await expect.poll(() => record.textContent(), { timeout: 10_000 }).toMatch(/^Still red: .*Protocol and consent/);
    expect(await record.isDisabled()).toBe(true);
    expect(await attr('check-ethics', 'data-ok')).toBe('false');
    await page.getByTestId('session-form-toggle').click();
    await page.getByTestId('session-subject').fill('E2E01');
    await expect.poll(() => attr('check-ethics', 'data-ok'), { timeout: 10_000 }).toBe('true');
    // signal quality needs 10 s of good windows on the used channels
    await expect.poll(() => attr('checklist', 'data-ready'), { timeout: 30_000 }).toBe('true');
    await expect.poll(() => record.textContent()).toMatch(/^Record$/);
    expect(await record.isDisabled()).toBe(false);
    await page.getByTestId('checklist').screenshot({ path: join(ARTIFACTS, 'checklist.png') });
  });

  it('draws the spectrogram and the head map and keeps updating them', async () => {
    const columns = async () => Number((await attr('spectrogram', 'data-columns')) || 0);
    const window = async () => Number((await attr('headmap', 'data-window')) || -1);
    await expect.poll(columns, { timeout: 10_000 }).toBeGreaterThan(2);
    expect(Number(await attr('headmap', 'data-electrodes'))).toBe(8);
    expect(await page.getByTestId('accel-none').textContent()).toMatch(/no accelerometer/); // the synthetic board has none
    const c0 = await columns();
    const w0 = await window();
    await expect.poll(columns, { timeout: 10_000 }).toBeGreaterThan(c0);
    await expect.poll(window, { timeout: 10_000 }).toBeGreaterThan(w0);
    await page.getByTestId('headmap').screenshot({ path: join(ARTIFACTS, 'headmap.png') });
    await page.getByTestId('spectrogram').screenshot({ path: join(ARTIFACTS, 'spectrogram.png') });
  });

  it('records with a UDP marker in the file, and an alert banner that must be acknowledged', async () => {
    const { port } = await server.engine.openMarkerPort(0);
    await page.getByTestId('record-toggle').click();
    await expect.poll(() => attr('recording-status', 'data-path'), { timeout: 10_000 }).toMatch(/_eeg\.bdf$/);
    const path = await attr('recording-status', 'data-path');
    const socket = createSocket('udp4');
    await new Promise<void>((resolve, reject) => socket.send('stim-42', port, '127.0.0.1', (e) => (socket.close(), e ? reject(e) : resolve())));
    // an alert through the real rules: a fatigue reminder after 0.6 s of recording
    server.engine.setAlertRules({ fatigueMinutes: 0.01 });
    const banner = page.getByTestId('alert-banner');
    await expect.poll(() => banner.isVisible(), { timeout: 15_000 }).toBe(true);
    expect(Number(await attr('alert-banner', 'data-cues'))).toBeGreaterThanOrEqual(1);
    const row = banner.locator('[data-rule="fatigue"]');
    expect(await row.textContent()).toMatch(/check on the person/);
    await banner.screenshot({ path: join(ARTIFACTS, 'alert-banner.png') });
    const id = (await row.getAttribute('data-testid'))!.replace('alert-', '');
    await page.getByTestId(`alert-ack-${id}`).click();
    await expect.poll(() => page.getByTestId('alert-banner').count(), { timeout: 10_000 }).toBe(0);
    await page.getByTestId('record-toggle').click();
    await expect.poll(() => page.getByTestId('recording-summary').count(), { timeout: 15_000 }).toBe(1);
    const events = readFileSync(path.replace(/_eeg\.bdf$/, '_events.tsv'), 'utf8');
    expect(events).toMatch(/\tmarker\tstim-42\t\d+/);
    const session = JSON.parse(readFileSync(path.replace(/_eeg\.bdf$/, '_session.json'), 'utf8')) as { safety: { kind: string; id?: number; by?: string }[] };
    expect(session.safety.some((e) => e.kind === 'alert-ack' && e.id === Number(id) && e.by === 'operator')).toBe(true);
    expect(consoleErrors).toEqual([]);
  });
});
