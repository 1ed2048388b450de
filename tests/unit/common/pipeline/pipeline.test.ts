import { describe, expect, it } from 'vitest';
import { Pipeline } from '../../../../electron/common/pipeline/pipeline.js';
import { createBlock, deinterleave, interleave } from '../../../../electron/common/pipeline/block.js';
import { stageSos } from '../../../../electron/common/pipeline/stages.js';
import { notchSos } from '../../../../electron/common/dsp/notch.js';
import { pipelineProblems, pipelineSchema, describePipeline, type PipelineInput } from '../../../../electron/common/contract/pipeline.js';
import { loadGolden } from '../../../support/golden.js';

const parse = (p: PipelineInput) => pipelineSchema.parse(p);
const eeg = (n: number): string[] => new Array<string>(n).fill('eeg');

/** Runs a planar signal (channels × frames) through a pipeline in chunks of `chunk`. */
function run(pipeline: Pipeline, signal: Float64Array[], chunk: number): Float64Array[] {
  const channels = signal.length;
  const frames = signal[0].length;
  const out = signal.map(() => new Float64Array(frames));
  const block = createBlock(channels, chunk);
  for (let start = 0; start < frames; start += chunk) {
    const n = Math.min(chunk, frames - start);
    for (let c = 0; c < channels; c++) block.data.set(signal[c].subarray(start, start + n), c * chunk);
    block.rowCount = n;
    pipeline.process(block);
    for (let c = 0; c < channels; c++) out[c].set(block.data.subarray(c * chunk, c * chunk + n), start);
  }
  return out;
}

