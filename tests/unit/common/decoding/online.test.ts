// The online decoder stage: predictions at the sample indices where (s + 1) is a multiple of the
// step, on windows of the model's length behind the model's filters, the same whatever the
// chunking; a jump in the sample index restarts the window; smoothing as documented.
import { describe, expect, it } from 'vitest';
import { OnlineDecoder, type OnlineDecoderOptions } from '../../../../electron/common/decoding/online.js';
import type { AsyncDecoder, Decoder, DecoderKind, JsonValue } from '../../../../electron/common/decoding/decoder.js';
import { Pipeline } from '../../../../electron/common/pipeline/pipeline.js';
import { createBlock, deinterleave } from '../../../../electron/common/pipeline/block.js';
import { EMPTY_PIPELINE, type PipelineDescription } from '../../../../electron/common/contract/pipeline.js';
import { Random } from '../../../../electron/common/random.js';

/** Records the windows it is given; p(class 0) = a squashed mean of the window's first channel. */
class RecordingDecoder implements Decoder {
  readonly kind = 'unit-test' as DecoderKind;
  readonly classes = ['a', 'b'];
  readonly windows: Float64Array[] = [];
  constructor(
    readonly channelCount: number,
    readonly rowCount: number,
  ) {}
  predictProba(window: Float64Array, out: Float64Array): void {
    this.windows.push(window.slice());
    let m = 0;
    for (let r = 0; r < this.rowCount; r++) m += window[r];
    out[0] = 1 / (1 + Math.exp(-m / this.rowCount));
    out[1] = 1 - out[0];
  }
  toJSON(): JsonValue {
    return null;
  }
}

const STREAM_CHANNELS = 4;
const RATE = 100;

function signal(rows: number): Float64Array {
  const random = new Random(7);
  return new Float64Array(rows * STREAM_CHANNELS).map(() => random.nextGaussian());
}

function run(rows: Float64Array, chunks: number[], options: Partial<OnlineDecoderOptions> & { windowRows?: number } = {}, firstSampleIndex = 0) {
  const decoder = new RecordingDecoder(2, options.windowRows ?? 50);
  const online = new OnlineDecoder({ decoder, filters: EMPTY_PIPELINE, sampleRateHz: RATE, channelIndices: [2, 0], streamChannelCount: STREAM_CHANNELS, stepRows: 10, smoothing: { kind: 'none' }, maxBlockRows: 256, ...options });
  const total = rows.length / STREAM_CHANNELS;
  const indices: number[] = [];
  const probabilities: number[] = [];
  let at = 0;
  for (let i = 0; at < total; i++) {
    const n = Math.min(chunks[i % chunks.length], total - at);
    const count = online.process(rows.subarray(at * STREAM_CHANNELS), n, firstSampleIndex + at);
    for (let p = 0; p < count; p++) {
      indices.push(online.sampleIndices[p]);
      expect(online.rows[p]).toBe(online.sampleIndices[p] - firstSampleIndex - at);
      probabilities.push(...online.probabilities.subarray(p * 2, p * 2 + 2));
    }
    at += n;
  }
  return { indices, probabilities, windows: decoder.windows };
}

