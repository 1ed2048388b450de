// Log band-power features (electron/common/decoding/features.ts): the value is ln of the Welch PSD
// (dsp/welch.ts, SciPy's semantics) summed over the band's bins times the bin width; a sine's power
// lands in its band; channel-major order; a flat channel stays finite; specs parse and round-trip.
import { describe, expect, it } from 'vitest';
import type { EpochSet } from '../../../../electron/common/decoding/decoder.js';
import { BandPowerFeatures, DEFAULT_BANDS_HZ, DEFAULT_SEGMENT_SEC, LOG_POWER_FLOOR, featuresFromJSON, fitFeatures, parseFeatureSpec, type BandPowerSpec } from '../../../../electron/common/decoding/features.js';
import { welch } from '../../../../electron/common/dsp/index.js';
import { Random } from '../../../../electron/common/random.js';

const RATE_HZ = 160;
const ROWS = 320;

function window(random: Random, sines: { channel: number; frequencyHz: number; amplitude: number }[], channels = 3): Float64Array {
  const w = Float64Array.from({ length: channels * ROWS }, () => 0.1 * random.nextGaussian());
  for (const s of sines) for (let n = 0; n < ROWS; n++) w[s.channel * ROWS + n] += s.amplitude * Math.sin((2 * Math.PI * s.frequencyHz * n) / RATE_HZ);
  return w;
}

/** A band-power spec, as parsed (the tests below are about band power). */
function bandPower(input: unknown): BandPowerSpec {
  const spec = parseFeatureSpec(input);
  if (spec.kind !== 'band-power') throw new Error('not a band-power spec');
  return spec;
}

describe('log band-power features', () => {
  it('are ln(Σ PSD · Δf) over each band, channel-major, with the PSD of dsp/welch', () => {
    const random = new Random(1);
    const w = window(random, [{ channel: 1, frequencyHz: 10, amplitude: 2 }]);
    for (const segmentSec of [null, 0.5]) {
      const spec = bandPower({ bandsHz: [[8, 12], [13, 30], [31, 45]], segmentSec });
      const extractor = new BandPowerFeatures(spec, 3, ROWS, RATE_HZ);
      expect(extractor.featureCount).toBe(9);
      expect(extractor.featureNames.slice(0, 4)).toEqual(['ch0 8-12 Hz', 'ch0 13-30 Hz', 'ch0 31-45 Hz', 'ch1 8-12 Hz']);
      const out = new Float64Array(9);
      extractor.extract(w, out);
      const segment = segmentSec === null ? ROWS : segmentSec * RATE_HZ;
      for (let c = 0; c < 3; c++) {
        const { frequencyHz, power } = welch(w.slice(c * ROWS, (c + 1) * ROWS), RATE_HZ, { segmentLength: segment, overlap: segment === ROWS ? 0 : segment / 2 });
        spec.bandsHz.forEach(([lo, hi], b) => {
          let sum = 0;
          frequencyHz.forEach((f, k) => {
            if (f >= lo && f <= hi) sum += power[k];
          });
          expect(out[c * 3 + b]).toBeCloseTo(Math.log(sum * (RATE_HZ / segment)), 12);
        });
      }
      // the 10 Hz sine on channel 1: its mu power stands out (amplitude 2 → power ≈ 2 in µV²)
      expect(out[3]).toBeGreaterThan(out[0] + 3);
      expect(Math.exp(out[3])).toBeGreaterThan(1.6);
      expect(Math.exp(out[3])).toBeLessThan(2.2);
    }
  });

  it('default to mu and beta, keep a flat channel finite and read back what they write', () => {
    expect(parseFeatureSpec(undefined)).toEqual({ kind: 'band-power', bandsHz: DEFAULT_BANDS_HZ, segmentSec: DEFAULT_SEGMENT_SEC });
    expect(bandPower({ segmentSec: null }).segmentSec).toBeNull();
    const set: EpochSet = { channelCount: 2, rowCount: ROWS, sampleRateHz: RATE_HZ, epochs: [], labels: new Int32Array(0), classes: ['a', 'b'] };
    const extractor = fitFeatures(parseFeatureSpec({ kind: 'band-power' }), set);
    const flat = new Float64Array(2 * ROWS).fill(3);
    const out = new Float64Array(4);
    extractor.extract(flat, out);
    expect(Array.from(out)).toEqual([LOG_POWER_FLOOR, LOG_POWER_FLOOR, LOG_POWER_FLOOR, LOG_POWER_FLOOR]);
    const back = featuresFromJSON(JSON.parse(JSON.stringify(extractor.toJSON())), 2, ROWS, RATE_HZ);
    expect(back.spec).toEqual(extractor.spec);
  });

  it('refuse specs and windows they cannot use, with a sentence', () => {
    expect(() => parseFeatureSpec({ kind: 'csp', components: 0 })).toThrow(/CSP components must be a positive whole number/);
    expect(() => parseFeatureSpec({ kind: 'csp', bands: 2 })).toThrow(/Unknown CSP feature option "bands"/);
    expect(() => parseFeatureSpec({ kind: 'wavelet' })).toThrow(/Unknown feature kind/);
    expect(() => parseFeatureSpec({ bandsHz: [[12, 8]] })).toThrow(/lowHz < highHz/);
    expect(() => parseFeatureSpec({ bands: [[8, 12]] })).toThrow(/Unknown band-power feature option "bands"/);
    expect(() => parseFeatureSpec({ segmentSec: 0 })).toThrow(/segmentSec/);
    expect(() => new BandPowerFeatures(bandPower({ bandsHz: [[10.1, 10.4]] }), 1, 16, RATE_HZ)).toThrow(/holds no spectral bin/);
    const e = new BandPowerFeatures(bandPower({}), 2, ROWS, RATE_HZ);
    expect(() => e.extract(new Float64Array(ROWS), new Float64Array(4))).toThrow(/2 channels × 320 rows/);
  });
});

