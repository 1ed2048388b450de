// The synthetic EEG board: options and descriptor, determinism and chunk-size independence, and
// that the signal looks like EEG where it matters (spectra, artefacts, motor-imagery ERD).
import { beforeAll, describe, expect, it } from 'vitest';
import type { BoardMarker } from '../../../../electron/common/boards/descriptor.js';
import {
  SYNTHETIC_DEFAULTS,
  SYNTHETIC_MI_TIMING,
  SyntheticEeg,
  syntheticDescriptor,
  validateSyntheticOptions,
  type SyntheticOptions,
} from '../../../../electron/common/boards/synthetic.js';
import { bandPass, column, meanPsd, psdAt, robustSigma, variance, welch } from './spectral.js';

interface Run {
  readonly data: Float64Array;
  readonly markers: BoardMarker[];
  readonly labels: string[];
  readonly options: SyntheticOptions;
}

function run(overrides: Partial<SyntheticOptions>, rows: number, chunk = 1000): Run {
  const options: SyntheticOptions = { ...SYNTHETIC_DEFAULTS, ...overrides };
  const generator = new SyntheticEeg(options);
  const channelCount = options.channelCount;
  const data = new Float64Array(rows * channelCount);
  const markers: BoardMarker[] = [];
  const scratch = new Float64Array(chunk * channelCount);
  for (let done = 0; done < rows; ) {
    const n = Math.min(chunk, rows - done);
    generator.generate(scratch, n, (m) => markers.push(m));
    data.set(scratch.subarray(0, n * channelCount), done * channelCount);
    done += n;
  }
  expect(generator.nextSampleIndex).toBe(rows);
  return { data, markers, labels: generator.descriptor.channels.map((c) => c.label), options };
}

function channel(r: Run, label: string): Float64Array {
  const index = r.labels.indexOf(label);
  if (index < 0) throw new Error(`no channel ${label}`);
  return column(r.data, r.options.channelCount, index);
}

/** Index of the first difference (bitwise, NaN-safe), or -1. */
function firstDifference(a: Float64Array, b: Float64Array): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  const ua = new BigUint64Array(a.buffer, a.byteOffset, a.length);
  const ub = new BigUint64Array(b.buffer, b.byteOffset, b.length);
  for (let i = 0; i < ua.length; i++) if (ua[i] !== ub[i]) return i;
  return -1;
}

function mean(values: number[]): number {
  return values.reduce((s, v) => s + v, 0) / values.length;
}

