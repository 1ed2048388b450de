// Session safety end to end through the engine and the CLI: protocols and consent refused with
// one sentence before anything is recorded (and logged), an approved recording carrying its check
// in the session file and an annotation; the quality monitor and the alert rules on a recording
// with injected faults played at two speeds (same summaries, same alerts at the same samples),
// alerts and their acknowledgement in the session file and the BDF; a ../shared/data recording's
// quality replayed twice; the Cyton emulator on a real pty losing packets and being unplugged.
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Engine } from '../../../electron/engine/engine.js';
import { CommandHost } from '../../../electron/engine/command-host.js';
import type { Alert } from '../../../electron/common/contract/alerts.js';
import type { QualitySummary } from '../../../electron/common/contract/quality.js';
import { openRecording } from '../../../electron/engine/files/open-recording.js';

async function eventsOf(path: string): Promise<{ label: string; onsetSec: number }[]> {
  const r = await openRecording(path);
  const events = r.info.events;
  await r.close();
  return events;
}
import { bci } from '../../support/bci.js';
import { edfBytes } from '../../support/format-builders.js';
import { tempDir } from '../../support/tmp.js';
import { CytonEmulator } from '../../support/cyton-emulator.js';
import { socatAvailable } from '../../support/socat.js';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function waitUntil(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

const today = new Date().toISOString().slice(0, 10);
const nextYear = `${Number(today.slice(0, 4)) + 1}-12-31`;

describe('protocols and consent (bci protocol, bci settings, bci record)', () => {
  it('refuses each missing piece with one sentence, records under a valid protocol, logs every check', async () => {
    const data = tempDir('bci-ethics-');
    const store = new Engine().siteStore(data);
    const added = await bci(['protocol', 'add', '--data-dir', data, '--id', 'P0', '--title', 'Study P0', '--committee', 'Board A', '--approval', 'EB-P0', '--valid-from', '2019-01-01', '--valid-to', '2020-01-01', '--modes', 'recording']);
    expect(added.stdout).toMatch(/P0 {2}Study P0 {2}\[expired 2020-01-01\]/);
    store.addProtocol({ id: 'P1', title: 'Study P1', committee: 'Board A', approvalNumber: 'EB-P1', validFrom: '2020-01-01', validTo: nextYear, modes: ['recording'], maxSessionMinutes: 60 });
    expect(() => store.addProtocol({ id: 'P1', title: 'again', committee: 'B', approvalNumber: 'X', validFrom: '2020-01-01', validTo: nextYear, modes: ['recording'] })).toThrow(/^protocol P1 already exists/);

    const record = (...extra: string[]) => bci(['record', '--board', 'synthetic', '--subject', 'S01', '--duration', '2', '--unpaced', '--data-dir', data, ...extra]);
    const refusals: [string[], string][] = [
      [['--protocol', 'P0', '--consent'], "bci: protocol P0's approval expired on 2020-01-01"],
      [['--protocol', 'P1'], 'bci: no consent is recorded for subject S01 under protocol P1'],
    ];
    for (const [flags, sentence] of refusals) {
      const r = await record(...flags);
      expect(r.stderr.startsWith(sentence), r.stderr).toBe(true);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.code).toBe(2);
    }
    // the same check in the engine, for what the CLI cannot ask for
    const engine = new Engine();
    expect(() => engine.checkSession('recording', { subject: 'S01', protocolId: 'P9', consentObtained: true }, data)).toThrow(/^protocol P9 does not exist in this data folder/);
    expect(() => engine.checkSession('assistive', { subject: 'S01', protocolId: 'P1', consentObtained: true }, data)).toThrow(/^protocol P1 does not allow assistive sessions \(it allows recording\)$/);
    expect((await bci(['settings', 'set', 'requireProtocol', 'true', '--data-dir', data])).stdout.trim()).toBe(`requireProtocol true (in ${data})`);
    expect(() => engine.checkSession('recording', { subject: 'S01' }, data)).toThrow(/^this site requires an approved protocol for every recording/);
    expect(existsSync(join(data, 'sub-S01'))).toBe(false); // nothing was recorded

    const ok = await record('--protocol', 'P1', '--consent', '--consent-time', `${today}T00:00:00Z`);
    expect(ok.code, ok.stderr).toBe(0);
    const folder = join(data, 'sub-S01', 'ses-01', 'eeg');
    const session = JSON.parse(readFileSync(join(folder, 'sub-S01_ses-01_task-rest_run-01_session.json'), 'utf8')) as { ethicsCheck: { outcome: string; approval: { approvalNumber: string; maxSessionMinutes: number } }; mode: string };
    expect(session.mode).toBe('recording');
    expect(session.ethicsCheck).toMatchObject({ outcome: 'approved', approval: { approvalNumber: 'EB-P1', maxSessionMinutes: 60 } });
    expect(readFileSync(join(folder, 'sub-S01_ses-01_task-rest_run-01_events.tsv'), 'utf8')).toMatch(/\tethics\tethics: approved P1 \(EB-P1\)/);
    const fileEvents = await eventsOf(join(folder, 'sub-S01_ses-01_task-rest_run-01_eeg.bdf'));
    expect(fileEvents.some((e) => e.label === 'ethics: approved P1 (EB-P1)' && e.onsetSec === 0)).toBe(true);

    expect(store.ethicsLog().map((c) => c.outcome)).toEqual(['refused', 'refused', 'refused', 'refused', 'refused', 'approved']);
    const shown = await bci(['protocol', 'show', 'P1', '--data-dir', data]);
    expect(shown.stdout).toMatch(/checks {5}3/);
    store.retireProtocol('P1', 'superseded', Date.now());
    expect(() => engine.checkSession('recording', { subject: 'S01', protocolId: 'P1', consentObtained: true }, data)).toThrow(/^protocol P1 was retired on \d{4}-\d{2}-\d{2} \(superseded\)/);
  });
});

