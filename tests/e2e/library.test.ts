// The recordings library in Chromium against `bci serve`, at 1024 × 700: the data folder holds two
// recordings of ours (one cut off after the server started, as by a crash) and a PhysioNet EDF a
// lab put there. The operator filters, sorts, reads a session file, verifies a checksum, repairs
// the cut-off recording and opens the EDF for replay; a file dropped on the page says how a
// browser opens files. Screenshot kept as an artifact.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeSync, copyFileSync, mkdirSync, openSync, rmSync, writeSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Page } from 'playwright-core';
import { PACKAGE_ROOT } from '../support/bci.js';
import { tempDir } from '../support/tmp.js';
import { Engine } from '../../electron/engine/engine.js';
import { ARTIFACTS, chromiumAvailable, openWorkstation, type OpenWorkstation } from './browser.js';

const haveBrowser = chromiumAvailable();
const EDF = join(PACKAGE_ROOT, '..', 'shared', 'data', 'physionet-eegmmidb-S001', 'S001R03.edf');
let ws: OpenWorkstation;
let page: Page;
let dataDir: string;
let rest: string;
let cut: string;

async function record(engine: Engine, task: string): Promise<string> {
  await engine.connect({ board: 'synthetic', channelCount: 8, sampleRateHz: 250, paced: false, durationSec: 2, seed: 2 });
  const { path } = await engine.startRecording({ session: { subject: 'S05', task }, dataDir });
  await engine.start();
  await engine.ended();
  await engine.stop();
  await engine.stopRecording();
  await engine.disconnect();
  return path;
}

beforeAll(async () => {
  if (!haveBrowser) return;
  dataDir = tempDir('bci-e2e-library-');
  const engine = new Engine();
  rest = await record(engine, 'rest');
  cut = await record(engine, 'motor');
  await engine.dispose();
  mkdirSync(join(dataDir, 'imports'));
  copyFileSync(EDF, join(dataDir, 'imports', basename(EDF)));
  process.env.BCI_DATA_DIR = dataDir;
  ws = await openWorkstation();
  page = ws.page;
  await page.setViewportSize({ width: 1024, height: 700 });
  // cut off as by a crash, after the host's start-up recovery ran
  const fd = openSync(cut, 'r+');
  writeSync(fd, Buffer.from('-1      ', 'latin1'), 0, 8, 236);
  closeSync(fd);
  rmSync(`${cut}.sha256`);
}, 60_000);

afterAll(async () => {
  await ws?.close();
  delete process.env.BCI_DATA_DIR;
});

const row = (path: string) => page.locator(`[data-testid="library-row"][data-path="${path}"]`);