describe('options and descriptor', () => {
  it('has the documented defaults', () => {
    expect(SYNTHETIC_DEFAULTS).toEqual({ channelCount: 8, sampleRateHz: 250, seed: 1, mode: 'rest', mainsHz: 50 });
    expect(() => validateSyntheticOptions(SYNTHETIC_DEFAULTS)).not.toThrow();
  });

  it('describes a Cyton-like EEG board', () => {
    const descriptor = syntheticDescriptor({ ...SYNTHETIC_DEFAULTS, channelCount: 16, sampleRateHz: 500 });
    expect(descriptor.id).toBe('synthetic');
    expect(descriptor.name).toBe('Synthetic EEG');
    expect(descriptor.sampleRateHz).toBe(500);
    expect(descriptor.channels.map((c) => c.label)).toEqual([
      'Fp1', 'Fp2', 'C3', 'C4', 'P7', 'P8', 'O1', 'O2', 'F7', 'F8', 'F3', 'F4', 'T7', 'T8', 'P3', 'P4',
    ]);
    for (const c of descriptor.channels) {
      expect(c).toEqual({ label: c.label, type: 'eeg', unit: 'uV', physicalMin: -187500, physicalMax: 187500 });
    }
    expect(Object.isFrozen(descriptor)).toBe(true);
    expect(new SyntheticEeg(SYNTHETIC_DEFAULTS).descriptor).toEqual(syntheticDescriptor(SYNTHETIC_DEFAULTS));
    expect(syntheticDescriptor({ ...SYNTHETIC_DEFAULTS, channelCount: 64 }).channels[0].label).toBe('FC5');
  });

  it.each([
    [{ channelCount: 0 }, 'synthetic board: channelCount must be an integer from 1 to 64 (got 0)'],
    [{ channelCount: 65 }, 'synthetic board: channelCount must be an integer from 1 to 64 (got 65)'],
    [{ channelCount: 8.5 }, 'synthetic board: channelCount must be an integer from 1 to 64 (got 8.5)'],
    [{ sampleRateHz: 99 }, 'synthetic board: sampleRateHz must be a number from 100 to 1000 Hz (got 99)'],
    [{ sampleRateHz: 1001 }, 'synthetic board: sampleRateHz must be a number from 100 to 1000 Hz (got 1001)'],
    [{ sampleRateHz: Number.NaN }, 'synthetic board: sampleRateHz must be a number from 100 to 1000 Hz (got NaN)'],
    [{ seed: 1.5 }, 'synthetic board: seed must be an integer (got 1.5)'],
    [{ seed: Number.POSITIVE_INFINITY }, 'synthetic board: seed must be an integer (got Infinity)'],
    [{ mode: 'sleep' }, `synthetic board: mode must be 'rest' or 'mi' (got "sleep")`],
    [{ mainsHz: 55 }, 'synthetic board: mainsHz must be 50 or 60 (got 55)'],
  ])('rejects %o with a clear message', (overrides, message) => {
    const options = { ...SYNTHETIC_DEFAULTS, ...overrides } as SyntheticOptions;
    expect(() => validateSyntheticOptions(options)).toThrow(RangeError);
    expect(() => validateSyntheticOptions(options)).toThrow(message);
    expect(() => new SyntheticEeg(options)).toThrow(message);
    expect(() => syntheticDescriptor(options)).toThrow(message);
  });

  it('accepts the edges of every range', () => {
    for (const overrides of [
      { channelCount: 1 }, { channelCount: 64 }, { sampleRateHz: 100 }, { sampleRateHz: 1000 },
      { seed: 0 }, { seed: -7 }, { seed: Number.MAX_SAFE_INTEGER }, { mode: 'mi' as const }, { mainsHz: 60 as const },
    ]) {
      expect(() => validateSyntheticOptions({ ...SYNTHETIC_DEFAULTS, ...overrides })).not.toThrow();
    }
  });

  it('checks the arguments of generate', () => {
    const generator = new SyntheticEeg(SYNTHETIC_DEFAULTS);
    expect(() => generator.generate(new Float64Array(8 * 9), 10)).toThrow('output holds 72 values but 10 rows × 8 channels need 80');
    expect(() => generator.generate(new Float64Array(80), -1)).toThrow(RangeError);
    expect(() => generator.generate(new Float64Array(80), 1.5)).toThrow(RangeError);
    generator.generate(new Float64Array(0), 0);
    expect(generator.nextSampleIndex).toBe(0);
    generator.generate(new Float64Array(100), 10);
    expect(generator.nextSampleIndex).toBe(10);
  });
});

describe('determinism', () => {
  it('gives identical samples and markers for the same seed', () => {
    const a = run({ mode: 'mi', seed: 17 }, 5000);
    const b = run({ mode: 'mi', seed: 17 }, 5000);
    expect(firstDifference(a.data, b.data)).toBe(-1);
    expect(a.markers).toEqual(b.markers);
    expect(a.markers.length).toBeGreaterThan(2);
  });

  it('gives different samples and cue orders for different seeds', () => {
    const a = run({ mode: 'mi', seed: 1 }, 20_000);
    const b = run({ mode: 'mi', seed: 2 }, 20_000);
    let equal = 0;
    for (let i = 0; i < a.data.length; i++) if (a.data[i] === b.data[i]) equal++;
    expect(equal).toBe(0);
    expect(a.markers).not.toEqual(b.markers);
  });

  it('writes only the rows it was asked for', () => {
    const generator = new SyntheticEeg({ ...SYNTHETIC_DEFAULTS, channelCount: 4 });
    const out = new Float64Array(40).fill(Number.NaN);
    generator.generate(out, 3);
    expect(out.subarray(0, 12).every((v) => Number.isFinite(v))).toBe(true);
    expect(out.subarray(12).every((v) => Number.isNaN(v))).toBe(true);
  });
});

