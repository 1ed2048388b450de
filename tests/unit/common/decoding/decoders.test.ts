// The 'csp-lda' and 'tangent-lr' decoder modules: options (defaults, CLI strings, refusals as
// sentences), fitting on synthetic motor-imagery-like epochs, the model-file round trip (exact),
// fromJSON refusals, window checks, and predictProba allocating nothing on repeated calls.
import { describe, expect, it } from 'vitest';
import type { Decoder, DecoderModule, EpochSet, JsonValue } from '../../../../electron/common/decoding/decoder.js';
import { cspLda } from '../../../../electron/common/decoding/csp-lda.js';
import { tangentLr } from '../../../../electron/common/decoding/tangent-lr.js';
import { minorCollectionsDuring } from '../../../support/allocation.js';
import { syntheticEpochs } from './synthetic.js';

function split(set: EpochSet, testEvery: number): { train: EpochSet; test: EpochSet } {
  const pick = (keep: (i: number) => boolean): EpochSet => {
    const idx = set.epochs.map((_, i) => i).filter(keep);
    return { ...set, epochs: idx.map((i) => set.epochs[i]), labels: Int32Array.from(idx, (i) => set.labels[i]) };
  };
  return { train: pick((i) => Math.floor(i / set.classes.length) % testEvery !== 0), test: pick((i) => Math.floor(i / set.classes.length) % testEvery === 0) };
}

function heldOutAccuracy(decoder: Decoder, test: EpochSet): number {
  const out = new Float64Array(test.classes.length);
  let right = 0;
  test.epochs.forEach((e, i) => {
    decoder.predictProba(e, out);
    let sum = 0;
    for (const p of out) {
      expect(p).toBeGreaterThanOrEqual(0);
      sum += p;
    }
    expect(sum).toBeCloseTo(1, 12);
    if (out.indexOf(Math.max(...out)) === test.labels[i]) right++;
  });
  return right / test.epochs.length;
}

const modules: [DecoderModule<unknown>, object][] = [
  [cspLda as DecoderModule<unknown>, { components: 4, shrinkage: 'none', covariance: 'concat', cspShrinkage: 'none' }],
  [tangentLr as DecoderModule<unknown>, { C: 1, shrinkage: 'ledoit-wolf' }],
];

