// A test-only decoder, to test everything around the decoders before the real ones are merged:
// the log-variance of each channel of the (band-passed) window, less its mean over the channels,
// and the class whose mean feature vector is nearest; probabilities are a softmax of minus half the squared distances. It is a
// plug-in (decoderModules), bundled by tests/support/decoder-plugin.ts, so that the CLI and the
// pipeline worker load it exactly as they would any decoder.
import type { Decoder, DecoderKind, DecoderModule, EpochSet, JsonValue } from '../../../electron/common/decoding/decoder.js';

/** Not one of the product's kinds: a test's own (the registry accepts any kind a module brings). */
export const TEST_DECODER_KIND = 'test-log-variance' as DecoderKind;

interface Options {
  /** Divides the squared distances before the softmax (larger: softer probabilities). */
  readonly temperature: number;
}

function logVariance(window: Float64Array, channelCount: number, rowCount: number, out: Float64Array): void {
  for (let c = 0; c < channelCount; c++) {
    const base = c * rowCount;
    let mean = 0;
    for (let r = 0; r < rowCount; r++) mean += window[base + r];
    mean /= rowCount;
    let v = 0;
    for (let r = 0; r < rowCount; r++) {
      const d = window[base + r] - mean;
      v += d * d;
    }
    out[c] = Math.log(v / rowCount + 1e-12);
  }
  // relative to the channels' mean: what one hemisphere loses against the other, not the overall level
  let mean = 0;
  for (let c = 0; c < channelCount; c++) mean += out[c];
  mean /= channelCount;
  for (let c = 0; c < channelCount; c++) out[c] -= mean;
}

class LogVarianceDecoder implements Decoder {
  readonly kind = TEST_DECODER_KIND;
  private readonly features: Float64Array;
  private predictions = 0;

  constructor(
    readonly classes: readonly string[],
    readonly channelCount: number,
    readonly rowCount: number,
    private readonly means: readonly Float64Array[],
    private readonly temperature: number,
    /** For the tests of a faulty decoder: throws on this prediction (never, by default). */
    private readonly failAtPrediction = Infinity,
  ) {
    this.features = new Float64Array(channelCount);
  }

  predictProba(window: Float64Array, out: Float64Array): void {
    if (++this.predictions >= this.failAtPrediction) throw new Error(`deliberate failure at prediction ${this.predictions}`);
    logVariance(window, this.channelCount, this.rowCount, this.features);
    let max = -Infinity;
    for (let k = 0; k < this.means.length; k++) {
      let d = 0;
      for (let c = 0; c < this.channelCount; c++) {
        const x = this.features[c] - this.means[k][c];
        d += x * x;
      }
      out[k] = (-0.5 * d) / this.temperature;
      if (out[k] > max) max = out[k];
    }
    let sum = 0;
    for (let k = 0; k < this.means.length; k++) sum += out[k] = Math.exp(out[k] - max);
    for (let k = 0; k < this.means.length; k++) out[k] /= sum;
  }

  toJSON(): JsonValue {
    return { means: this.means.map((m) => [...m]), temperature: this.temperature };
  }
}

export const logVarianceMeanModule: DecoderModule<Options> = {
  kind: TEST_DECODER_KIND,
  trainable: true,
  parseOptions(input: unknown): Options {
    const o = (input ?? {}) as Record<string, unknown>;
    if (typeof o !== 'object' || Array.isArray(o)) throw new Error('options must be an object');
    for (const key of Object.keys(o)) if (key !== 'temperature') throw new Error(`unknown option "${key}" (this decoder takes temperature)`);
    const temperature = o.temperature === undefined ? 1 : Number(o.temperature);
    if (!(temperature > 0)) throw new Error(`temperature must be above 0, got ${String(o.temperature)}`);
    return { temperature };
  },
  fit(set: EpochSet, options: Options): { decoder: Decoder } {
    const K = set.classes.length;
    const sums = Array.from({ length: K }, () => new Float64Array(set.channelCount));
    const counts = new Array<number>(K).fill(0);
    const f = new Float64Array(set.channelCount);
    set.epochs.forEach((e, i) => {
      logVariance(e, set.channelCount, set.rowCount, f);
      const k = set.labels[i];
      counts[k]++;
      for (let c = 0; c < set.channelCount; c++) sums[k][c] += f[c];
    });
    const means = sums.map((s, k) => s.map((v) => v / Math.max(1, counts[k])));
    return { decoder: new LogVarianceDecoder(set.classes, set.channelCount, set.rowCount, means, options.temperature) };
  },
  fromJSON(params: JsonValue, classes: readonly string[], channelCount: number, rowCount: number): Decoder {
    const p = params as { means?: unknown; temperature?: unknown; failAtPrediction?: unknown } | null;
    if (typeof p !== 'object' || p === null || !Array.isArray(p.means)) throw new Error('params must have means');
    const means = p.means as unknown[];
    if (means.length !== classes.length) throw new Error(`params have ${means.length} class means for ${classes.length} classes`);
    const rows = means.map((m) => {
      if (!Array.isArray(m) || m.length !== channelCount || !m.every((x) => typeof x === 'number')) throw new Error(`each class mean must be ${channelCount} numbers`);
      return Float64Array.from(m as number[]);
    });
    const temperature = typeof p.temperature === 'number' && p.temperature > 0 ? p.temperature : 1;
    return new LogVarianceDecoder(classes, channelCount, rowCount, rows, temperature, typeof p.failAtPrediction === 'number' ? p.failAtPrediction : Infinity);
  },
};

export const decoderModules = [logVarianceMeanModule];
