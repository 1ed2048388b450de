// `npm run bench`: measures (never asserts) the live loop's costs, side by side with a reference
// where one exists, prints a table and writes JSON to bench-results/. Options:
//   --quick        shorter runs (for a smoke check)
//   --hours N      the long soak's hours of signal (default 8; --quick 0.5)
//   --only NAME    run one benchmark: filters | ring | latency | soak | renderer | renderer-views | replay | files | formats | cyton | decoders | decoder-latency | lsl | brainflow | quality | assistive

import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Pipeline } from '../../electron/common/pipeline/pipeline.js';
import { createBlock, deinterleave } from '../../electron/common/pipeline/block.js';
import { stageSos } from '../../electron/common/pipeline/stages.js';
import { cascadeSos, SosFilter } from '../../electron/common/dsp/sos.js';
import { pipelineSchema } from '../../electron/common/contract/pipeline.js';
import { RingBuffer, RingReader } from '../../electron/common/ring-buffer.js';
import { Random } from '../../electron/common/random.js';
import { Engine } from '../../electron/engine/engine.js';
import { packageRoot } from '../../electron/engine/paths.js';
import { benchRenderer, benchRendererViews } from './renderer.js';
import { CytonEmulator } from '../support/cyton-emulator.js';
import { socatAvailable } from '../support/socat.js';
import { benchReplay } from './replay.js';
import { benchFiles } from './files.js';
import { benchFormats } from './formats.js';
import { benchCytonLatency, benchCytonParser } from './cyton.js';
import { benchDecoders } from './decoders.js';
import { benchLsl } from './lsl.js';
import { benchBrainflow } from './brainflow.js';
import { benchQuality } from './quality.js';
import { benchAssistive } from './assistive.js';
import { benchLongSoak } from './soak.js';
import { recordSyntheticMi } from './synthetic-recording.js';
import { trainDecoder } from '../../electron/engine/decoding/train.js';
import type { ModelFile } from '../../electron/common/decoding/model-file.js';

interface Row {
  benchmark: string;
  metric: string;
  value: number;
  unit: string;
  reference?: string;
  ratio?: number;
  target?: string;
}

const { values: flags } = parseArgs({ options: { quick: { type: 'boolean' }, only: { type: 'string' }, hours: { type: 'string' } } });
const quick = flags.quick ?? false;
const rows: Row[] = [];

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

// --- the live filter chain against SciPy's sosfilt -------------------------------------------

const CHAIN = pipelineSchema.parse({
  stages: [
    { kind: 'notch', frequencyHz: 50, q: 30 },
    { kind: 'bandpass', lowHz: 1, highHz: 40, order: 4 },
    { kind: 'highpass', cutoffHz: 0.5, order: 2 },
  ],
});

