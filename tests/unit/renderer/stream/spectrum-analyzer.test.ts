// The spectrum analyser: Welch PSD per channel, band powers, and the mains readout the end-to-end
// test relies on (a notch at 50 Hz must take the synthetic board's mains peak away).
import { describe, expect, it } from 'vitest';
import { SyntheticEeg } from '../../../../electron/common/boards/synthetic.js';
import { Pipeline } from '../../../../electron/common/pipeline/pipeline.js';
import { createBlock, deinterleave, interleave } from '../../../../electron/common/pipeline/block.js';
import { pipelineSchema } from '../../../../electron/common/contract/pipeline.js';
import { Random } from '../../../../electron/common/random.js';
import { EEG_BANDS, SpectrumAnalyzer, bandPowersOf, createBandPowers, nearestPowerOfTwo } from '../../../../renderer/stream/spectrum-analyzer.js';

/** Synthetic EEG, filtered by a pipeline, fed to an analyser in 10 ms frames. */
function feedSynthetic(analyzer: SpectrumAnalyzer, opts: { channelCount: number; sampleRateHz: number; seed: number; mainsHz: 50 | 60; stages: unknown[]; seconds: number }) {
  const { channelCount, sampleRateHz, seconds } = opts;
  const gen = new SyntheticEeg({ channelCount, sampleRateHz, seed: opts.seed, mode: 'rest', mainsHz: opts.mainsHz });
  const blockRows = Math.round(sampleRateHz / 100);
  const pipeline = new Pipeline(pipelineSchema.parse({ stages: opts.stages }), { sampleRateHz, channelCount, channelTypes: new Array<string>(channelCount).fill('eeg'), maxBlockRows: blockRows });
  const rows = new Float64Array(blockRows * channelCount);
  const block = createBlock(channelCount, blockRows);
  const frame = new Float32Array(blockRows * channelCount);
  for (let done = 0; done < seconds * sampleRateHz; done += blockRows) {
    gen.generate(rows, blockRows);
    deinterleave(rows, blockRows, block);
    pipeline.process(block);
    interleave(block, frame);
    analyzer.push(frame, channelCount, blockRows);
  }
}

