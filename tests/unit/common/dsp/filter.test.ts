// Streaming SOS filtering against SciPy: sosfilt (zero start) and the live steady-state start,
// fed in chunks of 1, 7, 64 and 1000 samples, on several channels at once; sosfilt_zi; cascading.
import { describe, expect, it } from 'vitest';
import { SosFilter, butterSos, cascadeSos, notchSos, sosfiltZi } from '../../../../electron/common/dsp/index.js';
import { processSections } from '../../../../electron/common/dsp/sos.js';
import { loadGolden, maxRelativeError, peak, type GoldenFilter } from '../../../support/golden.js';

const TOLERANCE = 1e-9;
const CHUNKS = [1, 7, 64, 1000];

function goldenSos(f: GoldenFilter): Float64Array {
  return Float64Array.from(f.sos.flat());
}

/** Runs `input` through channel `channel` of `filter` in chunks of `chunk` samples; returns the output. */
function runChunked(filter: SosFilter, channel: number, input: ArrayLike<number>, chunk: number): Float64Array {
  const buf = Float64Array.from(input);
  for (let offset = 0; offset < buf.length; offset += chunk) {
    filter.processChannel(channel, buf, offset, Math.min(chunk, buf.length - offset));
  }
  return buf;
}

describe('SosFilter reproduces scipy.signal.sosfilt', () => {
  for (const f of loadGolden().filters) {
    describe(f.name, () => {
      const sos = goldenSos(f);
      const scale = peak(f.input);

      for (const chunk of CHUNKS) {
        it(`from zero state, chunks of ${chunk}`, () => {
          const filter = new SosFilter(sos, 1);
          expect(maxRelativeError(runChunked(filter, 0, f.input, chunk), f.sosfilt, scale)).toBeLessThan(TOLERANCE);
        });

        it(`from the steady state (sosfilt_zi · x[0]), chunks of ${chunk}`, () => {
          const filter = new SosFilter(sos, 1);
          filter.setSteadyState(0, f.input[0]);
          expect(maxRelativeError(runChunked(filter, 0, f.input, chunk), f.sosfilt_steady, scale)).toBeLessThan(TOLERANCE);
        });
      }

      it('with coefficients designed here rather than read from SciPy', () => {
        const p = f.params;
        const designed =
          f.kind === 'iirnotch'
            ? notchSos(p.f0Hz!, p.q!, f.fs)
            : butterSos(p.order!, p.btype === 'lowpass' || p.btype === 'highpass' ? p.cutoffHz! : [p.lowHz!, p.highHz!], p.btype!, f.fs);
        const filter = new SosFilter(designed, 1);
        filter.setSteadyState(0, f.input[0]);
        expect(maxRelativeError(runChunked(filter, 0, f.input, 64), f.sosfilt_steady, scale)).toBeLessThan(TOLERANCE);
      });
    });
  }
});

