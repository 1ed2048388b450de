// Protocols, the impedance override and the alert rules managed in the app (bci serve in Chromium,
// the Cyton emulator on a socat pty): a protocol added in the Protocols panel (its form refusing
// bad fields in sentences on those fields) and picked in the session form, which says it does not
// allow calibrations; a calibration under it refused with the engine's sentence and nothing
// recorded; an electrode over the impedance threshold overridden with a written reason, the
// checklist item turning green and the override landing in the recording's session file and
// events; an alert threshold changed in the form, in force and saved in the site settings; the
// protocol retired with a reason.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { CytonEmulator } from '../support/cyton-emulator.js';
import { socatAvailable } from '../support/socat.js';
import { ARTIFACTS, chromiumAvailable, openWorkstation, type OpenWorkstation } from './browser.js';

const ready = chromiumAvailable() && socatAvailable();
let ws: OpenWorkstation;
let page: Page;
let emulator: CytonEmulator;
let dataDir: string;
let consoleErrors: string[] = [];
const year = new Date().getUTCFullYear();
const REASON = 'dry electrodes today, checked by eye with the PI';

beforeAll(async () => {
  if (!ready) return;
  // channel 1's electrode is over the 50 kΩ threshold
  emulator = await CytonEmulator.start({ impedanceKOhm: [80] });
  // bypassCSP only to inject axe-core for the audit of the new forms
  ws = await openWorkstation('', { bypassCSP: true });
  ({ page, consoleErrors } = ws);
  dataDir = process.env.BCI_DATA_DIR!;
}, 60_000);

afterAll(async () => {
  await ws?.close();
  await emulator?.stop();
});

const text = async (testId: string): Promise<string> => (await page.getByTestId(testId).textContent()) ?? '';
const attr = async (testId: string, name: string): Promise<string> => (await page.getByTestId(testId).getAttribute(name)) ?? '';

