// The calibration paradigm in a real browser, served by `bci serve` on the synthetic board: a short
// motor-imagery run configured through the panel draws its cues on the stage, and the engine
// receives every marker, each cue at the sample of the frame that drew it (checked against the
// seeded schedule); an SSVEP run flickers its targets frame by frame and reports the flicker
// frequency measured from headless Chromium's own frame timestamps; on the synthetic board's
// motor-imagery mode the panel says the board cues by itself and follows its cues. A calibration
// records itself in session mode calibration, so the session form names an approved protocol that
// allows calibrations, a subject and their consent first (approveCalibration).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { MarkerInfo } from '../../electron/common/contract/commands.js';
import { buildSchedule, type CalibrationConfig } from '../../renderer/features/decoding/paradigm.js';
import { ARTIFACTS, approveCalibration, chromiumAvailable, openWorkstation, type OpenWorkstation } from './browser.js';

const haveBrowser = chromiumAvailable();
const RATE_HZ = 250;
let ws: OpenWorkstation;
let page: Page;
let consoleErrors: string[] = [];
/** Every marker the engine placed, as its clients hear of them. */
const markers: MarkerInfo[] = [];

beforeAll(async () => {
  if (!haveBrowser) return;
  ws = await openWorkstation(`&autostart=synthetic&rate=${RATE_HZ}`);
  ({ page, consoleErrors } = ws);
  ws.server.engine.on('marker', (m) => markers.push(m));
}, 60_000);

afterAll(async () => {
  await ws?.close();
});

/** Fills the calibration form's fields by test id. */
async function fill(fields: Record<string, string>): Promise<void> {
  for (const [testId, value] of Object.entries(fields)) await page.getByTestId(testId).fill(value);
}

const attr = async (testId: string, name: string): Promise<string | null> => page.getByTestId(testId).getAttribute(name);

/** The cues the stage showed, as a MutationObserver in the page saw its data-cue change. */
async function watchCues(): Promise<void> {
  await page.evaluate(() => {
    const seen: string[] = [];
    const seenAt: number[] = [];
    Object.assign(window, { cuesSeen: seen, cuesSeenAtMs: seenAt });
    new MutationObserver((records) => {
      for (const r of records) {
        const el = r.target as HTMLElement;
        if (el.dataset.testid === 'cue-stage' && el.dataset.cue && el.dataset.cue !== r.oldValue) {
          seen.push(el.dataset.cue);
          seenAt.push(performance.timeOrigin + performance.now());
        }
      }
    }).observe(document.body, { subtree: true, attributes: true, attributeFilter: ['data-cue'], attributeOldValue: true });
  });
}

