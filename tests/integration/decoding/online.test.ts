// Online decoding in the real engine and pipeline worker: every trainable decoder in the registry
// (the test decoder plug-in until the real ones are merged), trained on the synthetic board's motor
// imagery, decodes the live board's held-out cues at ≥ 90 %; a replay gives the same predictions
// bit for bit at any speed; clients get prediction frames through the command host and `bci
// serve`; a model that does not fit the stream is refused with a sentence; the status measures the
// latency; predictions become annotations of a recording when asked.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import WebSocket from 'ws';
import { Engine, type MarkerEvent, type PredictionEvent } from '../../../electron/engine/engine.js';
import { CommandHost, type ClientSink } from '../../../electron/engine/command-host.js';
import { startServer } from '../../../electron/server/serve.js';
import { decodeFrame, type SampleFrame } from '../../../electron/common/contract/frames.js';
import type { EngineEvent, EngineSnapshot, WsServerMessage } from '../../../electron/common/contract/commands.js';
import { trainDecoder } from '../../../electron/engine/decoding/train.js';
import { writeModelFile } from '../../../electron/engine/decoding/model-io.js';
import { argmax, accuracyOf } from '../../../electron/common/decoding/metrics.js';
import { scoreCues } from '../../../electron/common/decoding/online-score.js';
import { parseModelText, type ModelFile } from '../../../electron/common/decoding/model-file.js';
import type { TrainModelResult } from '../../../electron/common/contract/decoding.js';
import type { EngineStatus } from '../../../electron/common/contract/status.js';
import { TEST_DECODER_KIND, useTestDecoder } from '../../support/decoder-plugin.js';
import type { JsonValue } from '../../../electron/common/decoding/decoder.js';
import { MI_CLASSES, MI_FILTERS, MI_WINDOW, motorImagerySessions, trainableKinds } from '../../support/motor-imagery.js';
import { tempDir } from '../../support/tmp.js';

await useTestDecoder();
const dir = tempDir('bci-decoding-online-');
const SEED = 1;
const TRAINING_SEC = 480;
const HELD_OUT_SEC = 150;
const sessions = motorImagerySessions(dir, SEED, TRAINING_SEC, HELD_OUT_SEC);
const RATE = 250;

const models = new Map<string, { model: ModelFile; path: string }>();
async function modelOf(kind: string): Promise<{ model: ModelFile; path: string }> {
  let m = models.get(kind);
  if (!m) {
    const report = await trainDecoder({ files: [sessions.training], decoder: kind, classes: [...MI_CLASSES], window: MI_WINDOW, filters: MI_FILTERS, folds: 5, seed: 42 });
    const path = join(dir, `${kind}.json`);
    writeModelFile(path, report.model);
    m = { model: report.model, path };
    models.set(kind, m);
  }
  return m;
}

/** Every prediction of a run, flattened: sample indices and probabilities. */
class Predictions {
  readonly sampleIndices: number[] = [];
  readonly probabilities: number[] = [];
  readonly predicted: number[] = [];
  add(p: PredictionEvent): void {
    const K = p.classes.length;
    for (let i = 0; i < p.count; i++) {
      this.sampleIndices.push(p.firstSampleIndex + i * p.strideRows);
      this.predicted.push(argmax(p.probabilities, i * K, K));
    }
    this.probabilities.push(...p.probabilities);
  }
  bytes(): Buffer {
    return Buffer.from(Float64Array.from([...this.sampleIndices, ...this.probabilities]).buffer);
  }
}

function score(model: ModelFile, markers: readonly MarkerEvent[], p: Predictions, stepRows: number) {
  const offsetRows = Math.round(model.window.startSec * RATE);
  return scoreCues(markers, p.sampleIndices, p.predicted, model.classes, { offsetRows, windowRows: model.window.rowCount, stepRows });
}

