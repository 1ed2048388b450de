// BrainFlow benchmarks, as functions that return numbers (the harness in run.ts prints and saves them):
//   get_board_data     the cost of moving BrainFlow's synthetic board's rows out of its buffer
//                      (koffi synchronous and asynchronous calls, per call and per row), and of
//                      the driver's transpose of BrainFlow's matrix into rows into the ring buffer
//   band-pass          BrainFlow's DataFilter.perform_bandpass (libDataHandler, Butterworth order 4,
//                      1-40 Hz) against the workstation's filter chain on the same data: throughput
//                      whole-signal and in live 10 ms chunks, and what BrainFlow's per-call filtering
//                      (its state restarts on every call) does at chunk boundaries, in µV

import koffi from 'koffi';
import { loadBrainflow, inputParamsJson } from '../../native/brainflow.js';
import { brainflowLayout, brainflowDescriptionSchema } from '../../electron/common/boards/brainflow-boards.js';
import { BrainflowDriver } from '../../electron/engine/boards/brainflow.js';
import type { SampleSink } from '../../electron/engine/boards/driver.js';
import { RingBuffer } from '../../electron/common/ring-buffer.js';
import { SosFilter, cascadeSos } from '../../electron/common/dsp/sos.js';
import { stageSos } from '../../electron/common/pipeline/stages.js';
import { Random } from '../../electron/common/random.js';
import type { BrainflowLibrary } from '../../native/brainflow.js';

