// The 'linear-adamw' decoder (electron/common/decoding/linear-adamw.ts): it learns band-power
// differences between classes, its training is a function of the seed, it stops early on the
// validation loss and keeps the best epoch, its gradient is the cross-entropy's (checked by finite
// differences), it round-trips through JSON, and it refuses bad options with a sentence.
import { describe, expect, it } from 'vitest';
import type { EpochSet } from '../../../../electron/common/decoding/decoder.js';
import { CrossEntropyGradient, LinearAdamWDecoder, linearAdamW, stratifiedValidationSplit } from '../../../../electron/common/decoding/linear-adamw.js';
import { Random } from '../../../../electron/common/random.js';

/** Band-power features (the model's default is CSP; these tests are about the optimiser and the export on few channels). */
const BAND_POWER = { kind: 'band-power' } as const;

const RATE_HZ = 160;
const ROWS = 160;
const CHANNELS = 4;

/**
 * Motor-imagery-like epochs: noise plus a mu (10 Hz) and beta (20 Hz) rhythm on every channel,
 * the rhythm weakened (× `weakened`) on channel (class) for trials of that class (desynchronisation).
 */
function makeSet(trialsPerClass: number, classes: string[], seed: number, weakened = 0.4): EpochSet {
  const random = new Random(seed);
  const epochs: Float64Array[] = [];
  const labels: number[] = [];
  for (let t = 0; t < trialsPerClass * classes.length; t++) {
    const label = t % classes.length;
    const e = new Float64Array(CHANNELS * ROWS);
    for (let c = 0; c < CHANNELS; c++) {
      const amplitude = (c === label ? weakened : 1) * random.nextRange(0.7, 1.3);
      const phase = random.nextRange(0, 6.3);
      for (let n = 0; n < ROWS; n++) {
        const time = n / RATE_HZ;
        e[c * ROWS + n] = amplitude * (Math.sin(2 * Math.PI * 10 * time + phase) + 0.5 * Math.sin(2 * Math.PI * 20 * time)) + 0.5 * random.nextGaussian();
      }
    }
    epochs.push(e);
    labels.push(label);
  }
  return { channelCount: CHANNELS, rowCount: ROWS, sampleRateHz: RATE_HZ, epochs, labels: Int32Array.from(labels), classes };
}

function accuracy(decoder: { predictProba(w: Float64Array, out: Float64Array): void }, set: EpochSet): number {
  const p = new Float64Array(set.classes.length);
  let right = 0;
  set.epochs.forEach((e, i) => {
    decoder.predictProba(e, p);
    expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    if (p.indexOf(Math.max(...p)) === set.labels[i]) right++;
  });
  return right / set.epochs.length;
}