describe('channels are independent', () => {
  const filters = loadGolden().filters;
  const [a, b] = [filters[0], filters[5]];

  it('three channels with different inputs, starts and chunk sizes, interleaved', () => {
    const sos = goldenSos(a);
    const filter = new SosFilter(sos, 3);
    expect(filter.channelCount).toBe(3);
    expect(filter.sectionCount).toBe(a.sos.length);
    const x0 = Float64Array.from(a.input);
    const x1 = Float64Array.from(a.input);
    const x2 = Float64Array.from(a.input, (v) => -2 * v); // a scaled copy: the output scales too
    filter.setSteadyState(1, x1[0]);
    // Channel 0 in chunks of 7, channel 1 in chunks of 64, channel 2 in chunks of 1, interleaved.
    let o0 = 0;
    let o1 = 0;
    let o2 = 0;
    while (o0 < x0.length || o1 < x1.length || o2 < x2.length) {
      if (o2 < x2.length) filter.processChannel(2, x2, o2, Math.min(1, x2.length - o2));
      if (o0 < x0.length) filter.processChannel(0, x0, o0, Math.min(7, x0.length - o0));
      if (o1 < x1.length) filter.processChannel(1, x1, o1, Math.min(64, x1.length - o1));
      o0 += 7;
      o1 += 64;
      o2 += 1;
    }
    const scale = peak(a.input);
    expect(maxRelativeError(x0, a.sosfilt, scale)).toBeLessThan(TOLERANCE);
    expect(maxRelativeError(x1, a.sosfilt_steady, scale)).toBeLessThan(TOLERANCE);
    expect(maxRelativeError(x2, Float64Array.from(a.sosfilt, (v) => -2 * v), scale)).toBeLessThan(TOLERANCE);
  });

  it('resetChannel clears only that channel', () => {
    const filter = new SosFilter(goldenSos(b), 2);
    const half = 1500;
    const x0 = Float64Array.from(b.input);
    const x1 = Float64Array.from(b.input);
    filter.processChannel(0, x0, 0, half);
    filter.processChannel(1, x1, 0, half);
    filter.resetChannel(1);
    filter.processChannel(0, x0, half, x0.length - half);
    filter.processChannel(1, x1, half, x1.length - half);
    const scale = peak(b.input);
    expect(maxRelativeError(x0, b.sosfilt, scale)).toBeLessThan(TOLERANCE);
    // Channel 1 restarted from zero at `half`: its tail equals a fresh filter on the tail.
    const fresh = new SosFilter(goldenSos(b), 1);
    const tail = Float64Array.from(b.input.slice(half));
    fresh.processChannel(0, tail, 0, tail.length);
    expect(maxRelativeError(x1.subarray(half), tail, scale)).toBe(0);
  });

  it('copyChannelStateFrom continues another filter seamlessly (pipeline rebuilt mid-stream)', () => {
    const sos = goldenSos(a);
    const old = new SosFilter(sos, 2);
    const x = Float64Array.from(a.input);
    old.setSteadyState(1, x[0]);
    old.processChannel(1, x, 0, 1234);
    const rebuilt = new SosFilter(sos, 4);
    rebuilt.copyChannelStateFrom(old, 3, 1);
    rebuilt.processChannel(3, x, 1234, x.length - 1234);
    expect(maxRelativeError(x, a.sosfilt_steady, peak(a.input))).toBeLessThan(TOLERANCE);
    // Default source channel is the same index.
    const again = new SosFilter(sos, 2);
    again.copyChannelStateFrom(old, 1);
    const y = Float64Array.from(a.input);
    old.resetChannel(1);
    old.setSteadyState(1, y[0]);
    old.processChannel(1, y, 0, 10);
    again.copyChannelStateFrom(old, 1);
    again.processChannel(1, y, 10, y.length - 10);
    expect(maxRelativeError(y, a.sosfilt_steady, peak(a.input))).toBeLessThan(TOLERANCE);
  });

  it('reset clears every channel', () => {
    const sos = goldenSos(a);
    const filter = new SosFilter(sos, 2);
    const junk = Float64Array.from(a.input);
    filter.processChannel(0, junk, 0, 500);
    filter.processChannel(1, junk, 500, 500);
    filter.reset();
    const x = Float64Array.from(a.input);
    filter.processChannel(1, x, 0, x.length);
    expect(maxRelativeError(x, a.sosfilt, peak(a.input))).toBeLessThan(TOLERANCE);
  });
});

describe('cascades of every length use the right kernels (1 to 9 sections)', () => {
  // Split a long cascade differently and check the result does not depend on how it is run.
  const f = loadGolden().filters[0];
  const parts = [butterSos(4, [1, 40], 'bandpass', 250), notchSos(50, 30, 250), butterSos(1, 45, 'lowpass', 250)];
  const whole = cascadeSos(...parts); // 4 + 1 + 1 = 6 sections
  const long = cascadeSos(whole, notchSos(60, 30, 250), butterSos(4, 0.5, 'highpass', 250)); // 9 sections

  it('cascadeSos concatenates rows', () => {
    expect(whole.length).toBe(6 * 6);
    expect(Array.from(whole.subarray(24, 30))).toEqual(Array.from(parts[1]));
    expect(long.length).toBe(9 * 6);
  });

  for (let n = 1; n <= 9; n++) {
    it(`${n} section(s) in one filter = one section at a time`, () => {
      const sos = long.slice(0, n * 6);
      const together = new SosFilter(sos, 1);
      together.setSteadyState(0, f.input[0]);
      const x = runChunked(together, 0, f.input, 64);
      const y = Float64Array.from(f.input);
      // One section at a time, each started at the steady state of the step it sees: x[0] times
      // the DC gain of the sections before it (this is what sosfilt_zi computes for the cascade).
      let dcGainBefore = 1;
      for (let s = 0; s < n; s++) {
        const row = sos.slice(s * 6, s * 6 + 6);
        const single = new SosFilter(row, 1);
        single.setSteadyState(0, f.input[0] * dcGainBefore);
        single.processChannel(0, y, 0, y.length);
        dcGainBefore *= (row[0] + row[1] + row[2]) / (row[3] + row[4] + row[5]);
      }
      expect(maxRelativeError(x, y, peak(f.input))).toBeLessThan(1e-12);
    });
  }
});

describe('sosfiltZi', () => {
  it('is the state of a filter that has seen a unit step forever', () => {
    for (const f of loadGolden().filters) {
      const sos = goldenSos(f);
      const zi = sosfiltZi(sos);
      expect(zi.length).toBe(2 * f.sos.length);
      // Feeding ones from the steady state leaves the state unchanged and outputs the DC gain.
      const filter = new SosFilter(sos, 1);
      filter.setSteadyState(0, 1);
      const ones = new Float64Array(50).fill(1);
      filter.processChannel(0, ones, 0, ones.length);
      let dcGain = 1;
      for (const row of f.sos) dcGain *= (row[0] + row[1] + row[2]) / (row[3] + row[4] + row[5]);
      for (const y of ones) expect(y).toBeCloseTo(dcGain, 12);
    }
  });
});