describe.each(modules)('%s decoder', (module, defaults) => {
  const two = syntheticEpochs({ channelCount: 8, rowCount: 128, epochsPerClass: 30, classCount: 2, gain: 1.6, seed: 21 });
  const three = syntheticEpochs({ channelCount: 8, rowCount: 128, epochsPerClass: 30, classCount: 3, gain: 1.8, seed: 22 });

  it('is trainable and has the documented defaults', () => {
    expect(module.trainable).toBe(true);
    expect(module.parseOptions(undefined)).toEqual(defaults);
    expect(module.parseOptions({})).toEqual(defaults);
  });

  it.each([
    { name: 'two', set: two },
    { name: 'three', set: three },
  ])('learns $name classes of synthetic epochs (held-out accuracy above 0.85)', ({ set }) => {
    const { train, test } = split(set, 4);
    const { decoder } = module.fit(train, module.parseOptions({}), 1);
    expect(decoder.kind).toBe(module.kind);
    expect(decoder.classes).toEqual(set.classes);
    expect(decoder.channelCount).toBe(8);
    expect(decoder.rowCount).toBe(128);
    expect(heldOutAccuracy(decoder, test)).toBeGreaterThan(0.85);
  });

  it('round-trips through a model file exactly: same JSON text, same probabilities bit for bit', () => {
    for (const set of [two, three]) {
      const { decoder } = module.fit(set, module.parseOptions({}), 1);
      const text = JSON.stringify(decoder.toJSON());
      const back = module.fromJSON(JSON.parse(text) as JsonValue, set.classes, set.channelCount, set.rowCount, set.sampleRateHz);
      expect(JSON.stringify(back.toJSON())).toBe(text);
      const a = new Float64Array(set.classes.length);
      const b = new Float64Array(set.classes.length);
      for (const e of set.epochs.slice(0, 10)) {
        decoder.predictProba(e, a);
        back.predictProba(e, b);
        expect(Array.from(b)).toEqual(Array.from(a));
      }
    }
  });

  it('gives the same probabilities for the same window on repeated calls (scratch keeps no state)', () => {
    const { decoder } = module.fit(two, module.parseOptions({}), 1);
    const first = new Float64Array(2);
    const again = new Float64Array(2);
    decoder.predictProba(two.epochs[0], first);
    decoder.predictProba(two.epochs[1], again);
    decoder.predictProba(two.epochs[0], again);
    expect(Array.from(again)).toEqual(Array.from(first));
  });

  it('allocates nothing in predictProba: no young-generation collection in 100 000 calls after warm-up', async () => {
    // sensitivity: the young generation is at most 16 MB, so 100 000 calls allocating more than
    // ~160 bytes each would collect; the probe after it, allocating ~300 bytes per call, does
    const { decoder } = module.fit(three, module.parseOptions({}), 1);
    const out = new Float64Array(3);
    const windows = three.epochs.slice(0, 8);
    const calls = 100_000;
    const run = (count: number): void => {
      for (let i = 0; i < count; i++) decoder.predictProba(windows[i & 7], out);
    };
    run(20_000); // optimise
    // the steady state is what counts: under load the optimising compiler may still be working
    // (meanwhile the interpreter boxes numbers), so a collecting run is retried; allocating code
    // collects on every try
    let collections = await minorCollectionsDuring(() => run(calls));
    for (let attempt = 1; attempt < 4 && collections > 0; attempt++) collections = await minorCollectionsDuring(() => run(calls));
    expect(collections).toBe(0);
    const probe = await minorCollectionsDuring(() => {
      for (let i = 0; i < calls; i++) {
        const extra = new Float64Array(32);
        extra[0] = i;
        decoder.predictProba(windows[extra[0] & 7], out);
      }
    });
    expect(probe).toBeGreaterThan(0);
  });

  it('refuses epochs it cannot learn from, with sentences', () => {
    const options = module.parseOptions({});
    const oneClass = { ...two, labels: new Int32Array(two.labels.length) };
    expect(() => module.fit(oneClass, options, 1)).toThrow(new RegExp(`${module.kind}: class "right" has 0 epochs; at least 2 per class are needed to train`));
    expect(() => module.fit({ ...two, classes: ['left'] }, options, 1)).toThrow(/needs at least two classes/);
    const short = { ...two, epochs: two.epochs.map((e, i) => (i === 4 ? e.subarray(1) : e)) };
    expect(() => module.fit(short, options, 1)).toThrow(/epoch 4 holds 1023 values, 8 channels × 128 samples = 1024 expected/);
    const nan = { ...two, epochs: two.epochs.map((e, i) => (i === 2 ? e.map((v, k) => (k === 7 ? NaN : v)) : e)) };
    expect(() => module.fit(nan, options, 1)).toThrow(/epoch 2 has a sample that is not a finite number \(NaN or infinite\): reject that epoch or fix the recording/);
  });

  it('refuses unknown options and options that are not objects, naming the right ones', () => {
    expect(() => module.parseOptions({ colour: 'blue' })).toThrow(new RegExp(`${module.kind} has no option "colour": its options are`));
    expect(() => module.parseOptions(5)).toThrow(/options must be an object such as/);
  });

  it('refuses a window of the wrong size, and model parameters that do not fit the stream', () => {
    const { decoder } = module.fit(two, module.parseOptions({}), 1);
    expect(() => decoder.predictProba(new Float64Array(10), new Float64Array(2))).toThrow(/the window holds 10 values, 8 channels × 128 samples = 1024 expected/);
    expect(() => decoder.predictProba(two.epochs[0], new Float64Array(1))).toThrow(/the output holds 1 values, one per class \(2\) expected/);
    const json = JSON.parse(JSON.stringify(decoder.toJSON())) as Record<string, JsonValue>;
    expect(() => module.fromJSON(json, two.classes, 6, 128, 250)).toThrow(/model( is for|'s filters are for) 8 channels but the stream has 6/);
    expect(() => module.fromJSON({ ...json, version: 2 }, two.classes, 8, 128, 250)).toThrow(/parameters are version 2; this software reads version 1/);
    expect(() => module.fromJSON(null, two.classes, 8, 128, 250)).toThrow(/parameters are missing or not an object/);
    expect(() => module.fromJSON(json, ['a', 'b', 'c'], 8, 128, 250)).toThrow(/classifier's coef has 1 rows where 3 are expected/);
    expect(() => module.fromJSON({ ...json, classifier: { coef: 'x', intercept: [0] } }, two.classes, 8, 128, 250)).toThrow(/classifier's coef must be 1 rows of \d+ numbers/);
    expect(() => module.fromJSON(json, ['a'], 8, 128, 250)).toThrow(/needs at least two classes/);
  });
});

describe('csp-lda options', () => {
  it('takes numbers from CLI strings, and shrinkage none, auto or a number', () => {
    expect(cspLda.parseOptions({ components: '6', shrinkage: '0.25', covariance: 'epoch', cspShrinkage: '0.1' })).toEqual({ components: 6, shrinkage: 0.25, covariance: 'epoch', cspShrinkage: 0.1 });
    expect(cspLda.parseOptions({ shrinkage: 'auto' }).shrinkage).toBe('auto');
  });

  it('refuses bad values with sentences that say what is allowed', () => {
    expect(() => cspLda.parseOptions({ components: 'four' })).toThrow(/components must be a whole number of CSP filters, at least 1 \(got "four"\); 4 is usual/);
    expect(() => cspLda.parseOptions({ components: 2.5 })).toThrow(/whole number/);
    expect(() => cspLda.parseOptions({ components: 0 })).toThrow(/at least 1/);
    expect(() => cspLda.parseOptions({ shrinkage: 'lots' })).toThrow(/shrinkage must be 'none', 'auto' \(Ledoit-Wolf\) or a number from 0 to 1 \(got "lots"\)/);
    expect(() => cspLda.parseOptions({ shrinkage: 1.5 })).toThrow(/from 0 to 1/);
    expect(() => cspLda.parseOptions({ covariance: 'mean' })).toThrow(/covariance must be 'concat' .* or 'epoch'/);
    expect(() => cspLda.parseOptions({ cspShrinkage: 'auto' })).toThrow(/cspShrinkage must be 'none', 'ledoit-wolf' or a number from 0 to 1 \(got "auto"\)/);
  });

  it('refuses more components than channels when fitting', () => {
    const set = syntheticEpochs({ channelCount: 3, rowCount: 50, epochsPerClass: 5, classCount: 2 });
    expect(() => cspLda.fit(set, cspLda.parseOptions({ components: 4 }), 1)).toThrow(/the CSP component count \(4\) cannot exceed the channel count \(3\)/);
  });

  it('refuses linearly dependent channels (a common average reference) without CSP regularisation, saying what to do, and fits with it', () => {
    const set = syntheticEpochs({ channelCount: 6, rowCount: 100, epochsPerClass: 20, classCount: 2, seed: 4 });
    const car = {
      ...set,
      epochs: set.epochs.map((e) => {
        const out = e.slice();
        for (let t = 0; t < 100; t++) {
          let m = 0;
          for (let c = 0; c < 6; c++) m += e[c * 100 + t] / 6;
          for (let c = 0; c < 6; c++) out[c * 100 + t] -= m;
        }
        return out;
      }),
    };
    expect(() => cspLda.fit(car, cspLda.parseOptions({}), 1)).toThrow(/CSP: the class covariances are singular \(the channels are linearly dependent, e.g. after a common average reference, or a channel is flat\): use CSP regularisation/);
    const { decoder } = cspLda.fit(car, cspLda.parseOptions({ cspShrinkage: 'ledoit-wolf' }), 1);
    expect(heldOutAccuracy(decoder, car)).toBeGreaterThan(0.85);
  });

  it('fits with LDA shrinkage (auto and fixed) and the per-epoch covariance', () => {
    const set = syntheticEpochs({ channelCount: 6, rowCount: 100, epochsPerClass: 20, classCount: 2, seed: 4 });
    for (const options of [{ shrinkage: 'auto' }, { shrinkage: 0.5, covariance: 'epoch' }]) {
      const { decoder } = cspLda.fit(set, cspLda.parseOptions(options), 1);
      expect((decoder.toJSON() as { options: JsonValue }).options).toMatchObject(options);
      expect(heldOutAccuracy(decoder, set)).toBeGreaterThan(0.85);
    }
  });
});

describe('tangent-lr options', () => {
  it('takes C and shrinkage from CLI strings', () => {
    expect(tangentLr.parseOptions({ C: '0.1', shrinkage: '0.2' })).toEqual({ C: 0.1, shrinkage: 0.2 });
    expect(tangentLr.parseOptions({ shrinkage: 'none' }).shrinkage).toBe('none');
  });

  it('refuses bad values with sentences that say what is allowed', () => {
    expect(() => tangentLr.parseOptions({ C: 0 })).toThrow(/C must be a positive number, the inverse regularisation strength \(got 0\); 1 is scikit-learn's default/);
    expect(() => tangentLr.parseOptions({ C: 'big' })).toThrow(/C must be a positive number/);
    expect(() => tangentLr.parseOptions({ shrinkage: 'auto' })).toThrow(/shrinkage must be 'ledoit-wolf', 'none' or a number from 0 to 1 \(got "auto"\)/);
  });

  it('refuses a flat window at prediction, saying a channel may be flat', () => {
    const set = syntheticEpochs({ channelCount: 4, rowCount: 64, epochsPerClass: 10, classCount: 2 });
    const { decoder } = tangentLr.fit(set, tangentLr.parseOptions({}), 1);
    expect(() => decoder.predictProba(new Float64Array(4 * 64), new Float64Array(2))).toThrow(/the window covariance is not positive definite .* a channel may be flat/);
  });
});
