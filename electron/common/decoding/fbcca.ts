// Decoder 'fbcca': filter-bank CCA for SSVEP (Chen, Wang, Gao, Jung & Gao 2015, J. Neural Eng. 12
// 046008). The window is split into sub-bands m = 1 … subBands, band m passing
// [m·bandStepHz, upperHz] (Chen's "M3" design: a rising lower edge, a common upper edge), each
// sub-band's window goes through CCA (cca.ts: ρ_max against every target's sine/cosine
// references), and target k scores
//   s_k = Σ_m w_m·ρ_{m,k}² / Σ_m w_m,   w_m = m^(−a) + b,  a = 1.25, b = 0.25 (Chen's values).
// Dividing by Σw keeps the score in [0, 1] whatever the number of bands (the arg-max is Chen's).
// Probabilities: softmax(s_k / temperature); the temperature is in units of squared correlation
// (default 0.01: a lead of 0.05 in s is worth odds of about 150:1).
//
// Filters: the project's Butterworth design (dsp/butter.ts; SciPy's butter, order `filterOrder`,
// band-pass, as SOS), where Chen used Chebyshev type I. They run ZERO-PHASE over the window, as
// SciPy's sosfiltfilt with its default odd padding (Chen filtered with filtfilt too): the window
// is a block that has already arrived, so a non-causal filter inside it costs no latency, and a
// causal filter would smear each sub-band's phase differently across the window and start with a
// transient. The forward-backward pass is done in preallocated buffers (ZeroPhaseSos), so
// prediction allocates nothing; the tests check it against dsp's sosfiltfilt. The window must be
// longer than the filter's pad length (3·(2·sections + 1) rows, 27 for order 4).

import { butterSos } from '../dsp/butter.js';
import { sosfiltfiltPadLength } from '../dsp/filtfilt.js';
import { SosFilter } from '../dsp/sos.js';
import { CcaScorer, checkSsvepSetup, parseSsvepCommon, softmaxWithTemperature, withoutVersion, type SsvepCcaOptions } from './cca.js';
import type { Decoder, DecoderModule, EpochSet, FitResult, JsonValue } from './decoder.js';

/** Chen et al. 2015's weights w_m = m^(−a) + b. */
export const FBCCA_WEIGHT_A = 1.25;
export const FBCCA_WEIGHT_B = 0.25;

export interface FbccaOptions extends SsvepCcaOptions {
  readonly subBands: number;
  /** Lower edge of sub-band m is m × bandStepHz. */
  readonly bandStepHz: number;
  /** Common upper edge of every sub-band; null: min(88 Hz, 0.45 × the sample rate). */
  readonly upperHz: number | null;
  /** Butterworth order of each band-pass prototype (SciPy's N: the band-pass has 2N poles). */
  readonly filterOrder: number;
}

export const FBCCA_DEFAULTS = { harmonics: 3, temperature: 0.01, subBands: 5, bandStepHz: 8, upperHz: null, filterOrder: 4 } as const;

/** SciPy's sosfiltfilt (default odd padding) over a fixed length, in preallocated buffers. */
export class ZeroPhaseSos {
  readonly padLength: number;
  private readonly filter: SosFilter;
  private readonly extended: Float64Array;

  constructor(
    sos: Float64Array,
    readonly length: number,
  ) {
    this.padLength = sosfiltfiltPadLength(sos);
    if (length <= this.padLength) {
      throw new RangeError(`Zero-phase filtering needs more than ${this.padLength} samples for this filter (its edge padding); the window has ${length}.`);
    }
    this.filter = new SosFilter(sos, 1);
    this.extended = new Float64Array(length + 2 * this.padLength);
  }

  /** Filters x[from … from+length) into out[to … to+length). Allocates nothing. */
  apply(x: Float64Array, from: number, out: Float64Array, to: number): void {
    const n = this.length;
    const pad = this.padLength;
    const ext = this.extended;
    const first = x[from];
    const last = x[from + n - 1];
    for (let k = 0; k < pad; k++) ext[k] = 2 * first - x[from + pad - k];
    for (let k = 0; k < n; k++) ext[pad + k] = x[from + k];
    for (let k = 0; k < pad; k++) ext[pad + n + k] = 2 * last - x[from + n - 2 - k];
    this.filter.setSteadyState(0, ext[0]);
    this.filter.processChannel(0, ext, 0, ext.length);
    ext.reverse();
    this.filter.setSteadyState(0, ext[0]);
    this.filter.processChannel(0, ext, 0, ext.length);
    // The backward pass left the signal reversed: read it back from the end.
    const end = ext.length - 1 - pad;
    for (let k = 0; k < n; k++) out[to + k] = ext[end - k];
  }
}

/** The sub-band edges [lowHz, highHz] for these options at this rate; throws a sentence when one does not fit. */
export function fbccaBandsHz(options: Pick<FbccaOptions, 'subBands' | 'bandStepHz' | 'upperHz'>, sampleRateHz: number): [number, number][] {
  const nyquistHz = sampleRateHz / 2;
  const upperHz = options.upperHz ?? Math.min(88, 0.45 * sampleRateHz);
  if (!(upperHz < nyquistHz)) throw new RangeError(`fbcca upperHz (${upperHz} Hz) must be below the Nyquist frequency (${nyquistHz} Hz).`);
  const bands: [number, number][] = [];
  for (let m = 1; m <= options.subBands; m++) {
    const lowHz = m * options.bandStepHz;
    if (!(lowHz < upperHz)) {
      throw new RangeError(`fbcca sub-band ${m} would start at ${lowHz} Hz, above its upper edge ${upperHz} Hz: use fewer sub-bands or a smaller bandStepHz.`);
    }
    bands.push([lowHz, upperHz]);
  }
  return bands;
}

