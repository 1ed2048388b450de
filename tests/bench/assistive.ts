// Assistive control benchmark (measures, never asserts), through the engine-side session that
// `bci assist` and the assistive screen use (engine.startAssist: decoder → quality gate → selector
// → outputs → audit log):
//   - decision latency: from the push of a selection's window's last sample (the host time the
//     board handed it over) to the selection's JSON datagram arriving on a UDP socket a worker
//     thread of this process listens on; the direct scheme, a csp-lda model trained on the synthetic board's motor imagery,
//     the board paced at real time;
//   - false selections per minute without control: the synthetic board's rest mode, unpaced, many
//     minutes; and the rest (T0) periods of the PhysioNet EEGMMIDB S001 runs in ../shared/data
//     played back as fast as possible, each run scored by a model trained on the other two runs
//     (runs 03 + 04 train for 07 + 08 and the reverse: every minute of rest is held out);
//   - time to select on motor imagery: from a cue's onset to its first matching selection
//     (mean and median), synthetic motor imagery, unpaced.

import { Worker } from 'node:worker_threads';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { Engine, type MarkerEvent } from '../../electron/engine/engine.js';
import { packageRoot } from '../../electron/engine/paths.js';
import { SiteStore } from '../../electron/engine/safety/site-store.js';
import { recordSyntheticMi } from './synthetic-recording.js';
import { trainDecoder } from '../../electron/engine/decoding/train.js';
import type { ModelFile } from '../../electron/common/decoding/model-file.js';
import { NO_CONTROL_LABEL, scoreSelections, type ScoredSelection } from '../../electron/common/assistive/evaluation.js';
import { selectorConfigFor, type SelectionRecord } from '../../electron/engine/assistive/session.js';

export interface AssistiveBenchRow {
  readonly benchmark: string;
  readonly metric: string;
  readonly value: number;
  readonly unit: string;
  readonly reference?: string;
  readonly ratio?: number;
}

/** A UDP listener in a worker thread: posts its port, then { seq, atMs } for each selection datagram. */
const UDP_LISTENER = `
const { parentPort } = require('node:worker_threads');
const socket = require('node:dgram').createSocket('udp4');
socket.on('message', (bytes) => {
  const atMs = performance.timeOrigin + performance.now();
  const m = JSON.parse(bytes.toString('utf8'));
  if (m.type === 'selection') parentPort.postMessage({ seq: m.seq, atMs });
});
socket.bind(0, '127.0.0.1', () => parentPort.postMessage({ port: socket.address().port }));
`;

/** The selection settings every figure is measured with (`bci assist`'s defaults). */
const SETTINGS = { thresholdProb: 0.8, dwellSec: 1, refractorySec: 2 } as const;
const settingsText = `threshold ${SETTINGS.thresholdProb}, dwell ${SETTINGS.dwellSec} s, refractory ${SETTINGS.refractorySec} s`;

function percentile(xs: readonly number[], q: number): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
}
const mean = (xs: readonly number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : Number.NaN);

interface Run {
  readonly selections: SelectionRecord[];
  readonly scored: ScoredSelection[];
  readonly markers: MarkerEvent[];
  readonly startSampleIndex: number;
  readonly endSampleIndex: number;
  readonly sampleRateHz: number;
  readonly classes: readonly string[];
  readonly suspensions: number;
  readonly wallSec: number;
  readonly decoderLatencyMs: { p50: number; p99: number };
}

/**
 * One assistive session on a board, with the direct scheme and two targets (one per control class):
 * the selections, the cues, and the session's sample range.
 */
/** The bench's data folder with a protocol that allows assistive sessions (added once). */
function benchProtocolFolder(dir: string): string {
  const store = new SiteStore(dir);
  if (!store.protocol('BENCH')) store.addProtocol({ id: 'BENCH', title: 'Assistive bench', committee: 'none (bench)', approvalNumber: 'BENCH', validFrom: '2000-01-01', validTo: '2999-12-31', modes: ['assistive'] });
  return dir;
}