// A BDF with faults: 8 channels at 250 Hz, 12 s; ch 2 flat, ch 3 railed from 4 s, ch 4 a 400 µV burst each second from 3 s.
const RATE = 250;
const SECONDS = 12;
function faultyBdf(path: string): void {
  const uvPerDigit = 187_500 / 8_388_607;
  const signals = Array.from({ length: 8 }, (_, c) => ({
    label: `E${c + 1}`,
    physMin: -187500,
    physMax: 187500,
    spr: RATE,
    value: (rec: number, i: number) => {
      const t = rec + i / RATE;
      let uv = 15 * Math.sin(2 * Math.PI * 10 * t + c) + 5 * Math.sin(2 * Math.PI * 23.3 * t * (1 + c / 10)) + 300;
      if (c === 1) uv = -2000;
      if (c === 2 && rec >= 4) uv = i % 2 ? 186_000 : 187_000;
      if (c === 3 && rec >= 3 && i < 12) uv += 400;
      return Math.round(uv / uvPerDigit);
    },
  }));
  writeFileSync(path, edfBytes({ variant: 'bdf', records: SECONDS, duration: 1, signals }));
}

async function playWithAlerts(file: string, speed: number | 'max', record?: { dataDir: string; protocol: string }) {
  const engine = new Engine({ statusIntervalMs: 0 });
  const alerts: Alert[] = [];
  const quality: QualitySummary[] = [];
  engine.on('alert', (a) => alerts.push({ ...a }));
  engine.on('quality', (q) => quality.push(q));
  await engine.connect({ board: 'playback', file, speed });
  let path: string | undefined;
  if (record) path = (await engine.startRecording({ session: { subject: 'S02', protocolId: record.protocol, consentObtained: true }, dataDir: record.dataDir })).path;
  await engine.start();
  await engine.ended();
  await engine.stop();
  if (record) {
    const open = alerts.filter((a) => !a.acknowledged);
    for (const a of open) engine.acknowledgeAlert({ id: a.id, by: 'op', note: 'electrode re-seated' });
    expect(() => engine.acknowledgeAlert({ id: open[0].id })).toThrow(/already acknowledged/);
    await engine.stopRecording();
  }
  await engine.dispose();
  return { alerts: alerts.filter((a) => !a.acknowledged), quality, path };
}

