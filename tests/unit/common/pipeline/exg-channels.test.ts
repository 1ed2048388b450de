// Filters without a channel list apply to the ExG channels only: EEG/EMG/EOG/ECG filtered as SciPy
// says, the accelerometer, PPG, temperature and battery channels passed through bit for bit.
import { describe, expect, it } from 'vitest';
import { Pipeline } from '../../../../electron/common/pipeline/pipeline.js';
import { createBlock, deinterleave, interleave } from '../../../../electron/common/pipeline/block.js';
import { exgMaskOf, pipelineSchema } from '../../../../electron/common/contract/pipeline.js';
import { brainflowLayout } from '../../../../electron/common/boards/brainflow-boards.js';
import { OnlineDecoder } from '../../../../electron/common/decoding/online.js';
import type { Decoder } from '../../../../electron/common/decoding/decoder.js';
import { loadGolden } from '../../../support/golden.js';

const golden = loadGolden();
const bp = golden.filters.find((f) => f.name === 'butter_bandpass_o4_1_40')!;
const input = Float64Array.from(bp.input);
const frames = input.length;
const scale = Math.max(...bp.sosfilt_steady.map(Math.abs));
const bandpass = pipelineSchema.parse({ stages: [{ kind: 'notch', frequencyHz: 60, q: 30 }, { kind: 'bandpass', lowHz: 1, highHz: 40, order: 4 }] });
const bandpassOnly = pipelineSchema.parse({ stages: [{ kind: 'bandpass', lowHz: 1, highHz: 40, order: 4 }] });

// a BrainFlow-like board: 2 EEG, 1 EMG, 3 accel, 1 PPG, 1 temperature, battery (rows as BrainFlow describes them)
const { descriptor } = brainflowLayout('brainflow:test', 'Test', {
  name: 'Test',
  sampling_rate: 250,
  num_rows: 12,
  package_num_channel: 0,
  eeg_channels: [1, 2],
  emg_channels: [3],
  accel_channels: [4, 5, 6],
  ppg_channels: [7],
  temperature_channels: [8],
  battery_channel: 9,
  timestamp_channel: 10,
  marker_channel: 11,
});
const types = descriptor.channels.map((c) => c.type);

/** Non-ExG signals a band-pass would destroy: gravity with a slow tilt, a pulse wave, a temperature, a battery level. */
function other(c: number): Float64Array {
  return Float64Array.from({ length: frames }, (_, n) => (c === 3 ? 0.98 + 0.01 * Math.sin(n / 400) : c === 6 ? 50_000 + 900 * Math.sin((2 * Math.PI * 1.2 * n) / 250) : c === 7 ? 31.5 + n * 1e-4 : 4.1 - n * 1e-6) + c * 0.001);
}

function runPipeline(pipeline: Pipeline, signal: Float64Array[], chunk: number): Float64Array[] {
  const channels = signal.length;
  const rows = new Float64Array(chunk * channels);
  const block = createBlock(channels, chunk);
  const length = signal[0].length;
  const out = signal.map(() => new Float64Array(length));
  for (let start = 0; start < length; start += chunk) {
    const n = Math.min(chunk, length - start);
    for (let r = 0; r < n; r++) for (let c = 0; c < channels; c++) rows[r * channels + c] = signal[c][start + r];
    deinterleave(rows, n, block);
    pipeline.process(block);
    interleave(block, rows);
    for (let r = 0; r < n; r++) for (let c = 0; c < channels; c++) out[c][start + r] = rows[r * channels + c];
  }
  return out;
}