describe('CSP features', () => {
  it('are the csp-lda decoder\'s log-power of its fitted filters, fitted on the training epochs and read back exactly', () => {
    const random = new Random(3);
    const epochs: Float64Array[] = [];
    const labels: number[] = [];
    for (let i = 0; i < 20; i++) {
      // class 0: channel 0 strong; class 1: channel 2 strong (plus noise everywhere)
      const e = new Float64Array(3 * ROWS);
      for (let k = 0; k < e.length; k++) e[k] = random.nextGaussian();
      const loud = i % 2 === 0 ? 0 : 2;
      for (let t = 0; t < ROWS; t++) e[loud * ROWS + t] *= 4;
      epochs.push(e);
      labels.push(i % 2);
    }
    const set: EpochSet = { channelCount: 3, rowCount: ROWS, sampleRateHz: RATE_HZ, epochs, labels: Int32Array.from(labels), classes: ['a', 'b'] };
    const extractor = fitFeatures(parseFeatureSpec({ kind: 'csp', components: 2 }), set);
    expect(extractor.featureCount).toBe(2);
    const out = new Float64Array(2);
    const back = featuresFromJSON(JSON.parse(JSON.stringify(extractor.toJSON())), 3, ROWS, RATE_HZ);
    const again = new Float64Array(2);
    let separated = 0;
    epochs.forEach((e, i) => {
      extractor.extract(e, out);
      back.extract(e, again);
      expect(Array.from(again)).toEqual(Array.from(out));
      // the first filter's power is larger for one class than the other: the classes separate
      if ((out[0] > out[1]) === (labels[i] === labels[0])) separated++;
    });
    expect(separated === 20 || separated === 0).toBe(true);
    // a flat window (a disconnected amplifier) gives the floor, never −∞
    extractor.extract(new Float64Array(3 * ROWS), out);
    expect(Array.from(out)).toEqual([LOG_POWER_FLOOR, LOG_POWER_FLOOR]);
    expect(() => featuresFromJSON({ kind: 'csp', components: 2 }, 3, ROWS, RATE_HZ)).toThrow(/need their fitted filters/);
  });
});