export class FbccaDecoder implements Decoder {
  readonly kind = 'fbcca' as const;
  readonly bandsHz: readonly [number, number][];
  readonly weights: Float64Array;
  private readonly filters: ZeroPhaseSos[];
  private readonly scorer: CcaScorer;
  private readonly filtered: Float64Array;
  private readonly rho: Float64Array;
  private readonly scores: Float64Array;

  constructor(
    readonly classes: readonly string[],
    readonly channelCount: number,
    readonly rowCount: number,
    readonly sampleRateHz: number,
    readonly options: FbccaOptions,
  ) {
    checkSsvepSetup('fbcca', classes.length, options.frequenciesHz, options.harmonics, sampleRateHz);
    this.bandsHz = fbccaBandsHz(options, sampleRateHz);
    this.filters = this.bandsHz.map((band) => new ZeroPhaseSos(butterSos(options.filterOrder, band, 'bandpass', sampleRateHz), rowCount));
    this.weights = Float64Array.from(this.bandsHz, (_, i) => (i + 1) ** -FBCCA_WEIGHT_A + FBCCA_WEIGHT_B);
    this.scorer = new CcaScorer(channelCount, rowCount, sampleRateHz, options.frequenciesHz, options.harmonics);
    this.filtered = new Float64Array(channelCount * rowCount);
    this.rho = new Float64Array(classes.length);
    this.scores = new Float64Array(classes.length);
  }

  /** s_k of the header into out (length ≥ classes). Allocates nothing. */
  scoresOf(window: Float64Array, out: Float64Array): void {
    const rows = this.rowCount;
    if (window.length !== this.channelCount * rows) {
      throw new RangeError(`fbcca expects a window of ${this.channelCount} channels × ${rows} rows; got ${window.length} values.`);
    }
    const k = this.classes.length;
    out.fill(0, 0, k);
    let weightSum = 0;
    for (let m = 0; m < this.filters.length; m++) {
      for (let c = 0; c < this.channelCount; c++) this.filters[m].apply(window, c * rows, this.filtered, c * rows);
      this.scorer.correlations(this.filtered, this.rho);
      const w = this.weights[m];
      weightSum += w;
      for (let j = 0; j < k; j++) out[j] += w * this.rho[j] * this.rho[j];
    }
    for (let j = 0; j < k; j++) out[j] /= weightSum;
  }

  predictProba(window: Float64Array, out: Float64Array): void {
    const k = this.classes.length;
    if (out.length !== k) throw new RangeError(`predictProba writes ${k} probabilities; got an array of ${out.length}.`);
    this.scoresOf(window, this.scores);
    softmaxWithTemperature(this.scores, this.options.temperature, out, k);
  }

  toJSON(): JsonValue {
    const o = this.options;
    return {
      version: 1,
      frequenciesHz: [...o.frequenciesHz],
      harmonics: o.harmonics,
      temperature: o.temperature,
      subBands: o.subBands,
      bandStepHz: o.bandStepHz,
      upperHz: o.upperHz,
      filterOrder: o.filterOrder,
    };
  }
}

function parseOptions(input: unknown): FbccaOptions {
  const common = parseSsvepCommon(input, 'fbcca', FBCCA_DEFAULTS, ['subBands', 'bandStepHz', 'upperHz', 'filterOrder']);
  const rest = common.rest;
  const integer = (key: 'subBands' | 'filterOrder', min: number, max: number): number => {
    const value = rest[key] ?? FBCCA_DEFAULTS[key];
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      throw new RangeError(`fbcca ${key} must be a whole number from ${min} to ${max}; got ${JSON.stringify(value)}.`);
    }
    return value;
  };
  const bandStepHz = rest.bandStepHz ?? FBCCA_DEFAULTS.bandStepHz;
  if (typeof bandStepHz !== 'number' || !Number.isFinite(bandStepHz) || bandStepHz <= 0) {
    throw new RangeError(`fbcca bandStepHz must be a positive number of Hz; got ${JSON.stringify(bandStepHz)}.`);
  }
  const upperHz = rest.upperHz ?? null;
  if (upperHz !== null && (typeof upperHz !== 'number' || !Number.isFinite(upperHz) || upperHz <= 0)) {
    throw new RangeError(`fbcca upperHz must be a positive number of Hz or null; got ${JSON.stringify(upperHz)}.`);
  }
  return {
    frequenciesHz: common.frequenciesHz,
    harmonics: common.harmonics,
    temperature: common.temperature,
    subBands: integer('subBands', 1, 10),
    bandStepHz,
    upperHz,
    filterOrder: integer('filterOrder', 1, 8),
  };
}

export const fbcca: DecoderModule<FbccaOptions> = {
  kind: 'fbcca',
  trainable: false,
  parseOptions,
  fit(set: EpochSet, options: FbccaOptions): FitResult {
    return { decoder: new FbccaDecoder(set.classes, set.channelCount, set.rowCount, set.sampleRateHz, options) };
  },
  fromJSON(params, classes, channelCount, rowCount, sampleRateHz) {
    return new FbccaDecoder(classes, channelCount, rowCount, sampleRateHz, parseOptions(withoutVersion(params, 'fbcca')));
  },
};