describe('chunk-size independence', () => {
  const cases: [string, Partial<SyntheticOptions>, number][] = [
    ['16 channels at 250 Hz, motor imagery', { channelCount: 16, sampleRateHz: 250, mode: 'mi', seed: 5 }, 6001],
    ['64 channels at 1000 Hz, rest, 60 Hz mains', { channelCount: 64, sampleRateHz: 1000, mainsHz: 60, seed: 9 }, 4003],
    ['3 channels at 333 Hz, motor imagery', { channelCount: 3, sampleRateHz: 333, mode: 'mi', seed: -4 }, 7000],
  ];
  for (const [name, overrides, rows] of cases) {
    it(`is bit-identical for chunks of 1, 7, 64, 1000 and irregular chunks: ${name}`, () => {
      const reference = run(overrides, rows, rows);
      for (const chunk of [1, 7, 64, 1000]) {
        const chunked = run(overrides, rows, chunk);
        expect(firstDifference(chunked.data, reference.data), `chunk ${chunk}`).toBe(-1);
        expect(chunked.markers, `chunk ${chunk}`).toEqual(reference.markers);
      }
      // Irregular chunk sizes, as a paced timer would produce.
      const options = { ...SYNTHETIC_DEFAULTS, ...overrides };
      const generator = new SyntheticEeg(options);
      const data = new Float64Array(rows * options.channelCount);
      const markers: BoardMarker[] = [];
      const sizes = [3, 0, 250, 1, 17, 999, 64, 2];
      for (let done = 0, i = 0; done < rows; i++) {
        const n = Math.min(sizes[i % sizes.length], rows - done);
        generator.generate(data.subarray(done * options.channelCount), n, (m) => markers.push(m));
        done += n;
      }
      expect(firstDifference(data, reference.data)).toBe(-1);
      expect(markers).toEqual(reference.markers);
    });
  }
});