describe.skipIf(!haveBrowser)('the recordings library (bci serve)', () => {
  it('lists, filters, sorts, shows sidecars, verifies, repairs and opens recordings', async () => {
    await page.getByTestId('open-library').click();
    const dialog = page.getByTestId('library');
    await expect.poll(async () => dialog.getByTestId('library-row').count(), { timeout: 15_000 }).toBe(3);
    expect(await dialog.getByTestId('library-folder').textContent()).toBe(dataDir);
    expect(await row(cut).getAttribute('data-state')).toBe('unfinished');
    expect(await row(rest).getAttribute('data-checksum')).toBe('unverified');
    expect(await row(rest).textContent()).toMatch(/S05.*rest.*01.*2 s.*8 × 250 Hz/);

    // filter by words; sort by duration (the 2-minute EDF last, then first)
    await dialog.getByTestId('library-filter').fill('s05 motor');
    await expect.poll(async () => dialog.getByTestId('library-row').count()).toBe(1);
    await dialog.getByTestId('library-filter').fill('');
    await dialog.getByRole('button', { name: 'Sort by duration' }).click();
    expect(await dialog.getByTestId('library-row').last().getAttribute('data-path')).toBe(join(dataDir, 'imports', basename(EDF)));
    await dialog.getByRole('button', { name: 'Sort by duration' }).click();
    expect(await dialog.getByTestId('library-row').first().getAttribute('data-path')).toBe(join(dataDir, 'imports', basename(EDF)));

    // the session file beside a recording
    await dialog.getByRole('button', { name: `Sidecars of ${basename(rest)}` }).click();
    await expect.poll(async () => dialog.getByTestId('library-sidecars').textContent()).toMatch(/"subject": "S05"/);

    // verify the checksum; repair the cut-off recording
    await dialog.getByRole('button', { name: `Verify the checksum of ${basename(rest)}` }).click();
    await expect.poll(async () => row(rest).getAttribute('data-checksum')).toBe('verified');
    expect(await dialog.getByTestId('library-message').textContent()).toMatch(/checksum verified/);
    await dialog.getByRole('button', { name: `Repair ${basename(cut)}` }).click();
    await expect.poll(async () => row(cut).getAttribute('data-state')).toBe('complete');
    expect(await row(cut).getAttribute('data-checksum')).toBe('verified');
    expect(await dialog.getByTestId('library-message').textContent()).toMatch(/^repaired .*kept 2 records/);
    await page.screenshot({ path: join(ARTIFACTS, 'library-1024x700.png') });

    // every control of the dialog has its own accessible name
    const names = await dialog.locator('button, input').evaluateAll((els) => els.map((el) => el.getAttribute('aria-label') ?? el.textContent?.trim() ?? ''));
    expect(new Set(names).size).toBe(names.length);

    // open the EDF for replay: the dialog closes and the file plays
    await dialog.getByRole('button', { name: `Open ${basename(EDF)} for replay` }).click();
    await expect.poll(async () => page.getByTestId('library').count()).toBe(0);
    await expect.poll(async () => page.getByTestId('status-state').getAttribute('data-state'), { timeout: 20_000 }).toBe('streaming');
    expect(await page.getByTestId('playback-path').inputValue()).toBe(join(dataDir, 'imports', basename(EDF)));
    expect(ws.consoleErrors).toEqual([]);
  });

  it('in the desktop app (its preload bridge stood in for): Browse… and a dropped file open the recording', async () => {
    // the renderer sees what the preload exposes as bciDesktop: the native dialog's answer, a dropped file's path
    const desktopPage = await ws.browser.newPage({ viewport: { width: 1024, height: 700 } });
    try {
      await desktopPage.addInitScript(
        ({ chosen, dropped }) => {
          (window as unknown as Record<string, unknown>).bciDesktop = { openRecordingDialog: () => Promise.resolve(chosen), pathForFile: () => dropped };
        },
        { chosen: rest, dropped: join(dataDir, 'imports', basename(EDF)) },
      );
      await ws.server.engine.disconnect();
      await desktopPage.goto(ws.server.url);
      await desktopPage.getByTestId('playback-browse').click();
      await expect.poll(async () => desktopPage.getByTestId('playback-path').inputValue(), { timeout: 10_000 }).toBe(rest);
      await expect.poll(async () => desktopPage.getByTestId('status-state').getAttribute('data-state'), { timeout: 20_000 }).toBe('streaming');
      await desktopPage.evaluate(() => {
        const transfer = new DataTransfer();
        transfer.items.add(new File(['x'], 'dropped.edf'));
        document.querySelector('.app')!.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
      });
      await expect.poll(async () => desktopPage.getByTestId('playback-path').inputValue(), { timeout: 10_000 }).toBe(join(dataDir, 'imports', basename(EDF)));
      await expect.poll(async () => desktopPage.getByTestId('status-state').getAttribute('data-state'), { timeout: 20_000 }).toBe('streaming');
      expect(await desktopPage.getByTestId('status-error').count()).toBe(0);
    } finally {
      await desktopPage.close();
    }
  });

  it('says how a browser opens a file dropped on the page', async () => {
    await page.evaluate(() => {
      const transfer = new DataTransfer();
      transfer.items.add(new File(['x'], 'dropped.bdf'));
      document.querySelector('.app')!.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
    });
    await expect.poll(async () => page.getByTestId('status-error').getAttribute('title')).toMatch(/dropped\.bdf cannot be opened by dropping it here.*Open it from the library/);
    // the desktop app has no native dialog here: no Browse button
    expect(await page.getByTestId('playback-browse').count()).toBe(0);
  });
});