describe("decoder 'linear-adamw'", () => {
  it('learns the band-power differences of 2 and 3 classes (held-out accuracy above 90 %)', () => {
    for (const classes of [
      ['left', 'right'],
      ['left', 'right', 'feet'],
    ]) {
      const { decoder, curve } = linearAdamW.fit(makeSet(30, classes, 1), linearAdamW.parseOptions({ features: BAND_POWER }), 42);
      expect(accuracy(decoder, makeSet(20, classes, 2))).toBeGreaterThan(0.9);
      expect(curve!.length).toBeGreaterThan(5);
      expect(curve![curve!.length - 1].trainLoss).toBeLessThan(curve![0].trainLoss);
      curve!.forEach((point, i) => {
        expect(point.epoch).toBe(i + 1);
        for (const v of [point.trainLoss, point.validationLoss, point.trainAccuracy, point.validationAccuracy]) expect(Number.isFinite(v)).toBe(true);
      });
    }
  });

  it('is a function of the seed: the same seed gives the same model, another seed another split', () => {
    const set = makeSet(20, ['a', 'b'], 3);
    const options = linearAdamW.parseOptions({ epochs: 30, features: BAND_POWER });
    const a = linearAdamW.fit(set, options, 7);
    const b = linearAdamW.fit(set, options, 7);
    const c = linearAdamW.fit(set, options, 8);
    expect(JSON.stringify(a.decoder.toJSON())).toBe(JSON.stringify(b.decoder.toJSON()));
    expect(a.curve).toEqual(b.curve);
    expect(JSON.stringify(c.decoder.toJSON())).not.toBe(JSON.stringify(a.decoder.toJSON()));
  });

  it('stops when the validation loss has not improved for `patience` epochs, keeping the best epoch', () => {
    // hardly separable classes and many features: the validation loss turns up as the model overfits
    const set = makeSet(20, ['a', 'b'], 4, 0.9);
    const features = { bandsHz: [[4, 7], [8, 12], [13, 17], [18, 22], [23, 30], [31, 40]] };
    const { decoder, curve } = linearAdamW.fit(set, linearAdamW.parseOptions({ epochs: 500, patience: 5, learningRate: 0.05, weightDecay: 0, features }), 1);
    expect(curve!.length).toBeLessThan(500);
    const losses = curve!.map((p) => p.validationLoss);
    const best = losses.indexOf(Math.min(...losses));
    expect(curve!.length).toBe(best + 1 + 5);
    // the kept weights are the best epoch's: recompute its validation loss from the model
    const split = stratifiedValidationSplit(set.labels, 2, 0.2, new Random(1, 1));
    const p = new Float64Array(2);
    let loss = 0;
    for (const i of split.validation) {
      decoder.predictProba(set.epochs[i], p);
      loss -= Math.log(p[set.labels[i]]);
    }
    expect(loss / split.validation.length).toBeCloseTo(losses[best], 10);
  });

  it('without a validation set runs every epoch and reports NaN validation figures', () => {
    const { curve } = linearAdamW.fit(makeSet(6, ['a', 'b'], 5), linearAdamW.parseOptions({ epochs: 12, validationFraction: 0, features: BAND_POWER }), 1);
    expect(curve!.length).toBe(12);
    expect(Number.isNaN(curve![0].validationLoss)).toBe(true);
  });

  it('splits each class for validation (stratified, seeded, at least one kept for training)', () => {
    const labels = Int32Array.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 2, 2]);
    const { training, validation } = stratifiedValidationSplit(labels, 3, 0.2, new Random(1));
    expect(validation.map((i) => labels[i]).sort()).toEqual([0, 0, 1, 2]);
    expect([...training, ...validation].sort((a, b) => a - b)).toEqual(Array.from(labels.keys()));
  });

  it('computes the gradient of the mean cross-entropy (finite differences)', () => {
    const random = new Random(6);
    const f = 3;
    const k = 3;
    const n = 5;
    const x = Float64Array.from({ length: n * f }, () => random.nextGaussian());
    const labels = Int32Array.from([0, 2, 1, 1, 0]);
    const order = Int32Array.from([4, 2, 0, 1, 3]);
    const w = Float64Array.from({ length: k * f }, () => random.nextGaussian());
    const b = Float64Array.from({ length: k }, () => random.nextGaussian());
    const loss = (): number => {
      let sum = 0;
      for (let t = 1; t < 4; t++) {
        const s = order[t];
        const z = Array.from({ length: k }, (_, j) => b[j] + Array.from({ length: f }, (_, i) => w[j * f + i] * x[s * f + i]).reduce((u, v) => u + v, 0));
        const m = Math.max(...z);
        sum -= z[labels[s]] - m - Math.log(z.reduce((u, v) => u + Math.exp(v - m), 0));
      }
      return sum / 3;
    };
    const gw = new Float64Array(k * f);
    const gb = new Float64Array(k);
    new CrossEntropyGradient(f, k).compute(x, labels, order, 1, 4, w, b, gw, gb);
    const h = 1e-6;
    for (const [params, grads] of [
      [w, gw],
      [b, gb],
    ] as const) {
      for (let i = 0; i < params.length; i++) {
        const keep = params[i];
        params[i] = keep + h;
        const up = loss();
        params[i] = keep - h;
        const down = loss();
        params[i] = keep;
        expect(grads[i]).toBeCloseTo((up - down) / (2 * h), 8);
      }
    }
  });

  it('round-trips through JSON and refuses a damaged model', () => {
    const set = makeSet(10, ['a', 'b'], 8);
    const { decoder } = linearAdamW.fit(set, linearAdamW.parseOptions({ epochs: 20, features: { bandsHz: [[8, 12], [18, 22]] } }), 3);
    const json = JSON.parse(JSON.stringify(decoder.toJSON()));
    const back = linearAdamW.fromJSON(json, set.classes, CHANNELS, ROWS, RATE_HZ);
    expect(back).toBeInstanceOf(LinearAdamWDecoder);
    const p = new Float64Array(2);
    const q = new Float64Array(2);
    for (const e of set.epochs) {
      decoder.predictProba(e, p);
      back.predictProba(e, q);
      expect(Array.from(q)).toEqual(Array.from(p));
    }
    expect(() => linearAdamW.fromJSON({ ...json, version: 2 }, set.classes, CHANNELS, ROWS, RATE_HZ)).toThrow(/version 2; this software reads version 1/);
    expect(() => linearAdamW.fromJSON({ ...json, bias: [0] }, set.classes, CHANNELS, ROWS, RATE_HZ)).toThrow(/bias must be 2 finite numbers/);
    expect(() => linearAdamW.fromJSON({ ...json, featureScale: json.featureScale.map(() => 0) }, set.classes, CHANNELS, ROWS, RATE_HZ)).toThrow(/scales must be positive/);
    expect(() => linearAdamW.fromJSON(json, ['a', 'b', 'c'], CHANNELS, ROWS, RATE_HZ)).toThrow(/one row per class \(3\)/);
  });

  it('refuses options it cannot use, with a sentence', () => {
    expect(linearAdamW.trainable).toBe(true);
    expect(() => linearAdamW.parseOptions({ learningrate: 0.1 })).toThrow(/Unknown linear-adamw option "learningrate"/);
    expect(() => linearAdamW.parseOptions({ epochs: 0 })).toThrow(/epochs must be a whole number, at least 1/);
    expect(() => linearAdamW.parseOptions({ validationFraction: 0.9 })).toThrow(/validationFraction must be from 0 to 0.5/);
    expect(() => linearAdamW.parseOptions({ beta2: 1 })).toThrow(/beta2/);
    expect(linearAdamW.parseOptions({}).features).toEqual({ kind: 'csp', components: 4 });
    expect(() => linearAdamW.parseOptions({ features: { kind: 'csp', components: 1.5 } })).toThrow(/CSP components must be a positive whole number/);
    expect(() => linearAdamW.fit(makeSet(6, ['a', 'b'], 5), linearAdamW.parseOptions({ features: { kind: 'csp', components: 99 } }), 1)).toThrow(/CSP component count \(99\) cannot exceed the channel count/);
    const one = makeSet(1, ['a'], 1);
    expect(() => linearAdamW.fit(one, linearAdamW.parseOptions({ features: BAND_POWER }), 1)).toThrow(/at least two classes/);
  });
});