describe('resting EEG content', () => {
  const fs = 250;
  let rest: Run;
  beforeAll(() => {
    rest = run({ channelCount: 16, sampleRateHz: fs, seed: 11, mode: 'rest', mainsHz: 50 }, 120 * fs);
  });

  it('has a 1/f background of 10-20 µV RMS in 1-40 Hz on every channel', () => {
    for (const label of rest.labels) {
      const band = bandPass(channel(rest, label), fs, 1, 40);
      // Robust: blinks on frontal channels are excursions, not background.
      const sigma = robustSigma(band);
      expect(sigma, label).toBeGreaterThan(10);
      expect(sigma, label).toBeLessThan(20);
      if (!label.startsWith('Fp') && !label.startsWith('F')) {
        const rms = Math.sqrt(variance(band));
        expect(rms, label).toBeGreaterThan(10);
        expect(rms, label).toBeLessThan(20);
      }
    }
    // Pink: power falls with frequency (away from the alpha and mu peaks).
    const psd = welch(channel(rest, 'T7'), fs, 1024);
    const low = meanPsd(psd, 2, 4);
    const high = meanPsd(psd, 25, 35);
    expect(low / high).toBeGreaterThan(5);
    expect(low / high).toBeLessThan(20);
  });

  it('has a posterior alpha peak, larger at O1 than at Fp1', () => {
    const peakiness = (label: string): number => {
      const psd = welch(channel(rest, label), fs, 1024);
      return meanPsd(psd, 8, 12) / ((meanPsd(psd, 5, 7) + meanPsd(psd, 14, 17)) / 2);
    };
    expect(peakiness('O1')).toBeGreaterThan(2);
    expect(peakiness('O2')).toBeGreaterThan(2);
    expect(peakiness('O1')).toBeGreaterThan(3 * peakiness('Fp1'));
    const o1 = welch(channel(rest, 'O1'), fs, 1024);
    const fp1 = welch(channel(rest, 'Fp1'), fs, 1024);
    expect(meanPsd(o1, 8, 12)).toBeGreaterThan(2 * meanPsd(fp1, 8, 12));
    let peakHz = 0;
    for (let k = 0; k < o1.freqHz.length; k++) {
      const f = o1.freqHz[k];
      if (f >= 4 && f <= 30 && o1.power[k] > psdAt(o1, peakHz || 4)) peakHz = f;
    }
    expect(peakHz).toBeGreaterThanOrEqual(8);
    expect(peakHz).toBeLessThanOrEqual(12);
  });

  it('lets alpha wax and wane over seconds', () => {
    const alpha = bandPass(channel(rest, 'O1'), fs, 8, 12);
    const windowRms: number[] = [];
    for (let start = fs; start + fs <= alpha.length - fs; start += fs) windowRms.push(Math.sqrt(variance(alpha, start, start + fs)));
    const m = mean(windowRms);
    const sd = Math.sqrt(mean(windowRms.map((v) => (v - m) ** 2)));
    expect(sd / m).toBeGreaterThan(0.2);
    expect(Math.max(...windowRms) / Math.min(...windowRms)).toBeGreaterThan(2.5);
  });

  it('has mu over the central sites at rest', () => {
    for (const label of ['C3', 'C4']) {
      const psd = welch(channel(rest, label), fs, 1024);
      expect(meanPsd(psd, 8, 13) / ((meanPsd(psd, 5, 7) + meanPsd(psd, 14, 17)) / 2), label).toBeGreaterThan(1.4);
    }
  });

  it('has a mains line at 50 Hz on every channel', () => {
    for (const label of rest.labels) {
      const psd = welch(channel(rest, label), fs, 2048);
      const floor = (meanPsd(psd, 44, 48) + meanPsd(psd, 52, 56)) / 2;
      expect(psdAt(psd, 50) / floor, label).toBeGreaterThan(10);
      expect(psdAt(psd, 60) / floor, label).toBeLessThan(3);
    }
  });

  it('has a mains line at 60 Hz when asked, and none at 50', () => {
    const r = run({ channelCount: 8, sampleRateHz: 500, seed: 11, mainsHz: 60 }, 60 * 500);
    for (const label of r.labels) {
      const psd = welch(channel(r, label), 500, 4096);
      const floor = (meanPsd(psd, 54, 58) + meanPsd(psd, 62, 66)) / 2;
      expect(psdAt(psd, 60) / floor, label).toBeGreaterThan(10);
      expect(psdAt(psd, 50) / floor, label).toBeLessThan(3);
    }
  });

  it('has DC offsets of hundreds to thousands of µV, different per channel', () => {
    const means = rest.labels.map((label) => mean(Array.from(channel(rest, label))));
    for (const m of means) {
      expect(Math.abs(m)).toBeGreaterThan(100);
      expect(Math.abs(m)).toBeLessThan(3500);
    }
    const m = mean(means);
    expect(Math.sqrt(mean(means.map((v) => (v - m) ** 2)))).toBeGreaterThan(300);
  });

  it('drifts slowly: tens of µV over tens of seconds, not more', () => {
    const spans: number[] = [];
    for (const label of rest.labels) {
      const x = channel(rest, label);
      const blockMeans: number[] = [];
      for (let start = 0; start + 10 * fs <= x.length; start += 10 * fs) {
        blockMeans.push(mean(Array.from(x.subarray(start, start + 10 * fs))));
      }
      spans.push(Math.max(...blockMeans) - Math.min(...blockMeans));
    }
    expect(mean(spans)).toBeGreaterThan(5);
    expect(Math.max(...spans)).toBeLessThan(400);
  });

  it('has eye blinks: large on Fp1, much smaller on O1', () => {
    const fp1 = bandPass(channel(rest, 'Fp1'), fs, 0.3, 40);
    const o1 = bandPass(channel(rest, 'O1'), fs, 0.3, 40);
    const peaks: number[] = [];
    for (let i = 1; i < fp1.length - 1; i++) {
      if (fp1[i] > 80 && fp1[i] >= fp1[i - 1] && fp1[i] > fp1[i + 1] && (peaks.length === 0 || i - peaks[peaks.length - 1] > fs / 2)) {
        peaks.push(i);
      }
    }
    // Every few seconds over two minutes.
    expect(peaks.length).toBeGreaterThan(15);
    expect(peaks.length).toBeLessThan(80);
    const fp1AtPeaks = mean(peaks.map((i) => fp1[i]));
    const o1AtPeaks = mean(peaks.map((i) => o1[i]));
    expect(fp1AtPeaks).toBeGreaterThan(100);
    expect(Math.abs(o1AtPeaks)).toBeLessThan(0.1 * fp1AtPeaks);
    let o1Max = 0;
    let fp1Max = 0;
    for (let i = 0; i < fp1.length; i++) {
      fp1Max = Math.max(fp1Max, Math.abs(fp1[i]));
      o1Max = Math.max(o1Max, Math.abs(o1[i]));
    }
    expect(fp1Max).toBeGreaterThan(120);
    expect(o1Max).toBeLessThan(0.5 * fp1Max);
  });

  it('emits no markers at rest', () => {
    expect(rest.markers).toEqual([]);
  });
});