describe.skipIf(!ready)('protocols, impedance override and alert rules in the app (Chromium, Cyton emulator)', () => {
  it('adds a protocol in the panel (bad fields refused on the field) and picks it in the session form', async () => {
    await page.getByTestId('protocol-add-toggle').click();
    await page.getByTestId('protocol-id').fill('REC 1');
    await page.getByTestId('protocol-add').click();
    expect(await text('protocol-error-id')).toBe('A protocol id is letters, digits, dots, dashes or underscores (up to 64).');
    expect(await text('protocol-error-title')).toBe('Enter the title.');
    await page.getByTestId('protocol-id').fill('REC1');
    await page.getByTestId('protocol-title').fill('Resting EEG, recordings only');
    await page.getByTestId('protocol-committee').fill('Ethics Board A');
    await page.getByTestId('protocol-approvalNumber').fill('EB-17');
    await page.getByTestId('protocol-validFrom').fill(`${year}-01-01`);
    await page.getByTestId('protocol-validTo').fill(`${year - 1}-12-31`);
    await page.getByTestId('protocol-add').click();
    expect(await text('protocol-error-validTo')).toBe('Valid-from must not be after valid-to.');
    await page.getByTestId('protocol-validTo').fill(`${year + 1}-12-31`);
    await page.getByTestId('protocol-maxMinutes').fill('90');
    await page.getByTestId('protocol-add').click();
    await expect.poll(() => page.getByTestId('protocol-REC1').count(), { timeout: 10_000 }).toBe(1);
    expect(await attr('protocol-REC1', 'data-state')).toBe('current');
    const saved = JSON.parse(readFileSync(join(dataDir, 'protocols.json'), 'utf8')) as { protocols: { id: string; modes: string[]; maxSessionMinutes: number }[] };
    expect(saved.protocols).toEqual([expect.objectContaining({ id: 'REC1', modes: ['recording'], maxSessionMinutes: 90 })]);
    // the same id again: the engine's refusal lands on the id field
    await page.getByTestId('protocol-id').fill('REC1');
    await page.getByTestId('protocol-title').fill('again');
    await page.getByTestId('protocol-committee').fill('B');
    await page.getByTestId('protocol-approvalNumber').fill('X');
    await page.getByTestId('protocol-validFrom').fill(`${year}-01-01`);
    await page.getByTestId('protocol-validTo').fill(`${year}-12-31`);
    await page.getByTestId('protocol-add').click();
    await expect.poll(() => text('protocol-error-id')).toMatch(/^Protocol REC1 already exists/);

    await page.getByTestId('session-form-toggle').click();
    await page.getByTestId('session-protocol').selectOption('REC1');
    expect(await text('session-protocol-warnings')).toBe('Protocol REC1 does not allow calibration sessions (it allows recording).');
    await page.getByTestId('session-subject').fill('S07');
    await page.getByTestId('session-consent').check();
    await page.getByTestId('protocols-panel').screenshot({ path: join(ARTIFACTS, 'protocols-panel.png') });
  });

  it('refuses a calibration under a recording-only protocol with its sentence, recording nothing', async () => {
    await page.getByTestId('board-select').selectOption('cyton');
    await page.getByTestId('port-select').selectOption('__custom__');
    await page.getByTestId('port-path').fill(emulator.hostPath);
    await page.getByTestId('connect').click();
    await expect.poll(() => text('status-state'), { timeout: 20_000 }).toMatch(/connected/i);
    await page.getByTestId('startstop').click();
    await expect.poll(() => text('status-state'), { timeout: 15_000 }).toMatch(/streaming/i);
    await page.getByTestId('paradigm-mi').click();
    await page.getByTestId('cal-start').click();
    await expect.poll(() => text('decoder-error'), { timeout: 10_000 }).toBe('the calibration did not start: it could not be recorded. Protocol REC1 does not allow calibration sessions (it allows recording)');
    expect(await page.getByTestId('cue-stage').count()).toBe(0);
    expect(ws.server.engine.getStatus().recording).toBeNull();
    const log = readFileSync(join(dataDir, 'ethics-log.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { mode: string; outcome: string; protocolId: string });
    expect(log.at(-1)).toMatchObject({ mode: 'calibration', outcome: 'refused', protocolId: 'REC1' });
  });

  it('overrides an electrode over the threshold with a written reason: the checklist turns green and the recording keeps it', async () => {
    await page.getByTestId('impedance-channel').selectOption('1');
    await page.getByTestId('impedance-measure').click();
    await expect.poll(() => page.getByTestId('impedance-1').getAttribute('data-kohm'), { timeout: 30_000 }).not.toBeNull();
    await expect.poll(() => text('check-impedance'), { timeout: 10_000 }).toMatch(/\d+ kΩ over 50 kΩ: re-prepare, or override with a reason; measure the impedance \(channels 2, 3, 4, 5, 6, 7, 8 not measured yet\)/);
    expect(await attr('check-impedance', 'data-ok')).toBe('false');
    await expect.poll(() => text('status-state'), { timeout: 10_000 }).toMatch(/streaming/i);
    await page.getByTestId('impedance-override-open').click();
    // the red ones are ticked: channel 1 over the threshold, 2-8 not measured
    for (let ch = 1; ch <= 8; ch++) expect(await page.getByTestId(`override-ch-${ch}`).isChecked()).toBe(true);
    await page.getByTestId('override-reason').fill('dry');
    await page.getByTestId('override-apply').click();
    expect(await text('override-error')).toBe('Write why (at least 10 characters): it is logged with the recording.');
    await page.getByTestId('override-reason').fill(REASON);
    await page.getByTestId('override-apply').click();
    await expect.poll(() => attr('check-impedance', 'data-ok'), { timeout: 10_000 }).toBe('true');
    expect(await text('check-impedance')).toContain(`overridden (channels 1, 2, 3, 4, 5, 6, 7, 8): ${REASON}`);
    await page.getByTestId('checklist').screenshot({ path: join(ARTIFACTS, 'checklist-override.png') });

    // a recording under REC1 (approved: recordings) carries the override
    await page.getByTestId('record-toggle').click();
    await expect.poll(() => attr('recording-status', 'data-path'), { timeout: 10_000 }).toMatch(/_eeg\.bdf$/);
    const path = await attr('recording-status', 'data-path');
    await expect.poll(() => Number(ws.server.engine.getStatus().recording?.durationSec ?? 0), { timeout: 10_000 }).toBeGreaterThanOrEqual(1);
    await page.getByTestId('record-toggle').click();
    await expect.poll(() => page.getByTestId('recording-summary').count(), { timeout: 15_000 }).toBe(1);
    const session = JSON.parse(readFileSync(path.replace(/_eeg\.bdf$/, '_session.json'), 'utf8')) as { ethicsCheck: { outcome: string; mode: string }; safety: { kind: string; channels?: number[]; reason?: string }[] };
    expect(session.ethicsCheck).toMatchObject({ outcome: 'approved', mode: 'recording' });
    expect(session.safety).toContainEqual(expect.objectContaining({ kind: 'impedance-override', channels: [1, 2, 3, 4, 5, 6, 7, 8], reason: REASON }));
    const events = readFileSync(path.replace(/_eeg\.bdf$/, '_events.tsv'), 'utf8');
    expect(events).toContain(`impedance override: ch 1,2,3,4,5,6,7,8 (${REASON})`);
  });

  it('changes an alert threshold in the form: refused out of range on its field, else in force and saved', async () => {
    await page.getByTestId('alert-rules-toggle').click();
    expect(await page.getByTestId('rule-fatigueMinutes').inputValue()).toBe('45');
    await page.getByTestId('rule-lossPercent').fill('200');
    await page.getByTestId('rules-apply').click();
    await expect.poll(() => text('rule-error-lossPercent')).toBe('Samples lost above: at most 100.');
    await page.getByTestId('rule-lossPercent').fill('2');
    await page.getByTestId('rule-fatigueMinutes').fill('30');
    await page.getByTestId('rules-apply').click();
    await expect.poll(() => text('rules-note')).toBe('Applied and saved (2 changed).');
    expect(ws.server.engine.alertRules).toMatchObject({ fatigueMinutes: 30, lossPercent: 2 });
    const settings = JSON.parse(readFileSync(join(dataDir, 'settings.json'), 'utf8')) as { alerts: Record<string, number> };
    expect(settings.alerts).toMatchObject({ fatigueMinutes: 30, lossPercent: 2 });
    expect(await attr('rule-fatigueMinutes', 'data-in-force')).toBe('30');
    await page.getByTestId('alert-rules').screenshot({ path: join(ARTIFACTS, 'alert-rules.png') });
    // the new forms (the add-protocol form, the picker, the rules) pass axe-core's WCAG 2.1 A/AA audit
    await page.addScriptTag({ path: createRequire(import.meta.url).resolve('axe-core/axe.min.js') });
    const violations = await page.evaluate(async () => {
      type Axe = { run(ctx: Element, options: unknown): Promise<{ violations: { id: string; nodes: { target: string[] }[] }[] }> };
      const axe = (window as unknown as { axe: Axe }).axe;
      const found: string[] = [];
      for (const id of ['protocols-panel', 'alert-rules', 'checklist']) {
        const result = await axe.run(document.querySelector(`[data-testid="${id}"]`)!, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
        for (const v of result.violations) for (const n of v.nodes) found.push(`${v.id}: ${n.target.join(' ')}`);
      }
      const picker = document.querySelector('[data-testid="session-protocol"]')!.closest('label')!;
      for (const v of (await axe.run(picker, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })).violations) for (const n of v.nodes) found.push(`${v.id}: ${n.target.join(' ')}`);
      return found;
    });
    expect(violations).toEqual([]);
    expect(readdirSync(dataDir)).toEqual(expect.arrayContaining(['protocols.json', 'settings.json', 'ethics-log.jsonl']));

    // retired with a reason: kept, said plainly, no longer offered in the session form
    await page.getByTestId('protocol-retire-REC1').click();
    await page.getByTestId('retire-confirm').click();
    expect(await page.getByTestId('protocol-REC1').getByRole('alert').textContent()).toBe('Give the reason for retiring REC1 (it is kept with the protocol).');
    await page.getByTestId('retire-reason').fill('superseded by REC2');
    await page.getByTestId('retire-confirm').click();
    await expect.poll(() => attr('protocol-REC1', 'data-state')).toBe('retired');
    expect(await text('protocol-state-REC1')).toMatch(/^retired \d{4}-\d{2}-\d{2}: superseded by REC2$/);
    expect(await page.getByTestId('session-protocol').locator('option[value="REC1"]').isDisabled()).toBe(true);
    expect(await text('session-protocol-warnings')).toMatch(/^Protocol REC1 was retired on \d{4}-\d{2}-\d{2} \(superseded by REC2\): name a current protocol\.$/);
    expect(consoleErrors).toEqual([]);
  });
});