export interface BrainflowBenchRow {
  readonly benchmark: string;
  readonly metric: string;
  readonly value: number;
  readonly unit: string;
  readonly reference?: string;
  readonly ratio?: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

/** Time of get_board_data on BrainFlow's synthetic board, `rowsPerCall` rows each time. */
async function timeReads(library: BrainflowLibrary, rowsPerCall: number, calls: number, mode: 'sync' | 'async'): Promise<number[]> {
  const params = inputParamsJson({});
  const out = new Float64Array(32 * rowsPerCall);
  const count = new Int32Array(1);
  const times: number[] = [];
  while (times.length < calls) {
    library.count(-1, params, count);
    if (count[0] < rowsPerCall) {
      await sleep(2);
      continue;
    }
    const t0 = performance.now();
    const code = mode === 'sync' ? library.dataSync(-1, params, rowsPerCall, out) : await library.data(-1, params, rowsPerCall, out);
    times.push(performance.now() - t0);
    if (code !== 0) throw new Error(`get_board_data answered ${code}`);
  }
  return times;
}

/** A library stand-in that hands out a ready matrix at once: the driver's own cost alone. */
function instantLibrary(numRows: number, rowsPerCall: number): BrainflowLibrary {
  let counter = 0;
  const stub = {
    count: (_id: number, _p: string, out: Int32Array) => {
      out[0] = rowsPerCall;
      return 0;
    },
    data: async (_id: number, _p: string, rows: number, out: Float64Array) => {
      const nowSec = Date.now() / 1000;
      for (let s = 0; s < rows; s++) {
        out[s] = counter++ & 255; // package counter row 0
        for (let r = 1; r < numRows - 2; r++) out[r * rows + s] = r + s;
        out[(numRows - 2) * rows + s] = nowSec; // timestamp row
        out[(numRows - 1) * rows + s] = 0; // marker row
      }
      return 0;
    },
  };
  return stub as unknown as BrainflowLibrary;
}

async function driverCost(quick: boolean): Promise<{ nsPerRow: number; rows: number }> {
  const description = brainflowDescriptionSchema.parse({
    name: 'Synthetic', sampling_rate: 250, num_rows: 32, package_num_channel: 0, timestamp_channel: 30, marker_channel: 31,
    eeg_channels: Array.from({ length: 16 }, (_, i) => i + 1), accel_channels: [17, 18, 19], gyro_channels: [20, 21, 22], eda_channels: [23], battery_channel: 29, other_channels: [24, 25, 26, 27, 28],
  });
  const { descriptor, map } = brainflowLayout('brainflow:bench', 'Bench', description);
  const rowsPerCall = 256;
  const driver = new BrainflowDriver({ library: instantLibrary(32, rowsPerCall), boardId: -1, descriptor, map, params: {} });
  const ring = RingBuffer.create({ channelCount: descriptor.channels.length, capacityRows: 1 << 16, maxReaders: 1 });
  let index = 0;
  const sink: SampleSink = {
    pushRows: (rows, n) => {
      ring.write(rows, n, index, 0);
      index += n;
    },
    reportGap: () => undefined,
    pushMarker: () => undefined,
    room: () => Infinity,
    waitForRoom: async () => undefined,
    reportError: () => undefined,
  };
  // drive the private poll directly: one count + read of rowsPerCall rows per round, delivered into the ring buffer
  const internals = driver as unknown as { sink: SampleSink; prepared: boolean; poll(): Promise<void> };
  internals.sink = sink;
  internals.prepared = true;
  const rounds = quick ? 2000 : 20000;
  for (let i = 0; i < 200; i++) await internals.poll(); // warm up
  const t0 = performance.now();
  for (let i = 0; i < rounds; i++) await internals.poll();
  const ms = performance.now() - t0;
  return { nsPerRow: (ms * 1e6) / (rounds * rowsPerCall), rows: rounds * rowsPerCall };
}

export async function benchBrainflow(options: { quick: boolean }): Promise<BrainflowBenchRow[] | undefined> {
  const loaded = loadBrainflow();
  if (!loaded.library) return undefined;
  const library = loaded.library;
  const rows: BrainflowBenchRow[] = [];
  const params = inputParamsJson({});
  if ((await library.prepare(-1, params)) !== 0 || (await library.start(-1, params, 450_000)) !== 0) throw new Error("BrainFlow's synthetic board did not start");
  try {
    const calls = options.quick ? 20 : 60;
    for (const rowsPerCall of [5, 25]) {
      const sync = median(await timeReads(library, rowsPerCall, calls, 'sync'));
      const asyncMs = median(await timeReads(library, rowsPerCall, calls, 'async'));
      const name = `BrainFlow get_board_data, synthetic board (32 rows), ${rowsPerCall} samples per call`;
      rows.push({ benchmark: name, metric: 'sync call, median', value: sync * 1000, unit: 'µs' });
      rows.push({ benchmark: name, metric: 'async call (koffi worker thread), median', value: asyncMs * 1000, unit: 'µs', reference: `sync ${(sync * 1000).toFixed(1)} µs`, ratio: asyncMs / sync });
      rows.push({ benchmark: name, metric: 'async, per sample', value: (asyncMs * 1000) / rowsPerCall, unit: 'µs' });
    }
  } finally {
    await library.stop(-1, params);
    await library.release(-1, params);
  }
  const driver = await driverCost(options.quick);
  rows.push({ benchmark: `BrainFlow matrix → rows → ring buffer (the driver's poll without BrainFlow's call, ${driver.rows} samples, 256 per poll)`, metric: 'per sample', value: driver.nsPerRow, unit: 'ns' });
  rows.push(...benchBandpass(options.quick, library.located.dataHandler));
  return rows;
}

function benchBandpass(quick: boolean, dataHandler: string | undefined): BrainflowBenchRow[] {
  if (!dataHandler) return [];
  const lib = koffi.load(dataHandler);
  const bandpass = lib.func('int perform_bandpass(_Inout_ double *, int, int, double, double, int, int, double)');
  const rateHz = 250;
  const channels = 8;
  const samples = (quick ? 20 : 120) * rateHz;
  const rng = new Random(7);
  const planar = new Float64Array(channels * samples);
  for (let c = 0; c < channels; c++) {
    for (let i = 0; i < samples; i++) planar[c * samples + i] = 30 * Math.sin((2 * Math.PI * 10 * i) / rateHz + c) + 10 * rng.nextGaussian() + 500;
  }
  const sos = cascadeSos(stageSos({ kind: 'bandpass', lowHz: 1, highHz: 40, order: 4 }, rateHz));
  const chunk = rateHz / 100 > 2 ? Math.round(rateHz / 25) : 10; // 40 ms polls at 250 Hz (10 samples)
  const time = (fn: () => void): number => {
    const ts: number[] = [];
    for (let rep = 0; rep < 3; rep++) {
      const t0 = performance.now();
      fn();
      ts.push(performance.now() - t0);
    }
    return median(ts);
  };
  // BrainFlow whole signal, per channel
  const bfWhole = Float64Array.from(planar);
  const bfWholeMs = time(() => {
    bfWhole.set(planar);
    for (let c = 0; c < channels; c++) bandpass(bfWhole.subarray(c * samples, (c + 1) * samples), samples, rateHz, 1, 40, 4, 0, 0);
  });
  // BrainFlow per chunk (as an app filtering each get_board_data answer does): state restarts every call
  const bfChunked = Float64Array.from(planar);
  const bfChunkedMs = time(() => {
    bfChunked.set(planar);
    for (let c = 0; c < channels; c++) {
      for (let s = 0; s < samples; s += chunk) bandpass(bfChunked.subarray(c * samples + s, c * samples + Math.min(samples, s + chunk)), Math.min(chunk, samples - s), rateHz, 1, 40, 4, 0, 0);
    }
  });
  // ours: state kept per channel between chunks
  const ours = Float64Array.from(planar);
  const oursMs = time(() => {
    ours.set(planar);
    const filter = new SosFilter(sos, channels);
    for (let c = 0; c < channels; c++) for (let s = 0; s < samples; s += chunk) filter.processChannel(c, ours, c * samples + s, Math.min(chunk, samples - s));
  });
  const settle = 2 * rateHz; // leave the first 2 s (both start from rest)
  const diff = (a: Float64Array, b: Float64Array) => {
    let sq = 0;
    let max = 0;
    let n = 0;
    for (let c = 0; c < channels; c++) {
      for (let i = settle; i < samples; i++) {
        const d = a[c * samples + i] - b[c * samples + i];
        sq += d * d;
        max = Math.max(max, Math.abs(d));
        n++;
      }
    }
    return { rms: Math.sqrt(sq / n), max };
  };
  const sps = (ms: number) => (channels * samples) / (ms / 1000) / 1e6;
  const chunkVsWhole = diff(bfChunked, bfWhole);
  const oursVsWhole = diff(ours, bfWhole);
  const name = `band-pass 1-40 Hz Butterworth order 4, ${channels} ch × ${samples / rateHz} s at ${rateHz} Hz`;
  return [
    { benchmark: name, metric: `ours, ${chunk}-sample chunks, state kept`, value: sps(oursMs), unit: 'M samples/s', reference: `BrainFlow chunked ${sps(bfChunkedMs).toFixed(2)}`, ratio: bfChunkedMs / oursMs },
    { benchmark: name, metric: 'BrainFlow perform_bandpass, whole signal', value: sps(bfWholeMs), unit: 'M samples/s' },
    { benchmark: name, metric: `BrainFlow perform_bandpass per ${chunk}-sample chunk`, value: sps(bfChunkedMs), unit: 'M samples/s' },
    { benchmark: name, metric: 'BrainFlow chunked vs BrainFlow whole: RMS (after 2 s)', value: chunkVsWhole.rms, unit: 'µV', reference: `max ${chunkVsWhole.max.toFixed(1)} µV; signal ~30 µV alpha + 500 µV offset` },
    { benchmark: name, metric: 'ours chunked vs BrainFlow whole: RMS (after 2 s)', value: oursVsWhole.rms, unit: 'µV', reference: `max ${oursVsWhole.max.toFixed(3)} µV` },
  ];
}