describe('quality monitor and alerts on a recording with faults, replayed', () => {
  const work = tempDir('bci-quality-');
  const file = join(work, 'faulty.bdf');
  faultyBdf(file);

  it('raises the same alerts at the same samples at 4× and at max, and logs them with their acknowledgement', async () => {
    const max = await playWithAlerts(file, 'max');
    const summary = (r: typeof max) => r.alerts.map((a) => `${a.rule}:${a.channel ?? ''}@${a.sampleIndex}`);
    expect(summary(max)).toEqual(['flat:E2@499', 'railed:E3@1499', 'artefacts:E4@1999']);
    expect(max.quality.length).toBeGreaterThanOrEqual(SECONDS - 1);
    expect(max.quality[6].channels.map((c) => c.level)).toEqual(['good', 'bad', 'bad', 'fair', 'good', 'good', 'good', 'good']);

    const data = tempDir('bci-quality-data-');
    new Engine().siteStore(data).addProtocol({ id: 'P2', title: 'Bench', committee: 'Board', approvalNumber: 'A2', validFrom: '2020-01-01', validTo: nextYear, modes: ['recording'] });
    const paced = await playWithAlerts(file, 4, { dataDir: data, protocol: 'P2' });
    expect(summary(paced)).toEqual(summary(max));
    expect(paced.quality.slice(0, SECONDS - 1)).toEqual(max.quality.slice(0, SECONDS - 1));

    const session = JSON.parse(readFileSync(paced.path!.replace(/_eeg\.bdf$/, '_session.json'), 'utf8')) as { safety: { kind: string; alert?: Alert; id?: number; note?: string }[] };
    expect(session.safety.filter((e) => e.kind === 'alert').map((e) => e.alert!.rule)).toEqual(['flat', 'railed', 'artefacts']);
    expect(session.safety.filter((e) => e.kind === 'alert-ack').map((e) => e.note)).toEqual(['electrode re-seated', 'electrode re-seated', 'electrode re-seated']);
    const labels = (await eventsOf(paced.path!)).map((e) => e.label);
    expect(labels).toEqual(expect.arrayContaining([expect.stringMatching(/^alert #\d+: flat E2$/), expect.stringMatching(/^alert #\d+: railed E3$/), expect.stringMatching(/^alert #\d+ acknowledged$/)]));
  });

  it('gives the same quality summaries for a ../shared/data recording on every replay', async () => {
    const shared = join(root, '..', 'shared', 'data', 'mne-python', 'edf', 'test.edf');
    const a = await playWithAlerts(shared, 'max');
    const b = await playWithAlerts(shared, 'max');
    expect(a.quality.length).toBe(6);
    expect(b.quality).toEqual(a.quality);
    for (const q of a.quality) {
      expect(q.windowRows).toBe(512);
      expect(q.lostRows).toBe(0);
    }
  });

  it('answers quality, alerts and their acknowledgement as commands (and refuses a bad one)', async () => {
    const engine = new Engine({ statusIntervalMs: 0 });
    const host = new CommandHost(engine);
    const events: string[] = [];
    host.attach({ sendEvent: (e) => events.push(e.type), sendFrame: () => {} });
    expect(await host.handle(undefined, 'connect', { board: 'playback', file, speed: 'max' })).toMatchObject({ ok: true });
    await engine.start();
    await engine.ended();
    await engine.stop();
    const quality = await host.handle(undefined, 'getQuality', {});
    expect(quality).toMatchObject({ ok: true, result: { windowRows: 250 } });
    const alerts = await host.handle(undefined, 'getAlerts', {});
    expect(alerts.ok && (alerts.result as Alert[]).length).toBe(3);
    expect(await host.handle(undefined, 'acknowledgeAlert', { id: 999 })).toMatchObject({ ok: false, kind: 'not-found', error: 'there is no alert #999' });
    const site = tempDir('bci-rules-');
    expect(await host.handle(undefined, 'setAlertRules', { artefactUv: -1, dataDir: site })).toMatchObject({ ok: false, kind: 'invalid-request' });
    expect(await host.handle(undefined, 'setAlertRules', { fatigueMinutes: 20, dataDir: site })).toMatchObject({ ok: true, result: { fatigueMinutes: 20, artefactUv: 150 } });
    expect(events).toEqual(expect.arrayContaining(['quality', 'alert']));
    host.dispose();
    await engine.dispose();
  });
});

describe.skipIf(!socatAvailable())('alerts from the Cyton emulator on a real pty', () => {
  it('raises loss-rate when packets are dropped and link-lost when the dongle is unplugged', async () => {
    const emulator = await CytonEmulator.start({});
    const engine = new Engine({ statusIntervalMs: 0 });
    try {
      const alerts: Alert[] = [];
      engine.on('alert', (a) => alerts.push(a));
      await engine.connect({ board: 'cyton', port: emulator.hostPath });
      await engine.start();
      await waitUntil(() => engine.getQuality() !== null, 10_000, 'the first quality summary');
      emulator.model.dropPackets(25); // 10 % of a second
      await waitUntil(() => alerts.some((a) => a.rule === 'loss-rate'), 10_000, 'a loss-rate alert');
      expect(alerts.find((a) => a.rule === 'loss-rate')!.message).toMatch(/% of the samples of the last \d+ s were lost/);
      await emulator.unplug();
      await waitUntil(() => alerts.some((a) => a.rule === 'link-lost'), 15_000, 'a link-lost alert');
      expect(alerts.find((a) => a.rule === 'link-lost')!.severity).toBe('critical');
      await emulator.replug();
    } finally {
      await engine.dispose();
      await emulator.stop();
    }
  });
});