async function assistRun(o: { board: Record<string, unknown>; model: ModelFile; auditPath: string; udpPort?: number; settings?: { readonly thresholdProb: number; readonly dwellSec: number; readonly refractorySec: number }; onSelection?: (s: SelectionRecord) => void }): Promise<Run> {
  const engine = new Engine();
  try {
    const descriptor = await engine.connect(o.board);
    const decoder = await engine.setDecoder({ model: o.model, stepSec: 0.1 });
    const markers: MarkerEvent[] = [];
    engine.on('marker', (m) => markers.push(m));
    let lastPrediction = 0;
    engine.on('prediction', (p) => (lastPrediction = p.firstSampleIndex + (p.count - 1) * p.strideRows));
    await engine.startAssist({
      scheme: 'direct',
      targets: [{ label: 'Yes' }, { label: 'No' }],
      ...(o.settings ?? SETTINGS),
      outputs: o.udpPort === undefined ? [] : [{ kind: 'udp', port: o.udpPort }],
      auditPath: o.auditPath,
      // an assistive session runs under a protocol that allows it, with consent (the bench's own folder)
      dataDir: benchProtocolFolder(dirname(o.auditPath)),
      session: { subject: 'BENCH', operator: 'bench', protocolId: 'BENCH', consentObtained: true },
    });
    const session = engine.assistSession!;
    const config = selectorConfigFor(session.config, decoder);
    const selections: SelectionRecord[] = [];
    session.onSelection((s) => {
      selections.push(s);
      o.onSelection?.(s);
    });
    const startSampleIndex = session.selector.view().sampleIndex;
    const t0 = performance.now();
    await engine.start();
    await engine.ended();
    await engine.stop();
    const wallSec = (performance.now() - t0) / 1000;
    const status = engine.getStatus();
    engine.endAssist('end of the benchmark run');
    await engine.disconnect();
    const suspensions = readFileSync(o.auditPath, 'utf8')
      .split('\n')
      .filter((l) => l.includes('"type":"suspended"')).length;
    const classOf = (target: number) => {
      const k = config.classTargets.indexOf(target);
      return k >= 0 ? decoder.classes[k] : null;
    };
    return {
      selections,
      scored: selections.map((s) => ({ sampleIndex: s.sampleIndex, className: classOf(s.target) })),
      markers,
      startSampleIndex,
      endSampleIndex: Math.max(lastPrediction + 1, startSampleIndex + 1),
      sampleRateHz: descriptor.sampleRateHz,
      classes: decoder.classes,
      suspensions,
      wallSec,
      decoderLatencyMs: { p50: status.decoder?.latencyMs.p50 ?? Number.NaN, p99: status.decoder?.latencyMs.p99 ?? Number.NaN },
    };
  } finally {
    await engine.dispose();
  }
}

function score(run: Run) {
  const cueLabels = [...new Set([...run.classes, ...run.markers.map((m) => m.label).filter((l) => NO_CONTROL_LABEL.test(l))])];
  return scoreSelections(run.scored, run.markers, { cueLabels, startSampleIndex: run.startSampleIndex, endSampleIndex: run.endSampleIndex, sampleRateHz: run.sampleRateHz });
}

/** Seconds from each control cue's onset to its first matching selection while it is active. */
function timesToSelect(run: Run): { times: number[]; cues: number } {
  const cues = run.markers
    .filter((m) => run.classes.includes(m.label) || NO_CONTROL_LABEL.test(m.label))
    .filter((m) => m.sampleIndex >= run.startSampleIndex && m.sampleIndex < run.endSampleIndex)
    .sort((a, b) => a.sampleIndex - b.sampleIndex);
  const times: number[] = [];
  let control = 0;
  cues.forEach((cue, i) => {
    if (NO_CONTROL_LABEL.test(cue.label)) return;
    control++;
    const end = i + 1 < cues.length ? cues[i + 1].sampleIndex : run.endSampleIndex;
    const hit = run.scored.find((s) => s.sampleIndex >= cue.sampleIndex && s.sampleIndex < end && s.className === cue.label);
    if (hit) times.push((hit.sampleIndex - cue.sampleIndex) / run.sampleRateHz);
  });
  return { times, cues: control };
}

/** The PhysioNet runs (executed and imagined left/right fist), or none when the data folder is missing. */
function physionetRuns(): string[] | null {
  const dir = resolve(packageRoot(), '..', 'shared', 'data', 'physionet-eegmmidb-S001');
  const names = ['S001R03.edf', 'S001R04.edf', 'S001R07.edf', 'S001R08.edf'];
  return names.every((n) => existsSync(join(dir, n))) ? names.map((n) => join(dir, n)) : null;
}