async function replay(path: string, model: ModelFile, speed: number | 'max'): Promise<{ predictions: Predictions; markers: MarkerEvent[] }> {
  const engine = new Engine();
  try {
    await engine.connect({ board: 'playback', file: path, speed });
    await engine.setDecoder({ model, stepSec: 0.1, smoothing: { kind: 'exponential', timeConstantSec: 0.3 } });
    const predictions = new Predictions();
    const markers: MarkerEvent[] = [];
    engine.on('prediction', (p) => predictions.add(p));
    engine.on('marker', (m) => markers.push(m));
    await engine.start();
    await engine.ended();
    await engine.stop();
    return { predictions, markers };
  } finally {
    await engine.dispose();
  }
}

describe.each(trainableKinds())('the %s decoder online', (kind) => {
  it('decodes the live synthetic board: ≥ 90 % of the held-out cues, latency measured', async () => {
    const { model, path } = await modelOf(kind);
    const engine = new Engine();
    try {
      await engine.connect({ board: 'synthetic', mode: 'mi', seed: SEED, paced: false, durationSec: TRAINING_SEC + HELD_OUT_SEC });
      const info = await engine.loadModel({ path });
      expect(info).toMatchObject({ kind, classes: ['left', 'right'], stepRows: 25, windowRows: model.window.rowCount, path, smoothing: { kind: 'none' } });
      const predictions = new Predictions();
      const markers: MarkerEvent[] = [];
      engine.on('prediction', (p) => predictions.add(p));
      engine.on('marker', (m) => markers.push(m));
      await engine.start();
      await engine.ended();
      await engine.stop();
      // held-out cues whose whole window lies inside the run (the run may end inside the last one)
      const endRow = (TRAINING_SEC + HELD_OUT_SEC) * RATE;
      const heldOut = markers.filter((m) => m.sampleIndex >= TRAINING_SEC * RATE && m.sampleIndex + model.window.endSec * RATE <= endRow);
      const { confusion, unscored } = score(model, heldOut, predictions, 25);
      expect(unscored).toBe(0);
      expect(confusion.flat().reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(20);
      expect(accuracyOf(confusion)).toBeGreaterThanOrEqual(0.9);
      const status = engine.getStatus();
      expect(status.decoder).toMatchObject({ kind, predictions: predictions.sampleIndices.length });
      expect(status.decoder!.latencyMs.p50).toBeGreaterThan(0);
      expect(status.decoder!.latencyMs.p99).toBeGreaterThanOrEqual(status.decoder!.latencyMs.p50);
      expect(status.decoder!.last?.sampleIndex).toBe(predictions.sampleIndices.at(-1));
      // one prediction per step from the first full window to the end
      const first = model.window.rowCount - 1 + ((25 - (model.window.rowCount % 25)) % 25);
      expect(predictions.sampleIndices[0]).toBe(first);
      expect(predictions.sampleIndices.length).toBe(Math.floor(((TRAINING_SEC + HELD_OUT_SEC) * RATE - 1 - first) / 25) + 1);
      // a montage would relabel the channels under the running decoder (it chose its channels by
      // the labels it started with): refused until the decoder is stopped
      if (kind === trainableKinds()[0]) {
        engine.montageStore(dir).save({ name: 'relabelled', channels: engine.descriptor!.channels.map((_, i) => ({ label: `E${i + 1}`, type: 'eeg' as const })) });
        expect(() => engine.applyMontage('relabelled', dir)).toThrow(`a montage cannot be applied while the ${kind} decoder (${basename(path)}) runs: stop it first (it chose its channels by the labels it started with)`);
        await engine.clearDecoder();
        expect(engine.applyMontage('relabelled', dir).channels[0].label).toBe('E1');
      }
    } finally {
      await engine.dispose();
    }
  });

  // the replay's determinism does not depend on the decoder: one decoder proves it
  if (kind === trainableKinds()[0]) it('replays with the same predictions, bit for bit, at max speed, 16× and from run to run', async () => {
    const { model } = await modelOf(kind);
    const max1 = await replay(sessions.heldOut, model, 'max');
    const max2 = await replay(sessions.heldOut, model, 'max');
    const fast = await replay(sessions.heldOut, model, 16);
    expect(max1.predictions.sampleIndices.length).toBeGreaterThan(1000);
    expect(max2.predictions.bytes().equals(max1.predictions.bytes())).toBe(true);
    expect(fast.predictions.bytes().equals(max1.predictions.bytes())).toBe(true);
    expect(accuracyOf(score(model, max1.markers, max1.predictions, 25).confusion)).toBeGreaterThanOrEqual(0.9);
  }, 30_000);
});

describe('decoding through the command host and bci serve', () => {
  const kind = trainableKinds()[0];

  it('loads a model, streams prediction frames, refuses what does not fit, clears', async () => {
    const { model, path } = await modelOf(kind);
    const engine = new Engine();
    const host = new CommandHost(engine);
    const events: EngineEvent[] = [];
    const frames: SampleFrame[] = [];
    const sink: ClientSink = { sendEvent: (e) => events.push(e), sendFrame: (f) => frames.push(decodeFrame(f)) };
    const client = host.attach(sink);
    try {
      expect(await host.handle(sink, 'loadModel', { path })).toMatchObject({ ok: false, kind: 'state', error: expect.stringMatching(/no board is connected/) });
      expect(await host.handle(sink, 'connect', { board: 'playback', file: sessions.heldOut, speed: 'max' })).toMatchObject({ ok: true });
      const refusals: [string, unknown, string, RegExp][] = [
        ['loadModel', { path: join(dir, 'missing.json') }, 'not-found', /cannot open the model .*missing\.json: no such file/],
        ['loadModel', { path: sessions.heldOut }, 'invalid-request', /heldout_eeg\.bdf is not a model file: it is not valid JSON/],
        ['setDecoder', { model: { ...model, channels: [...model.channels.slice(0, -1), 'Cz'] } }, 'invalid-request', /^the model needs channel Cz, which the Playback: heldout_eeg\.bdf stream does not have/],
        ['setDecoder', { model: { ...model, sampleRateHz: 500, window: { ...model.window, rowCount: 2 * model.window.rowCount } } }, 'invalid-request', /^the model was trained at 500 Hz but the Playback: heldout_eeg\.bdf stream runs at 250 Hz/],
        ['setDecoder', { model: { ...model, decoder: { ...model.decoder, kind: 'quantum-svm' } } }, 'invalid-request', /unknown decoder "quantum-svm"/],
        ['setDecoder', { model: { ...model, decoder: { ...model.decoder, params: { nonsense: true } } } }, 'invalid-request', /the model's .* parameters cannot be read/],
        ['setDecoder', { model, stepSec: 0 }, 'invalid-request', /invalid setDecoder request: stepSec/],
        ['setDecoder', { model, smoothing: { kind: 'majority', count: 0 } }, 'invalid-request', /smoothing/],
        ['setDecoder', { model, extra: 1 }, 'invalid-request', /extra/],
        ['setDecoder', { model: 'not a model' }, 'invalid-request', /the model is not a BCI Workstation model/],
      ];
      for (const [command, payload, kindOfFailure, message] of refusals) {
        const outcome = await host.handle(sink, command, payload);
        expect(outcome, command).toMatchObject({ ok: false, kind: kindOfFailure });
        if (!outcome.ok) expect(outcome.error, command).toMatch(message);
      }
      const loaded = await host.handle(sink, 'setDecoder', { model, stepSec: 0.2, smoothing: { kind: 'majority', count: 3 } });
      expect(loaded).toMatchObject({ ok: true, result: { kind, stepRows: 50, stepSec: 0.2, smoothing: { kind: 'majority', count: 3 }, path: null } });
      const snapshot = events.filter((e): e is { type: 'snapshot'; snapshot: EngineSnapshot } => e.type === 'snapshot').at(-1)!.snapshot;
      expect(snapshot.decoder).toMatchObject({ kind, classes: ['left', 'right'], channels: model.channels });
      expect(await host.handle(sink, 'getSnapshot', undefined)).toMatchObject({ ok: true, result: { decoder: { kind } } });
      expect(await host.handle(sink, 'start', undefined)).toMatchObject({ ok: true });
      await engine.ended();
      expect(await host.handle(sink, 'stop', undefined)).toMatchObject({ ok: true });
      const predictions = frames.filter((f) => f.kind === 'prediction');
      expect(predictions.length).toBeGreaterThan(10);
      let rows = 0;
      for (const f of predictions) {
        expect(f.channelCount).toBe(2);
        expect(f.strideRows).toBe(50);
        expect((f.firstSampleIndex + 1) % 50).toBe(0);
        for (let r = 0; r < f.sampleCount; r++) {
          const p = f.samples.subarray(r * 2, r * 2 + 2);
          expect(p[0] + p[1]).toBeCloseTo(1, 6);
          expect([0, 1 / 3, 2 / 3, 1].some((v) => Math.abs(p[0] - v) < 1e-6)).toBe(true); // majority of 3: shares of votes
        }
        rows += f.sampleCount;
      }
      const status = await host.handle(sink, 'getStatus', undefined);
      expect(status).toMatchObject({ ok: true, result: { decoder: { kind, predictions: rows } } });
      // a client that wants no predictions gets none; clearing stops them and says so in the snapshot
      expect(await host.handle(sink, 'setStreams', { raw: false, filtered: false, predictions: false })).toMatchObject({ ok: true });
      expect(await host.handle(sink, 'clearDecoder', undefined)).toMatchObject({ ok: true, result: null });
      expect(await host.handle(sink, 'getSnapshot', undefined)).toMatchObject({ ok: true, result: { decoder: null } });
      expect(engine.getStatus().decoder).toBeNull();
    } finally {
      client.dispose();
      host.dispose();
      await engine.dispose();
    }
  });

  it('trains through the command host (the Train button\'s command) and runs the model it answers', async () => {
    const engine = new Engine();
    const host = new CommandHost(engine);
    const sink: ClientSink = { sendEvent: () => undefined, sendFrame: () => undefined };
    const client = host.attach(sink);
    try {
      const out = join(dir, 'trained-by-command.json');
      const trained = await host.handle(sink, 'trainModel', { files: [sessions.training], decoder: kind, classes: ['left', 'right'], window: MI_WINDOW, filters: MI_FILTERS, folds: 5, seed: 42, out });
      expect(trained).toMatchObject({ ok: true, result: { path: out, cv: { classes: ['left', 'right'], folds: 5, seed: 42 }, files: [{ name: 'train_eeg.bdf' }] } });
      if (!trained.ok) return;
      const result = trained.result as TrainModelResult;
      expect(result.cv.accuracy).toBeGreaterThanOrEqual(0.9);
      expect(result.cv.foldAccuracies).toHaveLength(5);
      expect(parseModelText(readFileSync(out, 'utf8'), out)).toEqual(result.model);
      for (const [payload, message] of [
        [{ files: [sessions.training], decoder: kind, window: MI_WINDOW }, /invalid trainModel request: classes/],
        [{ files: [], decoder: kind, classes: ['left', 'right'], window: MI_WINDOW }, /files/],
        [{ files: [sessions.training], decoder: kind, classes: ['left', 'right'], window: MI_WINDOW, out }, /already exists/],
        [{ files: [sessions.training], decoder: kind, classes: ['left', 'right'], window: { startSec: 2, endSec: 1 } }, /the epoch window must end after it starts/],
      ] as const) {
        const outcome = await host.handle(sink, 'trainModel', payload);
        expect(outcome).toMatchObject({ ok: false, kind: 'invalid-request' });
        if (!outcome.ok) expect(outcome.error).toMatch(message);
      }
      expect(await host.handle(sink, 'connect', { board: 'playback', file: sessions.heldOut, speed: 'max' })).toMatchObject({ ok: true });
      expect(await host.handle(sink, 'setDecoder', { model: result.model })).toMatchObject({ ok: true, result: { kind, cvAccuracy: result.cv.accuracy, trainedOn: ['train_eeg.bdf'] } });
    } finally {
      client.dispose();
      host.dispose();
      await engine.dispose();
    }
  });

  it('sends prediction frames over the WebSocket of bci serve', async () => {
    const { path } = await modelOf(kind);
    const server = await startServer({ port: 0, host: '127.0.0.1' });
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/ws?token=${server.token}`);
    const frames: SampleFrame[] = [];
    const pending = new Map<number, (m: WsServerMessage) => void>();
    ws.on('message', (data: Buffer, binary: boolean) => {
      if (binary) frames.push(decodeFrame(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer));
      else {
        const m = JSON.parse(data.toString()) as WsServerMessage;
        if (m.type === 'response') pending.get(m.id)?.(m);
      }
    });
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    let id = 0;
    const call = (command: string, payload?: unknown) =>
      new Promise<WsServerMessage>((resolve) => {
        pending.set(++id, resolve);
        ws.send(JSON.stringify({ id, command, payload }));
      });
    try {
      expect(await call('connect', { board: 'playback', file: sessions.heldOut, speed: 'max' })).toMatchObject({ ok: true });
      expect(await call('loadModel', { path })).toMatchObject({ ok: true, result: { kind, path } });
      expect(await call('start')).toMatchObject({ ok: true });
      for (let i = 0; i < 200; i++) {
        const status = await call('getStatus');
        if (status.type === 'response' && status.ok && (status.result as EngineStatus).playback?.finished) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(await call('stop')).toMatchObject({ ok: true });
      const predictions = frames.filter((f) => f.kind === 'prediction');
      expect(predictions.length).toBeGreaterThan(0);
      expect(predictions[0]).toMatchObject({ channelCount: 2, strideRows: 25 });
      expect(await call('disconnect')).toMatchObject({ ok: true });
    } finally {
      ws.close();
      await server.close();
    }
  });

  it('stops a decoder that throws in the worker, says so, and goes on filtering', async () => {
    const { model } = await modelOf(TEST_DECODER_KIND);
    const faulty = { ...model, decoder: { ...model.decoder, params: { ...(model.decoder.params as Record<string, JsonValue>), failAtPrediction: 5 } } };
    const engine = new Engine();
    try {
      await engine.connect({ board: 'synthetic', mode: 'mi', seed: SEED, paced: false, durationSec: 20 });
      await engine.setDecoder({ model: faulty });
      const errors: string[] = [];
      let predictions = 0;
      engine.on('error', (e) => errors.push(e));
      engine.on('prediction', (p) => (predictions += p.count));
      await engine.start();
      await engine.ended();
      await engine.stop();
      expect(predictions).toBeLessThan(5); // those of the chunk that failed are not sent
      expect(errors).toEqual([expect.stringMatching(/^the test-log-variance decoder failed and was stopped \(filtering goes on\): deliberate failure at prediction 5$/)]);
      const status = engine.getStatus();
      expect(status.decoder).toBeNull();
      expect(engine.currentDecoder).toBeNull();
      expect(status.rowsFiltered).toBe(20 * RATE);
    } finally {
      await engine.dispose();
    }
  });

  it('writes an annotation into the recording each time the predicted class changes', async () => {
    const { path } = await modelOf(kind);
    const engine = new Engine();
    try {
      await engine.connect({ board: 'synthetic', mode: 'mi', seed: SEED, paced: false, durationSec: 60 });
      await engine.loadModel({ path, annotate: true });
      const { path: recording } = await engine.startRecording({ session: { subject: 'S01', task: 'online' }, path: join(dir, 'annotated_eeg.bdf') });
      const predictions = new Predictions();
      engine.on('prediction', (p) => predictions.add(p));
      await engine.start();
      await engine.ended();
      await engine.stop();
      await engine.stopRecording();
      const changes: string[] = [];
      predictions.predicted.forEach((c, i) => {
        if (i === 0 || c !== predictions.predicted[i - 1]) changes.push(`${predictions.sampleIndices[i]}:prediction: ${MI_CLASSES[c]}`);
      });
      expect(changes.length).toBeGreaterThan(4);
      const events = readFileSync(recording.replace(/\.bdf$/, '_events.tsv').replace(/_eeg_events/, '_events'), 'utf8')
        .trim()
        .split('\n')
        .slice(1)
        .map((line) => line.split('\t'))
        .filter((cols) => cols[3].startsWith('prediction: '))
        .map((cols) => `${cols[4]}:${cols[3]}`);
      expect(events).toEqual(changes);
    } finally {
      await engine.dispose();
    }
  });
});
