// Recording and replay in a real browser, served by `bci serve`: the session form refuses a name
// as subject with the engine's own sentence; a recording with a marker ends in a summary whose
// file exists; that very file then plays through the live pipeline with a transport bar whose
// position advances, stops on pause, follows a seek, and shows the marker on its timeline.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { ARTIFACTS, chromiumAvailable, openWorkstation, type OpenWorkstation } from './browser.js';

const haveBrowser = chromiumAvailable();
let ws: OpenWorkstation;
let page: Page;
let dataDir: string;
const previousDataDir = process.env.BCI_DATA_DIR;
let consoleErrors: string[] = [];
/** The recording made by the second test, replayed by the third. */
let recordedPath = '';

beforeAll(async () => {
  if (!haveBrowser) return;
  dataDir = mkdtempSync(join(tmpdir(), 'bci-e2e-recording-'));
  // nothing may land in the user's data folder, even if the form's folder were ignored
  process.env.BCI_DATA_DIR = join(dataDir, 'default');
  ws = await openWorkstation('&autostart=synthetic');
  ({ page, consoleErrors } = ws);
}, 60_000);

afterAll(async () => {
  await ws?.close();
  if (previousDataDir === undefined) delete process.env.BCI_DATA_DIR;
  else process.env.BCI_DATA_DIR = previousDataDir;
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

const attr = async (testId: string, name: string): Promise<string | null> => page.getByTestId(testId).getAttribute(name);
const numberAttr = async (testId: string, name: string): Promise<number> => Number((await attr(testId, name)) ?? Number.NaN);
const position = () => numberAttr('transport-position', 'data-position-sec');

describe.skipIf(!haveBrowser)('recording and replay in Chromium (bci serve)', () => {
  it('refuses a name as the subject with the engine’s sentence', async () => {
    await expect.poll(async () => (await page.getByTestId('status-state').textContent()) ?? '', { timeout: 15_000 }).toMatch(/streaming/i);
    await page.getByTestId('session-form-toggle').click();
    // an empty session looks empty: examples are marked as such and drawn unlike values
    const subject = page.getByTestId('session-subject');
    expect(await subject.getAttribute('placeholder')).toMatch(/^e\.g\. /);
    expect(await subject.evaluate((el) => getComputedStyle(el, '::placeholder').fontStyle)).toBe('italic');
    await page.getByTestId('session-subject').fill('Jane Doe');
    await page.getByTestId('session-datadir').fill(dataDir);
    await page.getByTestId('record-toggle').click();
    await expect.poll(async () => (await page.getByTestId('recording-error').textContent()) ?? '', { timeout: 10_000 }).toMatch(/subject code must be letters and digits only/i);
    expect(await page.getByTestId('session-subject').getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByTestId('recording-status').count()).toBe(0);
    expect(await page.getByTestId('record-toggle').getAttribute('aria-pressed')).toBe('false');
    await page.locator('.record-panel').screenshot({ path: join(ARTIFACTS, 'recording-refused.png') });
  });

  it('records a session with a marker and shows the summary of a file that exists', async () => {
    await page.getByTestId('session-subject').fill('S01');
    await page.getByTestId('session-task').fill('e2e');
    await page.getByTestId('session-consent').check();
    await expect.poll(async () => (await page.locator('.field.consent').textContent()) ?? '').toMatch(/at \d\d:\d\d/);
    await expect.poll(async () => page.getByTestId('recording-error').count()).toBe(0);
    await page.getByTestId('record-toggle').click();
    await expect.poll(async () => page.getByTestId('recording-status').count(), { timeout: 10_000 }).toBe(1);
    expect(await page.getByTestId('record-toggle').getAttribute('aria-pressed')).toBe('true');
    const livePath = (await attr('recording-status', 'data-path')) ?? '';
    expect(livePath.startsWith(dataDir)).toBe(true);
    expect(livePath).toMatch(/sub-S01_ses-01_task-e2e_run-01_eeg\.bdf$/);

    await page.waitForTimeout(3000);
    await page.getByTestId('marker').click();
    await expect.poll(() => numberAttr('recording-status', 'data-annotations'), { timeout: 10_000 }).toBeGreaterThanOrEqual(1);
    await expect.poll(async () => (await page.locator('.rec-markers').textContent()) ?? '').toContain('M1');
    await expect.poll(() => numberAttr('recording-status', 'data-duration'), { timeout: 10_000 }).toBeGreaterThanOrEqual(2.5);
    await page.waitForTimeout(500); // the marker well inside the file
    await page.screenshot({ path: join(ARTIFACTS, 'recording.png') });

    await page.getByTestId('record-toggle').click();
    await expect.poll(async () => page.getByTestId('recording-summary').count(), { timeout: 15_000 }).toBe(1);
    recordedPath = (await attr('recording-summary', 'data-path')) ?? '';
    expect(recordedPath).toBe(livePath);
    expect(existsSync(recordedPath)).toBe(true);
    expect(await numberAttr('recording-summary', 'data-duration')).toBeGreaterThanOrEqual(2);
    expect(await numberAttr('recording-summary', 'data-events')).toBeGreaterThanOrEqual(1);
    expect(await attr('recording-summary', 'data-sha256')).toMatch(/^[0-9a-f]{64}$/);
    const summaryText = (await page.getByTestId('recording-summary').textContent()) ?? '';
    expect(summaryText).toContain(recordedPath);
    expect(summaryText).toContain(((await attr('recording-summary', 'data-sha256')) ?? '').slice(0, 12));
    expect(readFileSync(recordedPath.replace(/_eeg\.bdf$/, '_events.tsv'), 'utf8')).toContain('M1');
    // the session form went into the recording's session file
    const sessionFile = JSON.parse(readFileSync(recordedPath.replace(/_eeg\.bdf$/, '_session.json'), 'utf8')) as Record<string, unknown>;
    expect(sessionFile).toMatchObject({ subject: 'S01', session: '01', task: 'e2e', consentObtained: true });
    expect(Date.parse(String(sessionFile.consentTime))).toBeGreaterThan(Date.now() - 120_000);
    expect(await page.getByTestId('record-toggle').getAttribute('aria-pressed')).toBe('false');
    await page.locator('.record-panel').screenshot({ path: join(ARTIFACTS, 'recording-summary.png') });
  });

  it('replays that recording: position advances, pause holds it, a seek moves it, the marker is on the timeline', async () => {
    expect(recordedPath).not.toBe('');
    await page.getByTestId('playback-path').fill(recordedPath);
    await page.getByTestId('playback-speed').selectOption('4');
    await page.getByTestId('playback-loop').check();
    await page.getByTestId('playback-open').click();
    await expect.poll(async () => page.getByTestId('transport').count(), { timeout: 15_000 }).toBe(1);
    await expect.poll(async () => (await page.getByTestId('status-state').textContent()) ?? '', { timeout: 10_000 }).toMatch(/streaming/i);
    const durationSec = await numberAttr('transport-position', 'data-duration-sec');
    expect(durationSec).toBeGreaterThanOrEqual(2);
    expect(await page.getByTestId('transport-speed').inputValue()).toBe('4');
    // one speed and loop control while it plays: the transport bar's
    expect(await page.getByTestId('playback-speed').count()).toBe(0);
    expect(await page.getByTestId('playback-loop').count()).toBe(0);

    // the position advances (it loops, so look for several distinct readings)
    const seen = new Set<number>();
    await expect
      .poll(
        async () => {
          seen.add(await position());
          return seen.size;
        },
        { timeout: 10_000, interval: 150 },
      )
      .toBeGreaterThanOrEqual(3);

    // pause: the position stops
    await page.getByTestId('transport-playpause').click();
    await expect.poll(async () => attr('transport', 'data-playing'), { timeout: 5_000 }).toBe('false');
    await page.waitForTimeout(400);
    const held = await position();
    await page.waitForTimeout(1200);
    expect(await position()).toBe(held);

    // a click on the timeline at 1 s seeks there
    const box = (await page.getByTestId('transport-timeline').boundingBox())!;
    await page.mouse.click(box.x + (box.width * 1) / durationSec, box.y + box.height / 2 + 6);
    await expect.poll(position, { timeout: 5_000, interval: 100 }).toBeCloseTo(1, 1);
    await page.waitForTimeout(600);
    expect(Math.abs((await position()) - 1)).toBeLessThan(0.06);
    expect((await page.getByTestId('transport-position').textContent()) ?? '').toMatch(/^0:01\.0\s*\/\s*\d+:\d\d\.\d$/);

    // the marker recorded above is an event on the timeline, labelled, with its time on hover
    const tick = page.locator('[data-testid="transport-event"][data-label~="M1"]');
    expect(await tick.count()).toBe(1);
    const onset = Number(await tick.getAttribute('data-onset-sec'));
    expect(onset).toBeGreaterThan(2);
    expect(onset).toBeLessThan(durationSec);
    expect((await page.getByTestId('transport-timeline').textContent()) ?? '').toContain('M1');
    const tickBox = (await tick.boundingBox())!;
    await page.mouse.move(tickBox.x + tickBox.width / 2, tickBox.y + tickBox.height / 2);
    await expect.poll(async () => (await page.locator('.timeline-hover').textContent()) ?? '').toMatch(/^M1 at 0:0\d\.\d$/);
    await page.screenshot({ path: join(ARTIFACTS, 'replay.png') });
    await page.getByTestId('transport').screenshot({ path: join(ARTIFACTS, 'transport.png') });

    // play again from there
    await page.mouse.move(box.x + box.width / 2, box.y - 60);
    await page.getByTestId('transport-playpause').click();
    await expect.poll(async () => attr('transport', 'data-playing'), { timeout: 5_000 }).toBe('true');

    // the speed select drives the board; a click while playing seeks and keeps playing
    await page.getByTestId('transport-speed').selectOption('1');
    // the select shows the engine's speed: the next status carries the new one
    await expect.poll(() => page.getByTestId('transport-speed').inputValue(), { timeout: 5_000 }).toBe('1');
    const clickedAt = Date.now();
    await page.mouse.click(box.x + (box.width * 2) / durationSec, box.y + box.height / 2 + 6);
    await expect.poll(position, { timeout: 5_000, interval: 100 }).toBeGreaterThanOrEqual(2);
    const afterSeek = await position();
    const seekSeen = Date.now();
    // from 2 s on, at 1×: no further than the wall clock since the click (a loaded machine may see it late)
    expect(afterSeek).toBeLessThan(2 + (seekSeen - clickedAt) / 1000 + 0.6);
    // playing on from there at 1× (event-driven: the position moves on, and never ahead of the wall clock)
    await expect.poll(async () => (await position()) - afterSeek, { timeout: 10_000, interval: 100 }).toBeGreaterThan(0.5);
    expect(await attr('transport', 'data-playing')).toBe('true');
    const later = await position();
    expect(later - afterSeek).toBeLessThan((Date.now() - seekSeen) / 1000 + 0.6);
    expect(consoleErrors).toEqual([]);
  });
});