export async function benchAssistive({ quick }: { quick: boolean }): Promise<AssistiveBenchRow[]> {
  const rows: AssistiveBenchRow[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'bci-bench-assistive-'));
  try {
    // the model: left / right / rest on 8 channels × 250 Hz of synthetic motor imagery (a model
    // that knows rest can decline to select), as the integration tests train it
    const training = join(dir, 'mi_eeg.bdf');
    await recordSyntheticMi(training, 120, { seed: 7 });
    const { model, cv } = await trainDecoder({ files: [training], decoder: 'csp-lda', classes: ['left', 'right', 'rest'], window: { startSec: 0.25, endSec: 1.75 }, filters: { reference: 'none', stages: [{ kind: 'bandpass', lowHz: 8, highHz: 30, order: 4 }] }, folds: 5, seed: 1 });
    const modelText = `csp-lda left/right/rest (cv ${(100 * cv.accuracy).toFixed(0)} %), 8 ch × 250 Hz, 1.5 s window every 0.1 s`;

    // (a) decision latency, paced: the window's last sample pushed → the datagram on a socket
    // listened to by a worker thread (its own event loop: the engine's thread, busy writing the
    // audit log, does not delay the arrival's time stamp; the same clock, timeOrigin + now)
    {
      const seconds = quick ? 20 : 90;
      // a lower threshold and a shorter dwell and refractory than SETTINGS: more selections to time
      // (the latency does not depend on them)
      const settings = { thresholdProb: 0.6, dwellSec: 0.3, refractorySec: 0.3 } as const;
      const listener = new Worker(UDP_LISTENER, { eval: true });
      const arrivals = new Map<number, number>();
      const port = await new Promise<number>((done, fail) => {
        listener.on('message', (m: { port?: number; seq?: number; atMs?: number }) => {
          if (m.port !== undefined) done(m.port);
          else if (m.seq !== undefined && m.atMs !== undefined) arrivals.set(m.seq, m.atMs);
        });
        listener.once('error', fail);
      });
      const pushed = new Map<number, SelectionRecord>();
      let run: Run;
      try {
        run = await assistRun({ board: { board: 'synthetic', mode: 'mi', seed: 8, paced: true, durationSec: seconds }, model, auditPath: join(dir, 'latency.jsonl'), udpPort: port, settings, onSelection: (s) => pushed.set(s.seq, s) });
        for (let i = 0; i < 50 && arrivals.size < pushed.size; i++) await new Promise((r) => setTimeout(r, 20));
      } finally {
        await listener.terminate();
      }
      const onSocket: number[] = [];
      const leaving: number[] = [];
      for (const [seq, s] of pushed) {
        const at = arrivals.get(seq);
        if (at !== undefined) onSocket.push(at - s.windowPushedAtMs);
        leaving.push(s.latencyMs);
      }
      const name = `assistive decision latency: window's last sample pushed → selection on a UDP socket (direct, ${modelText}; synthetic MI paced ${seconds} s; threshold ${settings.thresholdProb}, dwell ${settings.dwellSec} s, refractory ${settings.refractorySec} s)`;
      const predictionRef = `prediction leaving the worker: p50 ${run.decoderLatencyMs.p50.toFixed(2)} / p99 ${run.decoderLatencyMs.p99.toFixed(2)} ms`;
      rows.push({ benchmark: name, metric: 'p50', value: percentile(onSocket, 0.5), unit: 'ms', reference: predictionRef });
      rows.push({ benchmark: name, metric: `p99 (of ${onSocket.length})`, value: percentile(onSocket, 0.99), unit: 'ms' });
      rows.push({ benchmark: name, metric: 'max', value: Math.max(...onSocket), unit: 'ms' });
      rows.push({ benchmark: name, metric: 'p50 to leaving for the outputs (the session’s own figure)', value: percentile(leaving, 0.5), unit: 'ms' });
      rows.push({ benchmark: name, metric: 'selections sent / arrived', value: onSocket.length, unit: `of ${pushed.size}` });
    }

    // (b) false selections per minute: synthetic rest, unpaced
    {
      const minutes = quick ? 5 : 30;
      const run = await assistRun({ board: { board: 'synthetic', mode: 'rest', seed: 9, paced: false, durationSec: minutes * 60 }, model, auditPath: join(dir, 'rest.jsonl') });
      const s = score(run);
      const name = `assistive false selections on rest: synthetic rest mode, ${s.noControlMinutes.toFixed(1)} min unpaced (direct, ${modelText}; ${settingsText})`;
      rows.push({ benchmark: name, metric: 'false selections per minute', value: s.falseSelectionsPerMin, unit: '/min', reference: `${s.falseSelections} in ${s.noControlMinutes.toFixed(1)} min` });
      rows.push({ benchmark: name, metric: 'quality-gate suspensions', value: run.suspensions, unit: 'count' });
      rows.push({ benchmark: name, metric: 'speed', value: (s.noControlMinutes * 60) / run.wallSec, unit: '× real time' });
    }

    // (c) time to select: synthetic motor imagery, unpaced
    {
      const minutes = quick ? 3 : 10;
      const run = await assistRun({ board: { board: 'synthetic', mode: 'mi', seed: 9, paced: false, durationSec: minutes * 60 }, model, auditPath: join(dir, 'mi.jsonl') });
      const s = score(run);
      const { times, cues } = timesToSelect(run);
      const name = `assistive time to select: synthetic MI, ${minutes} min unpaced, cue onset → its matching selection (direct, ${modelText}; ${settingsText})`;
      rows.push({ benchmark: name, metric: 'mean', value: mean(times), unit: 's' });
      rows.push({ benchmark: name, metric: 'median', value: percentile(times, 0.5), unit: 's' });
      rows.push({ benchmark: name, metric: 'cues selected', value: times.length, unit: `of ${cues}` });
      rows.push({ benchmark: name, metric: 'selections during a cue that match it', value: s.correct, unit: `of ${s.total}` });
      rows.push({ benchmark: name, metric: 'false selections per minute (rest between cues)', value: s.falseSelectionsPerMin, unit: '/min', reference: `${s.falseSelections} in ${s.noControlMinutes.toFixed(1)} min` });
    }

    // (b) PhysioNet rest (T0) periods, each run scored by a model trained on the other two
    const runs = physionetRuns();
    if (!runs) {
      process.stderr.write('bench: ../shared/data/physionet-eegmmidb-S001 is missing: no PhysioNet rest figures\n');
      return rows;
    }
    const folds: [string[], string[]][] = [
      [[runs[0], runs[1]], [runs[2], runs[3]]],
      [[runs[2], runs[3]], [runs[0], runs[1]]],
    ];
    let falseSelections = 0;
    let restMinutes = 0;
    let correct = 0;
    let total = 0;
    let suspensions = 0;
    const times: number[] = [];
    let cues = 0;
    const cvs: number[] = [];
    for (const [trainOn, scoreOn] of folds) {
      const trained = await trainDecoder({ files: trainOn, decoder: 'csp-lda', classes: ['T1', 'T2', 'T0'], window: { startSec: 0.5, endSec: 2.5 }, filters: { reference: 'none', stages: [{ kind: 'bandpass', lowHz: 8, highHz: 30, order: 4 }] }, folds: 5, seed: 1 });
      cvs.push(trained.cv.accuracy);
      for (const file of scoreOn) {
        const run = await assistRun({ board: { board: 'playback', file, speed: 'max' }, model: trained.model, auditPath: join(dir, `physionet-${cvs.length}-${file.slice(-7, -4)}.jsonl`) });
        const s = score(run);
        falseSelections += s.falseSelections;
        restMinutes += s.noControlMinutes;
        correct += s.correct;
        total += s.total;
        suspensions += run.suspensions;
        const t = timesToSelect(run);
        times.push(...t.times);
        cues += t.cues;
      }
    }
    const name = `assistive false selections on rest: PhysioNet S001 runs 03/04/07/08, T0 periods (${restMinutes.toFixed(1)} min), held out (direct, csp-lda T1/T2/T0 on the other two runs, cv ${cvs.map((c) => (100 * c).toFixed(0)).join(' / ')} %, 64 ch × 160 Hz, 2 s window every 0.1 s; ${settingsText})`;
    rows.push({ benchmark: name, metric: 'false selections per minute', value: restMinutes > 0 ? falseSelections / restMinutes : Number.NaN, unit: '/min', reference: `${falseSelections} in ${restMinutes.toFixed(1)} min` });
    rows.push({ benchmark: name, metric: 'quality-gate suspensions', value: suspensions, unit: 'count' });
    rows.push({ benchmark: name, metric: 'selections during a cue that match it', value: correct, unit: `of ${total}` });
    rows.push({ benchmark: name, metric: 'time to select, median', value: percentile(times, 0.5), unit: 's', reference: `mean ${mean(times).toFixed(2)} s; ${times.length} of ${cues} cues selected` });
    return rows;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