describe('filters apply to the ExG channels only', () => {
  it('a BrainFlow board maps to EEG, EMG, accel and aux channels; the default mask is the ExG ones', () => {
    expect(types).toEqual(['eeg', 'eeg', 'emg', 'accel', 'accel', 'accel', 'aux', 'aux', 'aux']);
    expect(Array.from(exgMaskOf(types))).toEqual([1, 1, 1, 0, 0, 0, 0, 0, 0]);
    // no ExG channel at all (a file of unknown types, the accelerometer converted alone): all of them
    expect(Array.from(exgMaskOf(['accel', 'misc']))).toEqual([1, 1]);
  });

  it.each([1, 25, 1000])('filters EEG/EMG as SciPy (sosfilt, steady start) and leaves accel, PPG, temperature, battery exactly as they were (chunks of %i)', (chunk) => {
    const signal = types.map((t, c) => (t === 'eeg' || t === 'emg' ? (c === 1 ? input.map((x) => -x) : input) : other(c)));
    const pipeline = new Pipeline(bandpassOnly, { sampleRateHz: 250, channelCount: types.length, channelTypes: types, maxBlockRows: chunk });
    const out = runPipeline(pipeline, signal, chunk);
    for (const c of [0, 1, 2]) {
      const sign = c === 1 ? -1 : 1;
      let worst = 0;
      for (let i = 0; i < frames; i++) worst = Math.max(worst, Math.abs(out[c][i] - sign * bp.sosfilt_steady[i]));
      expect(worst / scale).toBeLessThan(1e-9);
    }
    for (let c = 3; c < types.length; c++) expect(out[c]).toEqual(signal[c]); // bit for bit
  });

  it('keeps the non-ExG channels untouched across updates and the common average (over EEG only)', () => {
    const signal = types.map((t, c) => (t === 'eeg' || t === 'emg' ? input.map((x) => x * (c + 1)) : other(c)));
    const pipeline = new Pipeline(pipelineSchema.parse({ reference: 'car' }), { sampleRateHz: 250, channelCount: types.length, channelTypes: types, maxBlockRows: 50 });
    const head = runPipeline(pipeline, signal.map((s) => s.subarray(0, 1000)), 50);
    pipeline.update({ ...bandpass, reference: 'car' });
    const tail = runPipeline(pipeline, signal.map((s) => s.subarray(1000)), 50);
    for (let c = 3; c < types.length; c++) {
      expect(head[c]).toEqual(signal[c].subarray(0, 1000));
      expect(tail[c]).toEqual(signal[c].subarray(1000));
    }
  });

  it('follows a montage that changes the types: a channel made misc passes from the next block, one made EOG is filtered from its steady state, the others keep their state', () => {
    const before = ['eeg', 'eeg', 'aux'];
    const signal = [input, input.map((x) => -x), input];
    const shape = { sampleRateHz: 250, channelCount: 3, maxBlockRows: 100 };
    const steady = runPipeline(new Pipeline(bandpassOnly, { ...shape, channelTypes: ['eeg', 'eeg', 'eeg'] }), signal, 100);
    const changing = new Pipeline(bandpassOnly, { ...shape, channelTypes: before });
    const head = runPipeline(changing, signal.map((x) => x.subarray(0, 1000)), 100);
    changing.setChannelTypes(['eeg', 'aux', 'eog']);
    const tail = runPipeline(changing, signal.map((x) => x.subarray(1000)), 100);
    expect(head[2]).toEqual(input.subarray(0, 1000)); // aux: as it came
    expect(tail[0]).toEqual(steady[0].subarray(1000)); // untouched channel: same state, same output
    expect(tail[1]).toEqual(signal[1].subarray(1000)); // made misc: unfiltered
    // made EOG: filtered from its first new sample, started from the steady state (SciPy's sosfilt_zi × x0: no step)
    const x0 = input[1000];
    expect(Math.abs(tail[2][0])).toBeLessThan(Math.abs(x0) + scale);
    let late = 0;
    for (let i = 1500; i < frames - 1000; i++) late = Math.max(late, Math.abs(tail[2][i] - steady[2][1000 + i]));
    expect(late / scale).toBeLessThan(0.05); // and converges on the filtered signal
  });

  it('an explicit channel list still means exactly those channels, accelerometer included', () => {
    const signal = types.map((_, c) => other(c));
    const withAccel = pipelineSchema.parse({ stages: [{ kind: 'highpass', cutoffHz: 1, order: 2, channels: [3] }] });
    const out = runPipeline(new Pipeline(withAccel, { sampleRateHz: 250, channelCount: types.length, channelTypes: types, maxBlockRows: 100 }), signal, 100);
    expect(Math.abs(out[3][frames - 1])).toBeLessThan(0.05); // gravity removed, as asked
    for (let c = 0; c < types.length; c++) if (c !== 3) expect(out[c]).toEqual(signal[c]);
  });

  it('the online decoder runs its filters on the ExG channels of its input only, as training does', () => {
    const seen: Float64Array[] = [];
    const decoder: Decoder = {
      classes: ['a', 'b'],
      channelCount: 2,
      rowCount: 100,
      predictProba(window: Float64Array, out: Float64Array) {
        seen.push(window.slice());
        out[0] = 0.5;
        out[1] = 0.5;
      },
    } as unknown as Decoder;
    const online = new OnlineDecoder({ decoder, filters: bandpassOnly, sampleRateHz: 250, channelIndices: [0, 3], streamChannelCount: types.length, streamChannelTypes: types, stepRows: 100, smoothing: { kind: 'none' }, maxBlockRows: 100 });
    const rows = new Float64Array(100 * types.length);
    const accel = other(3);
    for (let r = 0; r < 100; r++) {
      for (let c = 0; c < types.length; c++) rows[r * types.length + c] = c === 0 ? input[r] : accel[r];
    }
    online.process(rows, 100, 0);
    expect(seen.length).toBe(1);
    // planar window: channel 0 (EEG) filtered, channel 1 (accel) as it came
    const w = seen[0];
    expect(Math.abs(w[99] - bp.sosfilt_steady[99]) / scale).toBeLessThan(1e-9);
    expect(Array.from(w.subarray(100, 200))).toEqual(Array.from(accel.subarray(0, 100)));
  });
});