// (found by mutation testing: npm run mutate -- dsp)
describe('state handling at the edges', () => {
  const f = loadGolden().filters[0];
  const sos = goldenSos(f);

  it('copyChannelStateFrom copies that channel\'s state and nothing of its neighbour\'s', () => {
    const source = new SosFilter(sos, 2);
    const target = new SosFilter(sos, 2);
    const reference = new SosFilter(sos, 1);
    runChunked(source, 0, f.input.slice(0, 100), 100);
    runChunked(source, 1, f.input.slice(100, 200), 100);
    runChunked(target, 1, f.input.slice(200, 300), 100);
    runChunked(reference, 0, f.input.slice(200, 300), 100);
    target.copyChannelStateFrom(source, 0);
    // channel 1 continues its own history exactly
    const next = f.input.slice(300, 400);
    expect(Array.from(runChunked(target, 1, next, 100))).toEqual(Array.from(runChunked(reference, 0, next, 100)));
  });

  it('processSections runs a single section anywhere in a cascade (a notch inside a fused chain)', () => {
    const notch = notchSos(50, 30, 250);
    const chain = cascadeSos(butterSos(2, 1, 'highpass', 250), notch, butterSos(2, 40, 'lowpass', 250));
    for (const section of [1, 2]) {
      const state = new Float64Array(2 * 3);
      const buf = Float64Array.from(f.input.slice(0, 300));
      processSections(chain, section, 1, state, 2 * section, buf, 0, buf.length);
      const alone = new SosFilter(chain.slice(6 * section, 6 * section + 6), 1);
      expect(Array.from(buf)).toEqual(Array.from(runChunked(alone, 0, f.input.slice(0, 300), 300)));
      expect(state.subarray(0, 2 * section).every((v) => v === 0)).toBe(true);
    }
  });
});

describe('argument checks', () => {
  const sos = notchSos(50, 30, 250);
  it('rejects bad SOS arrays', () => {
    expect(() => new SosFilter(new Float64Array(0), 1)).toThrow(/non-empty Float64Array of n×6/);
    expect(() => new SosFilter(new Float64Array(7), 1)).toThrow('SOS coefficients must be a non-empty Float64Array of n×6 numbers; got length 7.');
    expect(() => new SosFilter([1, 0, 0, 1, 0, 0] as unknown as Float64Array, 1)).toThrow(/n×6 numbers; got length 6\./);
    expect(() => new SosFilter(undefined as unknown as Float64Array, 1)).toThrow(/n×6 numbers; got length undefined\./);
    // the section and the coefficient named are the offending ones, in any section
    expect(() => new SosFilter(cascadeSos(sos, sos).fill(2, 9, 10), 1)).toThrow("SOS section 1 has a0 = 2; every section's a0 must be 1");
    expect(() => new SosFilter(cascadeSos(sos, sos).fill(Number.POSITIVE_INFINITY, 10, 11), 1)).toThrow('SOS section 1 has a non-finite coefficient (Infinity).');
    expect(() => new SosFilter(Float64Array.of(1, 0, 0, 2, 0, 0), 1)).toThrow(/a0 = 2; every section's a0 must be 1/);
    expect(() => new SosFilter(Float64Array.of(1, 0, 0, 1, Number.NaN, 0), 1)).toThrow(/non-finite/);
    expect(() => sosfiltZi(new Float64Array(5))).toThrow(RangeError);
    expect(() => cascadeSos(sos, new Float64Array(3))).toThrow(RangeError);
  });
  it('rejects bad channels and ranges', () => {
    const filter = new SosFilter(sos, 2);
    const buf = new Float64Array(10);
    expect(() => new SosFilter(sos, 0)).toThrow(/whole number of channels/);
    expect(() => filter.processChannel(2, buf, 0, 10)).toThrow(/Channel 2 does not exist: this filter has channels 0..1/);
    expect(() => filter.processChannel(-1, buf, 0, 10)).toThrow(RangeError);
    expect(() => filter.processChannel(0, buf, 5, 6)).toThrow('processChannel: range [5, 11) is outside a buffer of 10 samples.');
    expect(() => filter.processChannel(0, buf, 5, -2)).toThrow('processChannel: range [5, 3) is outside a buffer of 10 samples.');
    expect(() => filter.processChannel(0, buf, -1, 2)).toThrow(RangeError);
    expect(() => filter.setSteadyState(5, 0)).toThrow(RangeError);
    expect(() => filter.copyChannelStateFrom(new SosFilter(cascadeSos(sos, sos), 2), 0)).toThrow(/2 sections into 1/);
    filter.processChannel(0, buf, 10, 0); // an empty range is fine
  });
});