describe('OnlineDecoder', () => {
  it('predicts on full windows at every step, stamped with the window’s last sample index', () => {
    const rows = signal(300);
    const { indices, windows } = run(rows, [256]);
    expect(indices).toEqual([49, 59, 69, 79, 89, 99, 109, 119, 129, 139, 149, 159, 169, 179, 189, 199, 209, 219, 229, 239, 249, 259, 269, 279, 289, 299]);
    // the window is the model's channels (stream channels 2 then 0), planar, oldest row first
    const w = windows[0];
    for (let r = 0; r < 50; r++) {
      expect(w[r]).toBe(rows[r * STREAM_CHANNELS + 2]);
      expect(w[50 + r]).toBe(rows[r * STREAM_CHANNELS + 0]);
    }
    const last = windows.at(-1)!;
    expect(last[49]).toBe(rows[299 * STREAM_CHANNELS + 2]);
  });

  it('gives the same predictions, bit for bit, in any chunking', () => {
    const rows = signal(1000);
    const filters: PipelineDescription = { reference: 'car', stages: [{ kind: 'bandpass', lowHz: 8, highHz: 30, order: 4 }] };
    const a = run(rows, [256], { filters });
    const b = run(rows, [1, 7, 33, 256, 3], { filters });
    expect(b.indices).toEqual(a.indices);
    expect(Buffer.from(Float64Array.from(b.probabilities).buffer).equals(Buffer.from(Float64Array.from(a.probabilities).buffer))).toBe(true);
  });

  it('runs the model’s filters on the model’s channels from the first row (as training does)', () => {
    const rows = signal(400);
    const filters: PipelineDescription = { reference: 'car', stages: [{ kind: 'highpass', cutoffHz: 5, order: 2 }] };
    const { windows } = run(rows, [64], { filters });
    const offline = new Pipeline(filters, { sampleRateHz: RATE, channelCount: 2, channelTypes: ['eeg', 'eeg'], maxBlockRows: 400 });
    const picked = new Float64Array(400 * 2);
    for (let r = 0; r < 400; r++) {
      picked[r * 2] = rows[r * STREAM_CHANNELS + 2];
      picked[r * 2 + 1] = rows[r * STREAM_CHANNELS];
    }
    const block = createBlock(2, 400);
    deinterleave(picked, 400, block);
    offline.process(block);
    const last = windows.at(-1)!; // window ending at row 399
    for (let r = 0; r < 50; r++) {
      expect(last[r]).toBe(block.data[350 + r]);
      expect(last[50 + r]).toBe(block.data[400 + 350 + r]);
    }
  });

  it('places the grid on absolute sample indices and restarts the window after a jump', () => {
    const rows = signal(200);
    const decoder = new RecordingDecoder(2, 50);
    const online = new OnlineDecoder({ decoder, filters: EMPTY_PIPELINE, sampleRateHz: RATE, channelIndices: [2, 0], streamChannelCount: STREAM_CHANNELS, stepRows: 10, smoothing: { kind: 'none' }, maxBlockRows: 256 });
    const seen: number[] = [];
    const feed = (from: number, n: number, first: number) => {
      const count = online.process(rows.subarray(from * STREAM_CHANNELS), n, first);
      for (let p = 0; p < count; p++) seen.push(online.sampleIndices[p]);
    };
    feed(0, 100, 1003); // first window full at 1052; grid (s+1) % 10 == 0 → 1059, 1069, …
    feed(100, 100, 1500); // a gap: the window starts again at 1500, full at 1549
    expect(seen).toEqual([1059, 1069, 1079, 1089, 1099, 1549, 1559, 1569, 1579, 1589, 1599]);
  });

  it('smooths exponentially with α = 1 − exp(−step / τ), and by majority of the last N', () => {
    const rows = signal(400);
    const raw = run(rows, [256]).probabilities;
    const tau = 0.25;
    const alpha = 1 - Math.exp(-10 / RATE / tau);
    const exp = run(rows, [256], { smoothing: { kind: 'exponential', timeConstantSec: tau } }).probabilities;
    let s = raw[0];
    for (let i = 0; i < raw.length / 2; i++) {
      s = i === 0 ? raw[0] : alpha * raw[2 * i] + (1 - alpha) * s;
      expect(exp[2 * i]).toBeCloseTo(s, 14);
    }
    const major = run(rows, [256], { smoothing: { kind: 'majority', count: 3 } }).probabilities;
    const votes: number[] = [];
    for (let i = 0; i < raw.length / 2; i++) {
      votes.push(raw[2 * i] >= raw[2 * i + 1] ? 0 : 1);
      const last = votes.slice(-3);
      expect(major[2 * i]).toBeCloseTo(last.filter((v) => v === 0).length / last.length, 15);
      expect(major[2 * i] + major[2 * i + 1]).toBeCloseTo(1, 15);
    }
  });

  it('refuses channel maps and chunks it cannot take', () => {
    const decoder = new RecordingDecoder(2, 50);
    const base = { decoder, filters: EMPTY_PIPELINE, sampleRateHz: RATE, streamChannelCount: STREAM_CHANNELS, stepRows: 10, smoothing: { kind: 'none' } as const, maxBlockRows: 64 };
    expect(() => new OnlineDecoder({ ...base, channelIndices: [0] })).toThrow(/takes 2 channels/);
    expect(() => new OnlineDecoder({ ...base, channelIndices: [0, 4] })).toThrow(/not a channel of the stream/);
    expect(() => new OnlineDecoder({ ...base, channelIndices: [0, 1], stepRows: 0 })).toThrow(/step/);
    const online = new OnlineDecoder({ ...base, channelIndices: [0, 1] });
    expect(() => online.process(signal(100), 100, 0)).toThrow(/at most 64 rows/);
  });

  it('gives no prediction for a window with non-finite samples, and starts its filters and window again', () => {
    const rows = signal(300);
    // rows 100-109 are a NaN-padded gap (as an exported file holds one)
    for (let r = 100; r < 110; r++) for (let c = 0; c < STREAM_CHANNELS; c++) rows[r * STREAM_CHANNELS + c] = Number.NaN;
    const filters: PipelineDescription = { reference: 'none', stages: [{ kind: 'highpass', cutoffHz: 1, order: 2 }] };
    const decoder = new RecordingDecoder(2, 50);
    const online = new OnlineDecoder({ decoder, filters, sampleRateHz: RATE, channelIndices: [2, 0], streamChannelCount: STREAM_CHANNELS, stepRows: 10, smoothing: { kind: 'none' }, maxBlockRows: 300 });
    // live-sized chunks: the gap's NaN reaches the filters' output for the rest of its chunk, so a
    // gap costs the window it touches and at most one more before predictions resume
    const predicted: number[] = [];
    const probabilities: number[] = [];
    for (let at = 0; at < 300; at += 25) {
      const count = online.process(rows.subarray(at * STREAM_CHANNELS), 25, at);
      predicted.push(...online.sampleIndices.subarray(0, count));
      probabilities.push(...online.probabilities.subarray(0, count * 2));
    }
    expect(probabilities.every(Number.isFinite)).toBe(true);
    expect(predicted.filter((i) => i < 100)).toEqual([49, 59, 69, 79, 89, 99]);
    expect(online.skipped).toBeGreaterThanOrEqual(1);
    expect(online.skipped).toBeLessThanOrEqual(2);
    const after = predicted.filter((i) => i >= 100);
    expect(after.length).toBeGreaterThan(0);
    expect(after[0]).toBeLessThanOrEqual(209);
    expect(predicted.length).toBeGreaterThan(6);
  });

  it('runs an asynchronous decoder (ONNX) on the same windows, in order, with the same smoothing and NaN handling as a synchronous one', async () => {
    const rows = signal(600);
    for (let r = 300; r < 305; r++) for (let c = 0; c < STREAM_CHANNELS; c++) rows[r * STREAM_CHANNELS + c] = Number.NaN;
    const filters: PipelineDescription = { reference: 'none', stages: [{ kind: 'highpass', cutoffHz: 1, order: 2 }] };
    /** The RecordingDecoder's answer, given after a macrotask (as onnxruntime's session.run does). */
    class LateDecoder implements AsyncDecoder {
      readonly kind = 'unit-test' as DecoderKind;
      readonly classes = ['a', 'b'];
      readonly inner = new RecordingDecoder(2, 50);
      busy = false;
      readonly channelCount = 2;
      readonly rowCount = 50;
      async predictProbaAsync(window: Float64Array, out: Float64Array): Promise<void> {
        expect(this.busy).toBe(false);
        this.busy = true;
        const copy = window.slice();
        await new Promise((resolve) => setTimeout(resolve, 0));
        this.inner.predictProba(copy, out);
        this.busy = false;
      }
      toJSON(): JsonValue {
        return null;
      }
    }
    const collect = async (decoder: Decoder | AsyncDecoder, chunk: number, smoothing: OnlineDecoderOptions['smoothing']) => {
      const online = new OnlineDecoder({ decoder, filters, sampleRateHz: RATE, channelIndices: [2, 0], streamChannelCount: STREAM_CHANNELS, stepRows: 10, smoothing, maxBlockRows: 256 });
      const out: number[] = [];
      for (let at = 0; at < 600; at += chunk) {
        // a jump at 450: the window (and the smoothing) start again
        const first = at >= 450 ? at + 1000 : at;
        let count = online.process(rows.subarray(at * STREAM_CHANNELS), Math.min(chunk, 600 - at), first);
        if (online.pending > 0) {
          expect(count).toBe(0);
          count = await online.settle();
        }
        for (let p = 0; p < count; p++) out.push(online.sampleIndices[p], online.rows[p], ...online.probabilities.subarray(p * 2, p * 2 + 2));
      }
      return { out, skipped: online.skipped };
    };
    for (const smoothing of [{ kind: 'none' }, { kind: 'majority', count: 3 }, { kind: 'exponential', timeConstantSec: 0.3 }] as const) {
      const sync = await collect(new RecordingDecoder(2, 50), 25, smoothing);
      const late = await collect(new LateDecoder(), 25, smoothing);
      expect(late.out.length).toBeGreaterThan(100);
      expect(late.out).toEqual(sync.out);
      expect(late.skipped).toBe(sync.skipped);
      expect(late.skipped).toBeGreaterThan(0);
    }
    // rows are refused until the windows taken are settled
    const online = new OnlineDecoder({ decoder: new LateDecoder(), filters, sampleRateHz: RATE, channelIndices: [2, 0], streamChannelCount: STREAM_CHANNELS, stepRows: 10, smoothing: { kind: 'none' }, maxBlockRows: 256 });
    online.process(rows, 100, 0);
    expect(online.pending).toBe(6);
    expect(() => online.process(rows, 10, 100)).toThrow(/settle/);
    expect(await online.settle()).toBe(6);
    expect(online.pending).toBe(0);
  });
});