function benchFilters(): void {
  const channels = 64;
  const rateHz = 1000;
  const frames = (quick ? 10 : 60) * rateHz;
  const rng = new Random(11);
  const planar = new Float64Array(channels * frames);
  for (let i = 0; i < planar.length; i++) planar[i] = 1000 + 20 * rng.nextGaussian();
  const sos = cascadeSos(...CHAIN.stages.map((s) => stageSos(s, rateHz)));
  const sections = sos.length / 6;

  // ours, live: interleaved 10 ms chunks de-interleaved and filtered, as the worker does
  const interleaved = new Float64Array(channels * frames);
  for (let c = 0; c < channels; c++) for (let i = 0; i < frames; i++) interleaved[i * channels + c] = planar[c * frames + i];
  const liveBlock = rateHz / 100;
  const liveTimes: number[] = [];
  for (let rep = 0; rep < 5; rep++) {
    const pipeline = new Pipeline(CHAIN, { sampleRateHz: rateHz, channelCount: channels, maxBlockRows: liveBlock });
    const block = createBlock(channels, liveBlock);
    const t0 = performance.now();
    for (let start = 0; start < frames; start += liveBlock) {
      deinterleave(interleaved.subarray(start * channels, (start + liveBlock) * channels), liveBlock, block);
      pipeline.process(block);
    }
    liveTimes.push((performance.now() - t0) / 1000);
  }
  const oursLive = (channels * frames * sections) / median(liveTimes);
  // ours, offline: the whole planar signal in one block, in place
  const bulkTimes: number[] = [];
  const bulk = createBlock(channels, frames);
  for (let rep = 0; rep < 5; rep++) {
    const pipeline = new Pipeline(CHAIN, { sampleRateHz: rateHz, channelCount: channels, maxBlockRows: frames });
    bulk.data.set(planar);
    bulk.rowCount = frames;
    const t0 = performance.now();
    pipeline.process(bulk);
    bulkTimes.push((performance.now() - t0) / 1000);
  }
  const oursBulk = (channels * frames * sections) / median(bulkTimes);

  // SciPy on the same data and coefficients, in the same run
  const dir = mkdtempSync(join(tmpdir(), 'bci-bench-'));
  let scipy = Number.NaN;
  let scipyLive = Number.NaN;
  let maxAbsDiff = Number.NaN;
  try {
    writeFileSync(join(dir, 'x.f64'), planar);
    writeFileSync(join(dir, 'sos.json'), JSON.stringify(Array.from(sos)));
    const script = `
import json, sys, time, numpy as np
from scipy import signal
d = sys.argv[1]
x = np.fromfile(d + '/x.f64', dtype=np.float64).reshape(${channels}, ${frames})
sos = np.array(json.load(open(d + '/sos.json'))).reshape(-1, 6)
times = []
for _ in range(5):
    t0 = time.perf_counter(); y = signal.sosfilt(sos, x, axis=-1); times.append(time.perf_counter() - t0)
y.astype(np.float64).tofile(d + '/y.f64')
# the same chain streamed in 10 ms blocks with its state carried over (what a live loop does)
block = ${liveBlock}
live = []
for _ in range(3):
    zi = np.zeros((sos.shape[0], ${channels}, 2))
    t0 = time.perf_counter()
    for s in range(0, ${frames}, block):
        _, zi = signal.sosfilt(sos, x[:, s:s + block], axis=-1, zi=zi)
    live.append(time.perf_counter() - t0)
print(json.dumps({"seconds": sorted(times)[len(times)//2], "liveSeconds": sorted(live)[len(live)//2]}))
`;
    const out = execFileSync('/usr/bin/python3', ['-c', script, dir], { encoding: 'utf8' });
    const answer = JSON.parse(out) as { seconds: number; liveSeconds: number };
    scipy = (channels * frames * sections) / answer.seconds;
    scipyLive = (channels * frames * sections) / answer.liveSeconds;
    // agreement: our filter from zero state (as sosfilt) against SciPy's output
    const y = new Float64Array(readFileSync(join(dir, 'y.f64')).buffer.slice(0));
    const filter = new SosFilter(sos, channels);
    const ours = planar.slice();
    let worst = 0;
    for (let c = 0; c < channels; c++) {
      filter.processChannel(c, ours, c * frames, frames);
      for (let i = c * frames; i < (c + 1) * frames; i++) worst = Math.max(worst, Math.abs(ours[i] - y[i]));
    }
    maxAbsDiff = worst;
  } catch (error) {
    process.stderr.write(`bench: SciPy reference unavailable (${error instanceof Error ? error.message.split('\n')[0] : String(error)}); install python3-scipy\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const name = `filter chain ${channels} ch × ${rateHz} Hz (notch + bp4 + hp2: ${sections} sections)`;
  const unit = 'M sample·sections/s';
  rows.push({ benchmark: name, metric: 'live: 10 ms chunks, de-interleave + filter', value: oursLive / 1e6, unit, reference: `SciPy sosfilt, same chunks with zi: ${(scipyLive / 1e6).toFixed(1)}`, ratio: oursLive / scipyLive, target: 'ratio ≥ 1.0' });
  rows.push({ benchmark: name, metric: 'offline: whole signal in one call', value: oursBulk / 1e6, unit, reference: `SciPy sosfilt, whole array: ${(scipy / 1e6).toFixed(1)}`, ratio: oursBulk / scipy, target: 'ratio ≥ 1.0' });
  rows.push({ benchmark: name, metric: 'live vs SciPy whole array', value: oursLive / 1e6, unit, reference: `SciPy sosfilt, whole array: ${(scipy / 1e6).toFixed(1)}`, ratio: oursLive / scipy });
  rows.push({ benchmark: name, metric: 'max |ours − SciPy|, zero state', value: maxAbsDiff, unit: 'µV' });
}

// --- ring buffer push and read -----------------------------------------------------------------

function benchRing(): void {
  const channels = 64;
  const chunkRows = 10;
  const ring = RingBuffer.create({ channelCount: channels, capacityRows: 30_000, maxReaders: 2 });
  const reader = new RingReader(ring);
  const chunk = new Float64Array(chunkRows * channels).fill(1);
  const out = new Float64Array(1024 * channels);
  const totalRows = (quick ? 1 : 5) * 1_000_000;
  let writeSec = 0;
  let readSec = 0;
  let index = 0;
  for (let done = 0; done < totalRows; ) {
    const t0 = performance.now();
    for (let k = 0; k < 100; k++, done += chunkRows, index += chunkRows) ring.write(chunk, chunkRows, index, 0);
    const t1 = performance.now();
    while (reader.read(out, 1024) > 0) {
      /* drain */
    }
    readSec += (performance.now() - t1) / 1000;
    writeSec += (t1 - t0) / 1000;
  }
  if (reader.totalLostRows !== 0) throw new Error('ring benchmark lost rows');
  rows.push({ benchmark: 'ring buffer 64 ch', metric: 'push (10-row chunks)', value: totalRows / writeSec / 1e6, unit: 'M rows/s' });
  rows.push({ benchmark: 'ring buffer 64 ch', metric: 'read (up to 1024 rows)', value: totalRows / readSec / 1e6, unit: 'M rows/s' });
}

// --- end-to-end latency and the unpaced soak ----------------------------------------------------

async function benchLatency(): Promise<void> {
  const seconds = quick ? 5 : 30;
  const engine = new Engine();
  await engine.setPipeline(CHAIN);
  await engine.connect({ board: 'synthetic', channelCount: 64, sampleRateHz: 1000, paced: true, durationSec: seconds });
  await engine.start();
  await engine.ended();
  await engine.stop();
  const s = engine.getStatus();
  await engine.dispose();
  const name = `latency push→filtered, 64 ch × 1000 Hz, 10 ms chunks, ${seconds} s paced`;
  rows.push({ benchmark: name, metric: 'p50', value: s.latencyMs.p50, unit: 'ms' });
  rows.push({ benchmark: name, metric: 'p99', value: s.latencyMs.p99, unit: 'ms', target: '< 2 ms' });
  rows.push({ benchmark: name, metric: 'max', value: s.latencyMs.max, unit: 'ms' });
  rows.push({ benchmark: name, metric: 'samples lost', value: s.deviceLostRows + s.overflowLostRows, unit: 'samples', target: '0' });
}

/**
 * The decoder's added latency in the worker at 64 ch × 1000 Hz: a model trained on the synthetic
 * board's motor imagery (64 channels, 1 kHz, recorded unpaced to a temporary BDF+), then the same
 * paced run with and without it: the filtered chunks' latency, and each prediction's latency from
 * its window's last row reaching the worker.
 */
async function benchDecoderLatency(): Promise<void> {
  const seconds = quick ? 5 : 30;
  const dir = mkdtempSync(join(tmpdir(), 'bci-bench-decoder-'));
  try {
    const training = join(dir, 'mi_eeg.bdf');
    await recordSyntheticMi(training, quick ? 120 : 240, { channelCount: 64, sampleRateHz: 1000 });
    const run = async (model: ModelFile | null) => {
      const engine = new Engine();
      await engine.setPipeline(CHAIN);
      await engine.connect({ board: 'synthetic', mode: 'mi', channelCount: 64, sampleRateHz: 1000, paced: true, durationSec: seconds });
      if (model) await engine.setDecoder({ model, stepSec: 0.1 });
      await engine.start();
      await engine.ended();
      await engine.stop();
      const status = engine.getStatus();
      await engine.dispose();
      return status;
    };
    const without = await run(null);
    for (const kind of ['csp-lda', 'tangent-lr']) {
      const { model } = await trainDecoder({ files: [training], decoder: kind, classes: ['left', 'right'], window: { startSec: 0.5, endSec: 2.5 }, filters: { stages: [{ kind: 'bandpass', lowHz: 8, highHz: 30, order: 4 }] }, folds: 2, seed: 1 });
      const s = await run(model);
      const name = `${kind} online, 64 ch × 1000 Hz, 2 s window every 0.1 s, ${seconds} s paced`;
      rows.push({ benchmark: name, metric: 'prediction latency p50', value: s.decoder?.latencyMs.p50 ?? Number.NaN, unit: 'ms' });
      rows.push({ benchmark: name, metric: 'prediction latency p99', value: s.decoder?.latencyMs.p99 ?? Number.NaN, unit: 'ms', target: '< 10 ms' });
      rows.push({ benchmark: name, metric: 'predictions', value: s.decoder?.predictions ?? 0, unit: 'count', target: `${Math.floor(seconds / 0.1) - 20}+` });
      rows.push({ benchmark: name, metric: 'filtered latency p99', value: s.latencyMs.p99, unit: 'ms', reference: `without a decoder: ${without.latencyMs.p99.toFixed(3)} ms`, ratio: s.latencyMs.p99 / without.latencyMs.p99 });
      rows.push({ benchmark: name, metric: 'samples lost', value: s.deviceLostRows + s.overflowLostRows, unit: 'samples', target: '0' });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function benchSoak(): Promise<void> {
  const seconds = quick ? 60 : 600;
  const engine = new Engine();
  await engine.setPipeline(CHAIN);
  await engine.connect({ board: 'synthetic', channelCount: 64, sampleRateHz: 1000, paced: false, durationSec: seconds });
  // resident size sampled as the session runs: after the first fifth (the ring buffer's pages
  // touched, the JIT warm) and at the end; flat means the two agree
  const rssAtStart = process.memoryUsage().rss;
  let rssWarm = Number.NaN;
  let rssPeak = 0;
  const sampler = engine.on('status', (status) => {
    const rss = process.memoryUsage().rss;
    rssPeak = Math.max(rssPeak, rss);
    if (Number.isNaN(rssWarm) && status.rowsReceived >= seconds * 1000 * 0.2) rssWarm = rss;
  });
  const t0 = performance.now();
  await engine.start();
  await engine.ended();
  await engine.stop();
  const wallSec = (performance.now() - t0) / 1000;
  const rssEnd = process.memoryUsage().rss;
  sampler.dispose();
  const s = engine.getStatus();
  await engine.dispose();
  const mib = (bytes: number) => bytes / 2 ** 20;
  const name = `unpaced soak, ${seconds} s of 64 ch × 1000 Hz`;
  rows.push({ benchmark: name, metric: 'samples lost', value: s.deviceLostRows + s.overflowLostRows, unit: 'samples', target: '0' });
  rows.push({ benchmark: name, metric: 'samples filtered', value: s.rowsFiltered, unit: 'samples', target: String(seconds * 1000) });
  rows.push({ benchmark: name, metric: 'speed', value: seconds / wallSec, unit: '× real time' });
  rows.push({ benchmark: name, metric: 'RSS after the first fifth (ring buffer filled)', value: mib(rssWarm), unit: 'MiB', reference: `at connect ${mib(rssAtStart).toFixed(0)} MiB` });
  rows.push({ benchmark: name, metric: 'RSS growth from there to the end', value: mib(rssEnd - rssWarm), unit: 'MiB', reference: `peak ${mib(rssPeak).toFixed(0)} MiB`, target: 'flat' });
  // and the long session: hours of signal with recording and decoding (--hours N; --quick: half an hour)
  const hours = flags.hours !== undefined ? Number(flags.hours) : quick ? 0.5 : 8;
  if (!(hours > 0 && hours <= 24)) throw new Error(`--hours must be a number of hours from 0 to 24 (got ${flags.hours})`);
  rows.push(...(await benchLongSoak({ hours, chain: CHAIN })));
}

async function benchRendererRows(): Promise<void> {
  for (const r of await benchRenderer(quick ? 3 : 10)) {
    const name = `renderer in Chromium, ${r.channels} ch × ${r.rateHz} Hz, 10 s window`;
    const target = r.channels === 64 ? '≥ 30 fps' : r.channels === 16 ? '60 fps, busy < 30%' : undefined;
    rows.push({ benchmark: name, metric: 'frames per second', value: r.fps, unit: 'fps', target });
    rows.push({ benchmark: name, metric: 'main-thread busy', value: r.busyPercent, unit: '%', target: r.channels === 16 ? '< 30%' : undefined });
  }
}

/** Frame rate with the spectrogram, head map and accelerometer open against the time series alone, same run. */
async function benchRendererViewsRows(): Promise<void> {
  // the emulator's EEG is the synthetic board's (plausible µV: no railed-channel alerts), its accelerometer its test readings
  const emulator = socatAvailable() ? await CytonEmulator.start({ signal: { kind: 'synthetic', mode: 'rest', seed: 1 } }) : undefined;
  if (!emulator) process.stderr.write('bench: socat is missing: no Cyton (accelerometer) figures\n');
  try {
    for (const r of await benchRendererViews(quick ? 3 : 10, quick ? 1 : 2, emulator?.hostPath)) {
      const name = `renderer views in Chromium, ${r.board}: time series alone vs + spectrogram, head map, accelerometer`;
      const { tracesOnly: a, withViews: b } = r;
      rows.push({ benchmark: name, metric: 'frames per second, views open', value: b.fps, unit: 'fps', reference: `time series alone: ${a.fps.toFixed(1)} fps`, ratio: b.fps / a.fps, target: 'ratio ≥ 0.9' });
      rows.push({ benchmark: name, metric: 'long frames (> 50 ms), views open', value: b.longFrames, unit: 'per run', reference: `time series alone: ${a.longFrames.toFixed(1)}` });
      rows.push({ benchmark: name, metric: 'frame gap p95, views open', value: b.p95FrameMs, unit: 'ms', reference: `time series alone: ${a.p95FrameMs.toFixed(1)} ms`, ratio: b.p95FrameMs / a.p95FrameMs });
      rows.push({ benchmark: name, metric: 'main-thread busy, views open', value: b.busyPercent, unit: '%', reference: `time series alone: ${a.busyPercent.toFixed(1)} %`, ratio: b.busyPercent / a.busyPercent });
      rows.push({ benchmark: name, metric: 'spectrogram columns drawn', value: r.spectrogramColumnsPerSec, unit: '/s' });
      if (r.accelDrawsPerSec > 0) rows.push({ benchmark: name, metric: 'accelerometer redraws', value: r.accelDrawsPerSec, unit: '/s' });
    }
  } finally {
    await emulator?.stop();
  }
}

async function benchReplayRows(): Promise<void> {
  for (const r of await benchReplay(quick)) {
    rows.push({ benchmark: `replay ${r.file}`, metric: r.path, value: r.timesRealTime, unit: '× real time', target: r.path.includes('one core') ? '≥ 1000×' : undefined });
  }
}

function benchFilesRows(): void {
  const r = benchFiles(quick);
  rows.push({ benchmark: 'recording BDF+ (64 ch × 1000 Hz, unpaced, recorder worker)', metric: 'write throughput', value: r.writeMBps, unit: 'MB/s' });
  rows.push({ benchmark: `bci convert ${r.convertInputMB.toFixed(0)} MB BDF → EDF+`, metric: 'throughput', value: r.convertMBps, unit: 'MB/s' });
  rows.push({ benchmark: `bci convert ${r.convertInputMB.toFixed(0)} MB BDF → EDF+`, metric: 'peak RSS', value: r.convertPeakRssMB, unit: 'MB', reference: `60 s file: ${r.smallConvertPeakRssMB.toFixed(0)} MB`, ratio: r.convertPeakRssMB / r.smallConvertPeakRssMB, target: 'flat (ratio ≈ 1)' });
}

async function benchFormatsRows(): Promise<void> {
  for (const r of await benchFormats({ quick })) {
    rows.push({ benchmark: `read ${r.file}`, metric: 'open + read all', value: r.oursMBps, unit: 'MB/s', reference: `MNE ${r.mneMBps.toFixed(1)} MB/s`, ratio: r.mneSec / r.oursSec });
  }
}

async function benchCytonRows(): Promise<void> {
  const parser = benchCytonParser({ seconds: quick ? 0.5 : 1 });
  rows.push({ benchmark: 'Cyton packet parser, one core', metric: '8 channels', value: parser.packetsPerSec / 1e6, unit: 'M packets/s', target: '≥ 2 M/s (8000× the Cyton)' });
  rows.push({ benchmark: 'Cyton packet parser, one core', metric: '16 channels (Daisy pairing)', value: parser.daisyPacketsPerSec / 1e6, unit: 'M packets/s' });
  const latency = await benchCytonLatency({ seconds: quick ? 2 : 5 });
  if (!latency) {
    process.stderr.write('bench: socat is missing: no Cyton latency figures (apt-get install socat)\n');
    return;
  }
  const name = `Cyton packet's last byte on the pty → its row in the ring buffer (${latency.rows} rows)`;
  rows.push({ benchmark: name, metric: 'p50', value: latency.p50Ms, unit: 'ms' });
  rows.push({ benchmark: name, metric: 'p99', value: latency.p99Ms, unit: 'ms', target: `< ${latency.targetP99Ms} ms` });
  rows.push({ benchmark: name, metric: 'max', value: latency.maxMs, unit: 'ms' });
}

function benchDecoderRows(): void {
  for (const r of benchDecoders({ quick })) {
    const target = r.metric.startsWith('train') ? '< 1000 ms, ratio ≤ 1' : '< 1 ms';
    rows.push({ benchmark: `decoder ${r.decoder}`, metric: r.metric, value: r.oursMs, unit: 'ms', reference: `${r.reference}: ${r.referenceMs.toFixed(2)} ms`, ratio: r.oursMs / r.referenceMs, target });
  }
}

async function benchLslRows(): Promise<void> {
  const r = await benchLsl({ seconds: quick ? 2 : 5 });
  const name = `LSL outlets raw + filtered, ${r.channels} ch × ${r.rateHz} Hz synthetic, a C inlet in another process`;
  rows.push({ benchmark: name, metric: 'raw samples pushed', value: r.samplesPerSec, unit: 'samples/s', target: `${r.rateHz}` });
  rows.push({ benchmark: name, metric: 'engine process CPU', value: r.cpuWithPercent, unit: '% of a core', reference: `without outlets: ${r.cpuWithoutPercent.toFixed(1)} %`, ratio: r.cpuWithPercent / r.cpuWithoutPercent });
  const latency = `LSL sample pushed in another process → filtered row (${r.channels} ch × ${r.rateHz} Hz, band-pass + notch, ${r.latencyRows} chunks)`;
  rows.push({ benchmark: latency, metric: 'p50', value: r.latencyP50Ms, unit: 'ms' });
  rows.push({ benchmark: latency, metric: 'p99', value: r.latencyP99Ms, unit: 'ms' });
}

async function benchBrainflowRows(): Promise<void> {
  const result = await benchBrainflow({ quick });
  if (!result) {
    process.stderr.write("bench: BrainFlow's library was not found (set BRAINFLOW_LIB_DIR): no BrainFlow figures\n");
    return;
  }
  rows.push(...result);
}

function benchQualityRows(): void {
  const r = benchQuality(quick);
  const name = 'quality monitor in the worker, 64 ch × 1 kHz, 32-row chunks';
  rows.push({ benchmark: name, metric: 'per second of data', value: r.monitorMsPerSec, unit: 'ms', reference: `filters (notch + band-pass 4): ${r.filtersMsPerSec.toFixed(2)} ms`, ratio: r.monitorMsPerSec / r.filtersMsPerSec });
  rows.push({ benchmark: name, metric: 'share of one core in real time', value: 100 * r.realTimeFraction, unit: '%', target: '< 5 %' });
}

async function benchAssistiveRows(): Promise<void> {
  rows.push(...(await benchAssistive({ quick })));
}

const benches: Record<string, () => void | Promise<void>> = {
  quality: benchQualityRows,
  cyton: benchCytonRows,
  filters: benchFilters,
  ring: benchRing,
  latency: benchLatency,
  soak: benchSoak,
  renderer: benchRendererRows,
  'renderer-views': benchRendererViewsRows,
  replay: benchReplayRows,
  files: benchFilesRows,
  formats: benchFormatsRows,
  decoders: benchDecoderRows,
  'decoder-latency': benchDecoderLatency,
  lsl: benchLslRows,
  brainflow: benchBrainflowRows,
  assistive: benchAssistiveRows,
};
for (const [name, run] of Object.entries(benches)) {
  if (flags.only && flags.only !== name) continue;
  process.stderr.write(`bench: ${name}…\n`);
  await run();
}

const fmt = (x: number | undefined, d = 2) => (x === undefined ? '' : Number.isFinite(x) ? x.toFixed(d) : 'n/a');
const table = [['benchmark', 'metric', 'value', 'unit', 'reference', 'ratio', 'target']].concat(
  rows.map((r) => [r.benchmark, r.metric, fmt(r.value, r.value >= 1000 ? 0 : 3), r.unit, r.reference ?? '', fmt(r.ratio), r.target ?? '']),
);
const widths = table[0].map((_, i) => Math.max(...table.map((row) => row[i].length)));
for (const row of table) process.stdout.write(row.map((cell, i) => cell.padEnd(widths[i])).join('  ').trimEnd() + '\n');

const dir = join(packageRoot(), 'bench-results');
mkdirSync(dir, { recursive: true });
const file = join(dir, `bench-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
writeFileSync(file, JSON.stringify({ date: new Date().toISOString(), node: process.version, quick, rows }, null, 2) + '\n');
process.stdout.write(`\nwrote ${file}\n`);