describe('SpectrumAnalyzer', () => {
  it('uses power-of-two segments near 2 s', () => {
    expect(nearestPowerOfTwo(500)).toBe(512);
    expect(nearestPowerOfTwo(2000)).toBe(2048);
    expect(new SpectrumAnalyzer(1, 250).segmentLength).toBe(512);
    const a = new SpectrumAnalyzer(1, 1000);
    expect(a.displayFrequencyHz[0]).toBeGreaterThanOrEqual(1);
    expect(a.displayFrequencyHz[a.displayFrequencyHz.length - 1]).toBeLessThanOrEqual(60);
  });

  it('finds a sinusoid and puts its power in the right band', () => {
    const fs = 256;
    const a = new SpectrumAnalyzer(2, fs);
    const rng = new Random(3);
    const n = 6 * fs;
    const x = new Float32Array(2 * n);
    for (let i = 0; i < n; i++) {
      x[2 * i] = 20 * Math.sin((2 * Math.PI * 10 * i) / fs) + rng.nextGaussian();
      x[2 * i + 1] = 20 * Math.sin((2 * Math.PI * 20 * i) / fs) + rng.nextGaussian();
    }
    a.push(x, 2, n);
    expect(a.computeAll()).toBe(true);
    const peakBin = (c: number) => a.psd[c].indexOf(Math.max(...a.psd[c]));
    expect(a.frequencyHz[peakBin(0)]).toBeCloseTo(10, 0);
    expect(a.frequencyHz[peakBin(1)]).toBeCloseTo(20, 0);
    const bands = createBandPowers();
    bandPowersOf(a.frequencyHz, a.psd[0], bands);
    const alpha = EEG_BANDS.findIndex((b) => b.name === 'alpha');
    // a 20 µV sinusoid carries 200 µV²
    expect(bands.absolute[alpha]).toBeGreaterThan(170);
    expect(bands.absolute[alpha]).toBeLessThan(230);
    expect(bands.relative[alpha]).toBeGreaterThan(0.9);
    expect(bands.relative.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 6);
    const mean = new Float64Array(a.frequencyHz.length);
    expect(a.meanPsd([0, 1], mean)).toBe(2);
    expect(mean[peakBin(0)]).toBeCloseTo(a.psd[0][peakBin(0)] / 2, 0);
  });

  it('estimates white-noise density (Parseval)', () => {
    const fs = 500;
    const a = new SpectrumAnalyzer(1, fs);
    const rng = new Random(9);
    const n = 8 * fs;
    const x = Float32Array.from({ length: n }, () => 3 * rng.nextGaussian());
    a.push(x, 1, n);
    a.computeAll();
    const bands = createBandPowers();
    bandPowersOf(a.frequencyHz, a.psd[0], bands);
    // σ² = 9 spread over 0..250 Hz; 1-45 Hz holds 44/250 of it
    expect(bands.total).toBeGreaterThan(9 * (44 / 250) * 0.8);
    expect(bands.total).toBeLessThan(9 * (44 / 250) * 1.2);
  });

  it('waits for a segment of data after a reset, skipping the settling time', () => {
    const fs = 250;
    const a = new SpectrumAnalyzer(1, fs);
    a.reset(0.5);
    a.push(new Float32Array(fs), 1, fs); // 1 s: 0.5 s skipped, 0.5 s kept
    expect(a.bufferedSec).toBeCloseTo(0.5);
    expect(a.computeAll()).toBe(false);
    expect(a.mainsReadout(50).db).toBeNull();
    expect(a.hasResult).toBe(false);
    expect(a.psdDb[0].every((v) => Number.isNaN(v))).toBe(true);
    const mean = new Float64Array(a.frequencyHz.length);
    expect(a.meanPsd([0], mean)).toBe(0);
    expect(Number.isNaN(mean[10])).toBe(true);
  });

  it('spreads a pass over several calls when the budget is small', () => {
    const a = new SpectrumAnalyzer(8, 250);
    a.push(new Float32Array(8 * 1000).map(() => Math.random()), 8, 1000);
    let t = 0;
    const clock = () => (t += 1); // every channel "takes" 1 ms
    expect(a.beginPass()).toBe(true);
    let calls = 0;
    while (!a.advance(1.5, clock)) calls++;
    expect(calls).toBeGreaterThan(1);
    expect(a.passes).toBe(1);
    expect(a.ready.every((r) => r === 1)).toBe(true);
  });

  it.each([
    [8, 250, 1],
    [8, 250, 2],
    [16, 500, 3],
    [4, 1000, 4],
  ])('shows the synthetic board mains clearly, and a 50 Hz notch removes it (%i ch, %i Hz, seed %i)', (channelCount, sampleRateHz, seed) => {
    const withoutNotch = new SpectrumAnalyzer(channelCount, sampleRateHz);
    feedSynthetic(withoutNotch, { channelCount, sampleRateHz, seed, mainsHz: 50, stages: [], seconds: 8 });
    withoutNotch.computeAll();
    const raw = withoutNotch.mainsReadout(50).db;
    expect(raw).not.toBeNull();
    expect(raw!).toBeGreaterThan(11);

    const withNotch = new SpectrumAnalyzer(channelCount, sampleRateHz);
    feedSynthetic(withNotch, { channelCount, sampleRateHz, seed, mainsHz: 50, stages: [{ kind: 'notch', frequencyHz: 50 }], seconds: 8 });
    withNotch.computeAll();
    expect(withNotch.mainsReadout(50).db!).toBeLessThan(2);
    // 60 Hz: nothing there
    expect(withoutNotch.mainsReadout(60).db!).toBeLessThan(3);
  });

  it('leaves railed or flat channels out of the mains average', () => {
    const fs = 250;
    const channelCount = 8;
    const analyzer = new SpectrumAnalyzer(channelCount, fs);
    const gen = new SyntheticEeg({ channelCount, sampleRateHz: fs, seed: 5, mode: 'rest', mainsHz: 50 });
    const n = 8 * fs;
    const rows = new Float64Array(n * channelCount);
    gen.generate(rows, n);
    // channel 0 swings wildly (a loose electrode): broadband power far above the others
    const rng = new Random(11);
    let walk = 0;
    for (let r = 0; r < n; r++) rows[r * channelCount] = walk += 400 * rng.nextGaussian();
    const frame = Float32Array.from(rows);
    analyzer.push(frame, channelCount, n);
    analyzer.computeAll();
    const swamped = analyzer.mainsReadout(50).db!;
    analyzer.excluded[0] = 1;
    analyzer.computeAll();
    const clean = analyzer.mainsReadout(50).db!;
    expect(clean).toBeGreaterThan(10);
    expect(clean).toBeGreaterThan(swamped + 5);
  });

  it('cannot measure mains at or above Nyquist', () => {
    const a = new SpectrumAnalyzer(1, 100);
    a.push(new Float32Array(1000).map(() => Math.random()), 1, 1000);
    a.computeAll();
    expect(a.mainsReadout(50).db).toBeNull();
    expect(a.mainsReadout(60).db).toBeNull();
  });
});