describe('Pipeline', () => {
  const golden = loadGolden();
  const bp = golden.filters.find((f) => f.name === 'butter_bandpass_o4_1_40')!;
  const input = Float64Array.from(bp.input);
  const scale = Math.max(...bp.sosfilt_steady.map(Math.abs));

  it.each([1, 7, 64, 1000])('starts from the steady state and matches SciPy (sosfilt_zi × x0) in chunks of %i', (chunk) => {
    const pipeline = new Pipeline(parse({ stages: [{ kind: 'bandpass', lowHz: 1, highHz: 40, order: 4 }] }), { sampleRateHz: 250, channelCount: 2, channelTypes: eeg(2), maxBlockRows: chunk });
    const [a, b] = run(pipeline, [input, input.map((x) => -x)], chunk);
    let worst = 0;
    for (let i = 0; i < input.length; i++) {
      worst = Math.max(worst, Math.abs(a[i] - bp.sosfilt_steady[i]), Math.abs(b[i] + bp.sosfilt_steady[i]));
    }
    expect(worst / scale).toBeLessThan(1e-9);
  });

  it('builds a notch with harmonics below Nyquist only', () => {
    const sos = stageSos({ kind: 'notch', frequencyHz: 50, q: 30, harmonics: 3 }, 250);
    // 50 and 100 Hz fit under 125 Hz; 150 and 200 do not
    expect(sos.length).toBe(12);
    expect(Array.from(sos.subarray(6))).toEqual(Array.from(notchSos(100, 30, 250)));
  });

  it('subtracts the common average over EEG channels only', () => {
    const pipeline = new Pipeline(parse({ reference: 'car' }), { sampleRateHz: 250, channelCount: 4, channelTypes: ['eeg', 'eeg', 'eeg', 'accel'], maxBlockRows: 3 });
    const rows = Float64Array.from([1, 2, 3, 100, 4, 4, 4, 200, -3, 0, 3, 300]);
    const block = createBlock(4, 3);
    deinterleave(rows, 3, block);
    pipeline.process(block);
    const out = new Float64Array(12);
    interleave(block, out);
    expect(Array.from(out)).toEqual([-1, 0, 1, 100, 0, 0, 0, 200, -3, 0, 3, 300]);
  });

  it('applies a stage only to its channels', () => {
    const pipeline = new Pipeline(parse({ stages: [{ kind: 'highpass', cutoffHz: 1, order: 2, channels: [1] }] }), { sampleRateHz: 250, channelCount: 2, channelTypes: eeg(2), maxBlockRows: 100 });
    const [a, b] = run(pipeline, [input, input], 100);
    expect(Array.from(a)).toEqual(Array.from(input));
    expect(Math.abs(b[2999])).toBeLessThan(200); // the 1000 µV offset is gone
  });

  it('keeps unchanged stages’ state across an update, so a change touches only what changed', () => {
    const shape = { sampleRateHz: 250, channelCount: 3, channelTypes: eeg(3), maxBlockRows: 50 };
    const before = parse({ stages: [{ kind: 'bandpass', lowHz: 1, highHz: 40, order: 4 }] });
    const after = parse({ stages: [{ kind: 'notch', frequencyHz: 50, channels: [1] }, { kind: 'bandpass', lowHz: 1, highHz: 40, order: 4 }] });
    const signal = [input, input.map((x) => x * 0.5), input.map((x) => x + 10)];
    const steady = run(new Pipeline(before, shape), signal, 50);
    const changing = new Pipeline(before, shape);
    const first = run(changing, signal.map((s) => s.subarray(0, 1500)), 50);
    changing.update(after);
    const second = run(changing, signal.map((s) => s.subarray(1500)), 50);
    for (const c of [0, 2]) {
      expect(Array.from(first[c])).toEqual(Array.from(steady[c].subarray(0, 1500)));
      expect(Array.from(second[c])).toEqual(Array.from(steady[c].subarray(1500)));
    }
    // channel 1 changed: the notch removes the 50 Hz line, and the band-pass did not restart (no step)
    expect(Array.from(second[1])).not.toEqual(Array.from(steady[1].subarray(1500)));
    expect(Math.abs(second[1][0] - steady[1][1500])).toBeLessThan(5);
  });

  it('refuses cut-offs at or above Nyquist and reversed band edges with sentences that say what to do', () => {
    const p = parse({ stages: [{ kind: 'lowpass', cutoffHz: 130 }, { kind: 'bandpass', lowHz: 40, highHz: 1 }, { kind: 'notch', frequencyHz: 50, channels: [9] }] });
    const problems = pipelineProblems(p, 250, 8);
    expect(problems).toEqual([
      'the low-pass cut-off 130 Hz is at or above the Nyquist frequency (125 Hz at 250 Hz sampling): choose a lower one',
      'the band-pass low edge (40 Hz) must be below its high edge (1 Hz), e.g. 1-40',
      'channel index 9 is out of range: the board has channels 0..7',
    ]);
    expect(() => new Pipeline(p, { sampleRateHz: 250, channelCount: 8, channelTypes: eeg(8), maxBlockRows: 10 })).toThrow(/Nyquist/);
    expect(pipelineSchema.safeParse({ stages: [{ kind: 'bandpass', lowHz: 1, highHz: 40, order: 0 }] }).success).toBe(false);
    expect(pipelineSchema.safeParse({ stages: [{ kind: 'magic' }] }).success).toBe(false);
  });

  it('describes itself for summaries and sidecars', () => {
    expect(describePipeline(parse({ reference: 'car', stages: [{ kind: 'notch', frequencyHz: 50 }, { kind: 'bandpass', lowHz: 1, highHz: 40 }] }))).toBe(
      'common average reference, notch 50 Hz (Q 30), band-pass 1-40 Hz order 4',
    );
    // with the board's channels: where the stages without a channel list apply, when not everywhere
    const cyton = [...eeg(8), 'accel', 'accel', 'accel'];
    const notchAndBand = parse({ stages: [{ kind: 'notch', frequencyHz: 50 }, { kind: 'bandpass', lowHz: 1, highHz: 40 }] });
    expect(describePipeline(notchAndBand, cyton)).toBe('notch 50 Hz (Q 30), band-pass 1-40 Hz order 4 (filters without a channel list: on the 8 ExG channels of 11)');
    expect(describePipeline(notchAndBand, eeg(8))).toBe('notch 50 Hz (Q 30), band-pass 1-40 Hz order 4');
    expect(describePipeline(parse({ stages: [{ kind: 'notch', frequencyHz: 50, channels: [0, 1] }] }), cyton)).toBe('notch 50 Hz (Q 30) on channels 0,1');
    expect(describePipeline(parse({ stages: [] }), cyton)).toBe('none');
    expect(describePipeline(parse({ reference: 'car', stages: [] }), [...eeg(7), 'eog'])).toBe('common average reference (over the 7 EEG channels)');
  });

  it('sends no transient through the traces when a filter or the reference changes (the first second stays in the signal’s range)', () => {
    // an amplifier's view: a 20 mV DC offset per channel, drift, 10 Hz and 50 Hz lines, noise
    const rate = 250;
    const frames = rate * 20;
    const channels = 4;
    let seed = 1;
    const noise = () => ((seed = (seed * 16807) % 2147483647) / 2147483647 - 0.5) * 10;
    const signal = Array.from({ length: channels }, (_, c) =>
      Float64Array.from({ length: frames }, (_, n) => 20_000 + 700 * c + 5 * (n / rate) + 20 * Math.sin(2 * Math.PI * 10 * (n / rate) + c) + 30 * Math.sin(2 * Math.PI * 50 * (n / rate)) + noise()),
    );
    const bp = { kind: 'bandpass', lowHz: 1, highHz: 40, order: 4 } as const;
    const hp = { kind: 'highpass', cutoffHz: 1, order: 4 } as const;
    const notch = { kind: 'notch', frequencyHz: 50 } as const;
    const changes: [string, PipelineInput, PipelineInput][] = [
      ['notch on', { stages: [] }, { stages: [notch] }],
      ['band-pass on before the notch', { stages: [notch] }, { stages: [bp, notch] }],
      ['high-pass on before the notch', { stages: [notch] }, { stages: [hp, notch] }],
      ['band-pass off before the notch', { stages: [bp, notch] }, { stages: [notch] }],
      ['band-pass edges changed', { stages: [bp] }, { stages: [{ ...bp, lowHz: 8, highHz: 30 }] }],
      ['common average on', { stages: [notch] }, { reference: 'car', stages: [notch] }],
      ['common average off', { reference: 'car', stages: [notch] }, { stages: [notch] }],
    ];
    const shape = { sampleRateHz: rate, channelCount: channels, channelTypes: eeg(channels), maxBlockRows: 25 };
    const figures: string[] = [];
    for (const [name, before, after] of changes) {
      const changing = new Pipeline(parse(before), shape);
      const head = run(changing, signal.map((x) => x.subarray(0, rate * 10)), 25);
      expect(head[0].length).toBe(rate * 10);
      changing.update(parse(after));
      const tail = run(changing, signal.map((x) => x.subarray(rate * 10)), 25);
      // the new pipeline as if it had always run: the traces the operator expects to see
      const settled = run(new Pipeline(parse(after), shape), signal, 25);
      for (let c = 0; c < channels; c++) {
        const s = settled[c].subarray(rate * 10);
        let mean = 0;
        for (let n = rate * 5; n < s.length; n++) mean += s[n] / (s.length - rate * 5);
        let range = 0;
        for (let n = rate * 5; n < s.length; n++) range = Math.max(range, Math.abs(s[n] - mean));
        let deviation = 0;
        for (let n = 0; n < rate; n++) deviation = Math.max(deviation, Math.abs(tail[c][n] - s[n]));
        if (c === 0) figures.push(`${name}: ${deviation.toFixed(0)} µV (signal ±${range.toFixed(0)} µV)`);
        // before adoptState carried changed inputs: 630 µV on the band-pass and high-pass cases
        expect(deviation, `${name}, channel ${c}`).toBeLessThan(2 * range);
      }
    }
    console.log(`largest departure from the settled traces in the first second after a change: ${figures.join('; ')}`);
  });
});
