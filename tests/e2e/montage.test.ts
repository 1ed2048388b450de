// The montage editor in a real browser (bci serve, synthetic board): a label and a position edited
// in the table, a duplicate label shown inline (Save waits), the montage saved and applied; the
// trace labels and the head map follow the engine's new descriptor, and a recording made then
// names the montage in its session file.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
  ws = await openWorkstation('&autostart=synthetic&channels=8');
  ({ page, server, consoleErrors } = ws);
}, 60_000);

afterAll(async () => {
  await ws?.close();
});

const attr = async (testId: string, name: string): Promise<string> => (await page.getByTestId(testId).getAttribute(name)) ?? '';
const traceLabels = async (): Promise<string[]> => (await page.locator('.ts-labels .ts-name').allTextContents()).map((t) => t.trim());

describe.skipIf(!haveBrowser)('montage editor in Chromium', () => {
  it('edits, saves and applies a montage: traces, head map and recordings follow', async () => {
    await expect.poll(async () => (await page.getByTestId('status-state').textContent()) ?? '', { timeout: 15_000 }).toMatch(/streaming/i);
    await expect.poll(traceLabels, { timeout: 10_000 }).toContain('C3');
    // the editor starts from the board's channels
    await expect.poll(() => page.getByTestId('montage-label-2').inputValue(), { timeout: 10_000 }).toBe('C3');
    expect(await attr('headmap', 'data-labels')).toContain('C3');

    // channel 1 becomes an EOG channel with no position: a duplicate label first, shown inline
    await page.getByTestId('montage-label-0').fill('Fp2');
    await expect.poll(async () => Number(await attr('montage-problems', 'data-count'))).toBeGreaterThan(0);
    expect(await page.getByTestId('montage-problems').textContent()).toMatch(/both labelled "Fp2"/);
    await page.getByTestId('montage-name').fill('e2e lab');
    expect(await page.getByTestId('montage-save').isDisabled()).toBe(true);
    await page.getByTestId('montage-label-0').fill('HEOG');
    await page.getByTestId('montage-type-0').selectOption('eog');
    await page.getByTestId('montage-position-0').selectOption('');
    // channel 3 is relabelled and moved to Cz
    await page.getByTestId('montage-label-2').fill('Vertex');
    await page.getByTestId('montage-position-2').selectOption('Cz');
    await expect.poll(async () => Number(await attr('montage-problems', 'data-count'))).toBe(0);

    await page.getByTestId('montage-save').click();
    await expect.poll(async () => (await page.getByTestId('montage-message').textContent()) ?? '', { timeout: 10_000 }).toMatch(/Saved e2e lab/);
    expect(server.engine.montageStore().get('e2e lab').channels[2]).toEqual({ label: 'Vertex', type: 'eeg', position: 'Cz' });

    await page.getByTestId('montage-apply').click();
    await expect.poll(() => attr('montage-panel', 'data-applied'), { timeout: 10_000 }).toBe('e2e lab');
    await expect.poll(traceLabels, { timeout: 10_000 }).toContain('Vertex');
    expect(await traceLabels()).toContain('HEOG');
    // the head map: Vertex at Cz, the EOG channel left out
    await expect.poll(() => attr('headmap', 'data-labels'), { timeout: 10_000 }).toContain('Vertex');
    expect((await attr('headmap', 'data-labels')).split(' ')).not.toContain('HEOG');
    expect(Number(await attr('headmap', 'data-electrodes'))).toBe(7);
    expect(server.engine.descriptor?.channels[0]).toMatchObject({ label: 'HEOG', type: 'eog', position: '' });
    await page.getByTestId('montage-panel').screenshot({ path: join(ARTIFACTS, 'montage.png') });
    // the session form shows the applied montage, which recordings carry (no second, free-text one)
    await page.getByTestId('session-form-toggle').click();
    await expect.poll(() => page.getByTestId('session-montage-applied').inputValue(), { timeout: 10_000 }).toBe('e2e lab');
    await page.getByTestId('session-form-toggle').click();

    // a recording started now names the montage and carries its labels
    const { path } = await server.engine.startRecording({ session: { subject: 'E2EM' } });
    await expect.poll(() => page.getByTestId('montage-apply').isDisabled(), { timeout: 10_000 }).toBe(true);
    const result = await server.engine.stopRecording();
    const session = JSON.parse(readFileSync(result.sidecars.find((p) => p.endsWith('_session.json'))!, 'utf8')) as { montage: string };
    expect(session.montage).toBe('e2e lab');
    expect(readFileSync(path.replace(/_eeg\.bdf$/, '_channels.tsv'), 'utf8')).toMatch(/^HEOG\tEOG\t/m);
    expect(consoleErrors).toEqual([]);
  }, 90_000);
});