describe.skipIf(!haveBrowser)('calibration in Chromium (bci serve)', () => {
  it('runs a short motor-imagery calibration: cues drawn, every marker placed at the frame that drew it', async () => {
    await expect.poll(async () => (await page.getByTestId('status-state').textContent()) ?? '', { timeout: 15_000 }).toMatch(/streaming/i);
    await approveCalibration(ws);
    await page.getByTestId('paradigm-mi').click();
    // the same configuration as typed below, for the expected schedule
    const config: CalibrationConfig = {
      kind: 'mi',
      classes: ['left', 'right', 'rest'],
      frequenciesHz: [],
      trialsPerClass: 2,
      timing: { fixationSec: 0.4, cueSec: 0.6, taskSec: 0.4, breakSec: 0.3, jitterSec: 0.2 },
      seed: 5,
      phaseMarkers: true,
    };
    await fill({ 'cal-classes': 'left, right, rest', 'cal-trials': '2', 'cal-fixation': '0.4', 'cal-cue': '0.6', 'cal-task': '0.4', 'cal-break': '0.3', 'cal-jitter': '0.2', 'cal-seed': '5' });
    expect(await page.getByTestId('cal-problems').count()).toBe(0);
    await watchCues();
    const before = markers.length;
    await page.getByTestId('cal-start').click();
    await expect.poll(async () => page.getByTestId('cue-stage').count(), { timeout: 10_000 }).toBe(1);
    await expect.poll(async () => attr('cue-stage', 'data-phase'), { timeout: 5_000, interval: 20 }).toBe('cue');
    expect(await page.getByTestId('cue-symbol').textContent()).toMatch(/^[←→]?$/);
    await page.screenshot({ path: join(ARTIFACTS, 'calibration-cue.png') });
    await expect.poll(async () => attr('cal-result', 'data-status'), { timeout: 30_000 }).toBe('finished');
    expect(await page.getByTestId('cue-stage').count()).toBe(0);
    expect(Number(await attr('cal-result', 'data-cues'))).toBe(6);
    expect(Number(await attr('cal-result', 'data-missed'))).toBe(0);
    expect(await attr('cal-markers', 'data-placed')).toBe(await attr('cal-markers', 'data-sent'));
    await page.locator('.decoding-panel').screenshot({ path: join(ARTIFACTS, 'calibration-panel.png') });

    const schedule = buildSchedule(config);
    const run = markers.slice(before);
    expect(run.every((m) => m.source === 'user')).toBe(true);
    expect(run.map((m) => m.label)).toEqual(['calibration-start', ...schedule.trials.flatMap((t) => ['fixation', t.label, 'break']), 'calibration-end']);
    const cuesSeen = await page.evaluate(() => (window as unknown as { cuesSeen: string[] }).cuesSeen);
    expect(cuesSeen).toEqual(schedule.trials.map((t) => t.label));
    // each cue's marker is stamped in the frame that drew it (the page saw the cue appear then)
    const cuesSeenAtMs = await page.evaluate(() => (window as unknown as { cuesSeenAtMs: number[] }).cuesSeenAtMs);
    const start = run[0];
    const cues = run.filter((m) => config.classes.includes(m.label));
    cues.forEach((m, i) => expect(Math.abs(m.hostTimeMs! - cuesSeenAtMs[i]), `cue ${i}`).toBeLessThan(1000 / 60));
    // and lands where the schedule put it, counted from the start marker: the frame that drew it
    // (up to a frame late) mapped through the clock model. Both the start marker and the cue carry
    // the clock model's jitter (~10 ms on a loaded 2-core CI machine), so a cue may read up to twice
    // that early relative to the start: -25 ms bounds it, not a frame early. A frame that came late
    // (a starved compositor beside another test) moves its cue, and the marker with it, by as much.
    const offsetsMs = cues.map((m, i) => ((m.sampleIndex - start.sampleIndex) * 1000) / RATE_HZ - schedule.trials[i].cueAtMs);
    const frameLateMs = cues.map((m, i) => Math.max(0, m.hostTimeMs! - start.hostTimeMs! - schedule.trials[i].cueAtMs - 1000 / 60));
    console.log(`cue marker offsets from the schedule (ms): ${offsetsMs.map((o) => o.toFixed(0)).join(', ')}; frames late by more than one: ${frameLateMs.map((o) => o.toFixed(0)).join(', ')}`);
    offsetsMs.forEach((o, i) => {
      expect(o).toBeGreaterThan(-25);
      expect(o).toBeLessThan(60 + frameLateMs[i]);
    });
    expect(run.at(-1)!.sampleIndex - start.sampleIndex).toBeGreaterThanOrEqual(Math.floor((schedule.durationMs * RATE_HZ) / 1000) - 3);
  });

  // Retried: the flicker is measured from the frames headless Chromium draws, and with another test
  // file running beside it on 2 cores the compositor drops frames (30 Hz measured as 19 Hz in one of
  // four full-suite runs). A dropped-frame run says nothing about the app; a real fault fails all three.
  it('flickers SSVEP targets frame by frame and reports the flicker measured in headless Chromium', { retry: 2 }, async () => {
    await page.getByTestId('paradigm-ssvep').click();
    // the display's refresh is measured before planning
    await expect.poll(async () => attr('ssvep-plan', 'data-refresh-hz'), { timeout: 10_000 }).not.toBeNull();
    const refreshHz = Number(await attr('ssvep-plan', 'data-refresh-hz'));
    const planText = (await page.getByTestId('ssvep-plan').textContent()) ?? '';
    console.log(`headless Chromium display: ${refreshHz} Hz; plan: ${planText}`);
    await fill({ 'cal-classes': '30Hz, 20Hz', 'cal-frequencies': '30, 20', 'cal-trials': '1', 'cal-fixation': '0.3', 'cal-cue': '0.3', 'cal-task': '3', 'cal-break': '0.3', 'cal-jitter': '0' });
    const before = markers.length;
    await page.getByTestId('cal-start').click();
    await expect.poll(async () => attr('cue-stage', 'data-phase'), { timeout: 5_000, interval: 20 }).toBe('task');
    await page.screenshot({ path: join(ARTIFACTS, 'calibration-ssvep.png') });
    await expect.poll(async () => attr('cal-result', 'data-status'), { timeout: 30_000 }).toBe('finished');
    const rows = await page.getByTestId('ssvep-measured').locator('li').evaluateAll((lis) =>
      lis.map((li) => ({ label: li.getAttribute('data-label'), plannedHz: Number(li.getAttribute('data-planned-hz')), measuredHz: Number(li.getAttribute('data-measured-hz')), cycles: Number(li.getAttribute('data-cycles')), text: li.textContent })),
    );
    const runRefreshHz = Number(await attr('ssvep-measured', 'data-refresh-hz'));
    const frames = Number(await attr('ssvep-measured', 'data-frames'));
    const lateFrames = Number(await attr('ssvep-measured', 'data-late-frames'));
    console.log(`SSVEP flicker in headless Chromium (${frames} frames at ${runRefreshHz.toFixed(2)} Hz, ${lateFrames} late): ${rows.map((r) => `${r.label}: ${r.text}`).join('; ')}`);
    expect(rows.map((r) => r.label)).toEqual(['30Hz', '20Hz']);
    // headless Chromium paces animation frames at 60 Hz: 30 and 20 Hz are 2 and 3 frames per cycle
    expect(rows.map((r) => r.plannedHz)).toEqual([30, 20]);
    for (const r of rows) {
      expect(r.cycles).toBeGreaterThan(r.plannedHz * 2.5);
      // frame-locked: a late frame (software rendering on a loaded machine drops a few percent)
      // only lengthens a cycle, so the measured flicker is never above the plan, and not far below
      expect(r.measuredHz).toBeLessThanOrEqual(r.plannedHz * 1.005);
      expect(r.measuredHz).toBeGreaterThan(r.plannedHz * 0.85);
    }
    // both targets count the same frames: their measured ratio is the planned 3:2 whatever frames were dropped
    expect(rows[0].measuredHz / rows[1].measuredHz).toBeCloseTo(1.5, 1);
    expect(Math.abs(rows[0].measuredHz / rows[1].measuredHz - 1.5)).toBeLessThan(0.02);
    const labels = markers.slice(before).map((m) => m.label);
    expect(labels.filter((l) => l === '30Hz' || l === '20Hz').sort()).toEqual(['20Hz', '30Hz']);
  });

  it('on the synthetic board in motor-imagery mode, says the board cues by itself and follows its cues', async () => {
    await ws.server.engine.disconnect();
    await page.goto(`${ws.server.url}&autostart=synthetic&rate=${RATE_HZ}&mode=mi`);
    await expect.poll(async () => (await page.getByTestId('status-state').textContent()) ?? '', { timeout: 15_000 }).toMatch(/streaming/i);
    // a new page: the form remembers the protocol, never the subject or the consent
    await approveCalibration(ws);
    await page.getByTestId('paradigm-mi').click();
    await expect.poll(async () => (await page.getByTestId('board-cues-note').textContent()) ?? '', { timeout: 10_000 }).toMatch(/sends its own cues \(Motor-imagery cues/);
    expect(await page.getByTestId('follow-board-cues').isChecked()).toBe(true);
    await fill({ 'cal-trials': '2' });
    const before = markers.length;
    await page.getByTestId('cal-start').click();
    await expect.poll(async () => attr('cue-stage', 'data-source'), { timeout: 10_000 }).toBe('board');
    // the board's next cue (a rest period, then left or right every ~6 s) shows on the stage
    await expect.poll(async () => attr('cue-stage', 'data-cue'), { timeout: 10_000, interval: 50 }).toMatch(/^(left|right|rest)$/);
    await page.screenshot({ path: join(ARTIFACTS, 'calibration-board-cues.png') });
    await page.getByTestId('stage-abort').click();
    await expect.poll(async () => attr('cal-result', 'data-status'), { timeout: 10_000 }).toBe('aborted');
    expect(Number(await attr('cal-result', 'data-cues'))).toBeGreaterThanOrEqual(1);
    const run = markers.slice(before);
    expect(run.filter((m) => m.source === 'user').map((m) => m.label)).toEqual(['calibration-start', 'calibration-abort']);
    expect(run.some((m) => m.source === 'board' && ['left', 'right', 'rest'].includes(m.label))).toBe(true);
    expect(consoleErrors).toEqual([]);
  });
});