describe('motor imagery', () => {
  const fs = 250;
  let mi: Run;
  beforeAll(() => {
    mi = run({ channelCount: 8, sampleRateHz: fs, seed: 3, mode: 'mi', mainsHz: 50 }, 6.25 * 48 * fs);
  });

  it('cues rest, then left or right, with the documented timing and balance', () => {
    const { markers } = mi;
    expect(markers[0]).toEqual({ sampleIndex: 0, label: 'rest' });
    const cues: string[] = [];
    for (let i = 0; i < markers.length; i++) {
      const m = markers[i];
      const isRest = i % 2 === 0;
      if (isRest) expect(m.label).toBe('rest');
      else {
        expect(['left', 'right']).toContain(m.label);
        cues.push(m.label);
      }
      if (i + 1 < markers.length) {
        const lengthSec = (markers[i + 1].sampleIndex - m.sampleIndex) / fs;
        if (isRest) {
          expect(lengthSec).toBeGreaterThanOrEqual(SYNTHETIC_MI_TIMING.restMinSec - 1 / fs);
          expect(lengthSec).toBeLessThanOrEqual(SYNTHETIC_MI_TIMING.restMaxSec + 1 / fs);
        } else {
          expect(lengthSec).toBe(SYNTHETIC_MI_TIMING.cueSec);
        }
      }
    }
    expect(cues.length).toBeGreaterThanOrEqual(40);
    const block = SYNTHETIC_MI_TIMING.blockSize;
    for (let start = 0; start + block <= cues.length; start += block) {
      const slice = cues.slice(start, start + block);
      expect(slice.filter((c) => c === 'left')).toHaveLength(block / 2);
    }
    // Not simply alternating.
    let repeats = 0;
    for (let i = 1; i < cues.length; i++) if (cues[i] === cues[i - 1]) repeats++;
    expect(repeats).toBeGreaterThan(3);
  });

  interface Trial {
    readonly label: string;
    readonly c3: number;
    readonly c4: number;
  }

  function trialPowers(r: Run, lowHz: number, highHz: number, left = 'C3', right = 'C4'): Trial[] {
    const rate = r.options.sampleRateHz;
    const c3 = bandPass(channel(r, left), rate, lowHz, highHz);
    const c4 = bandPass(channel(r, right), rate, lowHz, highHz);
    const trials: Trial[] = [];
    for (const m of r.markers) {
      if (m.label === 'rest') continue;
      const start = m.sampleIndex + Math.round(SYNTHETIC_MI_TIMING.erdRampSec * rate);
      const end = m.sampleIndex + SYNTHETIC_MI_TIMING.cueSec * rate;
      if (end > c3.length) break;
      trials.push({ label: m.label, c3: variance(c3, start, end), c4: variance(c4, start, end) });
    }
    return trials;
  }

  it('desynchronises mu over the contralateral hemisphere', () => {
    const trials = trialPowers(mi, 8, 13);
    const left = trials.filter((t) => t.label === 'left');
    const right = trials.filter((t) => t.label === 'right');
    expect(left.length).toBeGreaterThanOrEqual(20);
    expect(right.length).toBeGreaterThanOrEqual(20);
    // Left-hand imagery: C4 (right hemisphere) loses mu; right-hand imagery: C3.
    expect(mean(left.map((t) => t.c4)) / mean(right.map((t) => t.c4))).toBeLessThan(0.7);
    expect(mean(right.map((t) => t.c3)) / mean(left.map((t) => t.c3))).toBeLessThan(0.7);
  });

  it('desynchronises beta too', () => {
    const trials = trialPowers(mi, 18, 26);
    const left = trials.filter((t) => t.label === 'left');
    const right = trials.filter((t) => t.label === 'right');
    expect(mean(left.map((t) => t.c4)) / mean(right.map((t) => t.c4))).toBeLessThan(0.85);
    expect(mean(right.map((t) => t.c3)) / mean(left.map((t) => t.c3))).toBeLessThan(0.85);
  });

  it('is learnable from C3/C4: a log band-power ratio separates single trials', () => {
    const trials = trialPowers(mi, 8, 30);
    const correct = trials.filter((t) => (Math.log(t.c4) - Math.log(t.c3) < 0) === (t.label === 'left')).length;
    expect(correct / trials.length).toBeGreaterThan(0.8);
  });

  it('spreads the ERD to neighbouring central sites on a 64-channel cap, not to frontal or occipital ones', () => {
    // Same seed in both modes: the noise stream is the same, so mi − rest is exactly the ERD.
    const rate = 160;
    const rows = 6.25 * 24 * rate;
    const mi64 = run({ channelCount: 64, sampleRateHz: rate, seed: 8, mode: 'mi', mainsHz: 60 }, rows);
    const rest64 = run({ channelCount: 64, sampleRateHz: rate, seed: 8, mode: 'rest', mainsHz: 60 }, rows);
    const erdPower = (site: string, cue: 'left' | 'right'): number => {
      const a = channel(mi64, site);
      const b = channel(rest64, site);
      let sum = 0;
      let count = 0;
      for (const m of mi64.markers) {
        if (m.label !== cue) continue;
        const end = Math.min(a.length, m.sampleIndex + SYNTHETIC_MI_TIMING.cueSec * rate);
        for (let i = m.sampleIndex; i < end; i++) {
          sum += (a[i] - b[i]) ** 2;
          count++;
        }
      }
      return sum / count;
    };
    for (const site of ['Oz', 'O1', 'Iz', 'Fpz', 'Fp1', 'AF8', 'PO7']) {
      expect(firstDifference(channel(mi64, site), channel(rest64, site)), site).toBe(-1);
    }
    // Right-hand imagery acts on the left hemisphere only, left-hand imagery on the right only.
    expect(erdPower('C3', 'right')).toBeGreaterThan(10);
    expect(erdPower('C3', 'left')).toBeLessThan(0.01 * erdPower('C3', 'right'));
    expect(erdPower('C4', 'left')).toBeGreaterThan(10);
    expect(erdPower('C4', 'right')).toBeLessThan(0.01 * erdPower('C4', 'left'));
    for (const [site, centre, cue] of [
      ['C1', 'C3', 'right'], ['C5', 'C3', 'right'], ['FC3', 'C3', 'right'], ['CP3', 'C3', 'right'],
      ['C2', 'C4', 'left'], ['C6', 'C4', 'left'], ['FC4', 'C4', 'left'], ['CP4', 'C4', 'left'],
    ] as const) {
      const relative = erdPower(site, cue) / erdPower(centre, cue);
      expect(relative, site).toBeGreaterThan(0.05);
      expect(relative, site).toBeLessThan(0.9);
    }
    // The mu/beta trial ratio itself, at the centre sites.
    const c3 = trialPowers(mi64, 8, 13, 'C3', 'C4');
    const mLeft = c3.filter((t) => t.label === 'left');
    const mRight = c3.filter((t) => t.label === 'right');
    expect(mean(mRight.map((t) => t.c3)) / mean(mLeft.map((t) => t.c3))).toBeLessThan(0.75);
    expect(mean(mLeft.map((t) => t.c4)) / mean(mRight.map((t) => t.c4))).toBeLessThan(0.75);
  });
});
