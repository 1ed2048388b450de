// Decoder 'ssvep-cca': SSVEP detection by canonical correlation analysis (Lin et al. 2006). For
// each target frequency f (one per class, in class order) the reference set is
//   sin(2π·h·f·t), cos(2π·h·f·t) for h = 1 … harmonics,  t = n / sampleRateHz, n = 0 … rows−1,
// and the class's score is ρ_max: the largest canonical correlation between the window's channels
// (rows × channels) and the references (rows × 2·harmonics), both centred. Nothing is learned:
// `fit` only reads the channel count, window length and rate from the set and the frequencies
// from the options.
//
// Probabilities: softmax(ρ_max / temperature) over the classes. The temperature is in correlation
// units: a class whose ρ_max is one temperature above another's has e (≈ 2.7) times its
// probability. The default, 0.02, makes a lead of 0.1 in correlation worth odds of about 150:1;
// the predicted class (the arg-max) does not depend on it.
//
// Computation (allocation-free per window): orthonormal bases of both centred column spaces by
// modified Gram-Schmidt applied twice ("twice is enough", Giraud et al. 2005), dropping columns
// that are numerically dependent (a flat or duplicated channel); the canonical correlations are
// the singular values of Qxᵀ·Qy (Björck & Golub 1973), found as the square roots of the
// eigenvalues of the small symmetric matrix (Qxᵀ·Qy)ᵀ(Qxᵀ·Qy) by cyclic Jacobi rotations. The
// reference bases are built once. ml-matrix is not used here because its decompositions
// allocate on every call and this runs on every window; the tests check these numbers against
// ml-matrix's SVD and against scikit-learn's CCA.

import { isRecord } from './linear.js';
import type { Decoder, DecoderModule, EpochSet, FitResult, JsonValue } from './decoder.js';

/** A column counts as dependent when Gram-Schmidt leaves less than this share of its norm. */
const RANK_TOLERANCE = 1e-10;

/**
 * Orthonormalises `count` centred columns, stored planar in src (column j at src[j·rows …]),
 * into dst (same layout); returns how many independent columns were kept (the rank).
 */
export function orthonormaliseColumns(src: Float64Array, rows: number, count: number, dst: Float64Array): number {
  let rank = 0;
  for (let j = 0; j < count; j++) {
    const from = j * rows;
    const to = rank * rows;
    let mean = 0;
    for (let n = 0; n < rows; n++) mean += src[from + n];
    mean /= rows;
    let norm0 = 0;
    for (let n = 0; n < rows; n++) {
      const v = src[from + n] - mean;
      dst[to + n] = v;
      norm0 += v * v;
    }
    norm0 = Math.sqrt(norm0);
    if (!(norm0 > 0) || !Number.isFinite(norm0)) continue;
    for (let pass = 0; pass < 2; pass++) {
      for (let i = 0; i < rank; i++) {
        const qi = i * rows;
        let dot = 0;
        for (let n = 0; n < rows; n++) dot += dst[qi + n] * dst[to + n];
        for (let n = 0; n < rows; n++) dst[to + n] -= dot * dst[qi + n];
      }
    }
    let norm = 0;
    for (let n = 0; n < rows; n++) norm += dst[to + n] * dst[to + n];
    norm = Math.sqrt(norm);
    if (norm <= RANK_TOLERANCE * norm0) continue;
    const inv = 1 / norm;
    for (let n = 0; n < rows; n++) dst[to + n] *= inv;
    rank++;
  }
  return rank;
}

/**
 * Largest eigenvalue of the symmetric size × size matrix `a` (row-major; destroyed) by cyclic
 * Jacobi rotations. Allocates nothing.
 */
export function largestSymmetricEigenvalue(a: Float64Array, size: number): number {
  for (let sweep = 0; sweep < 60; sweep++) {
    let off = 0;
    let diag = 0;
    for (let p = 0; p < size; p++) {
      diag += a[p * size + p] * a[p * size + p];
      for (let q = p + 1; q < size; q++) off += a[p * size + q] * a[p * size + q];
    }
    if (off <= 1e-32 * diag || off === 0) break;
    for (let p = 0; p < size - 1; p++) {
      for (let q = p + 1; q < size; q++) {
        const apq = a[p * size + q];
        if (apq === 0) continue;
        const app = a[p * size + p];
        const aqq = a[q * size + q];
        // Rotation angle that zeroes a[p][q] (Golub & Van Loan, Algorithm 8.4.1).
        const theta = (aqq - app) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let r = 0; r < size; r++) {
          const arp = a[r * size + p];
          const arq = a[r * size + q];
          a[r * size + p] = c * arp - s * arq;
          a[r * size + q] = s * arp + c * arq;
        }
        for (let r = 0; r < size; r++) {
          const apr = a[p * size + r];
          const aqr = a[q * size + r];
          a[p * size + r] = c * apr - s * aqr;
          a[q * size + r] = s * apr + c * aqr;
        }
      }
    }
  }
  let largest = -Infinity;
  for (let p = 0; p < size; p++) if (a[p * size + p] > largest) largest = a[p * size + p];
  return largest;
}

/** The sine/cosine references for one frequency, planar: 2·harmonics columns of `rows` samples. */
export function ssvepReferences(frequencyHz: number, harmonics: number, rows: number, sampleRateHz: number): Float64Array {
  const y = new Float64Array(2 * harmonics * rows);
  for (let h = 1; h <= harmonics; h++) {
    for (let n = 0; n < rows; n++) {
      const phase = (2 * Math.PI * h * frequencyHz * n) / sampleRateHz;
      y[(2 * h - 2) * rows + n] = Math.sin(phase);
      y[(2 * h - 1) * rows + n] = Math.cos(phase);
    }
  }
  return y;
}

/**
 * The largest canonical correlation between a planar window and each target's references.
 * Built once per (channels, rows, rate, frequencies, harmonics); `correlations` allocates nothing.
 */
export class CcaScorer {
  readonly targetCount: number;
  private readonly referenceBases: Float64Array[];
  private readonly referenceRanks: Int32Array;
  private readonly windowBasis: Float64Array;
  private readonly cross: Float64Array;
  private readonly gram: Float64Array;

  constructor(
    readonly channelCount: number,
    readonly rowCount: number,
    readonly sampleRateHz: number,
    readonly frequenciesHz: readonly number[],
    readonly harmonics: number,
  ) {
    this.targetCount = frequenciesHz.length;
    const width = 2 * harmonics;
    this.referenceBases = [];
    this.referenceRanks = new Int32Array(this.targetCount);
    frequenciesHz.forEach((f, k) => {
      const basis = new Float64Array(width * rowCount);
      this.referenceRanks[k] = orthonormaliseColumns(ssvepReferences(f, harmonics, rowCount, sampleRateHz), rowCount, width, basis);
      this.referenceBases.push(basis);
    });
    this.windowBasis = new Float64Array(channelCount * rowCount);
    this.cross = new Float64Array(channelCount * width);
    const side = Math.min(channelCount, width);
    this.gram = new Float64Array(side * side);
  }

  /** out[k] = ρ_max between `window` (planar channelCount × rowCount) and target k's references. */
  correlations(window: Float64Array, out: Float64Array): void {
    const rows = this.rowCount;
    if (window.length !== this.channelCount * rows) {
      throw new RangeError(`CCA expects a window of ${this.channelCount} channels × ${rows} rows; got ${window.length} values.`);
    }
    if (out.length < this.targetCount) throw new RangeError(`CCA writes ${this.targetCount} correlations; got room for ${out.length}.`);
    const rx = orthonormaliseColumns(window, rows, this.channelCount, this.windowBasis);
    const qx = this.windowBasis;
    const m = this.cross;
    const g = this.gram;
    for (let k = 0; k < this.targetCount; k++) {
      const ry = this.referenceRanks[k];
      const qy = this.referenceBases[k];
      if (rx === 0 || ry === 0) {
        out[k] = 0;
        continue;
      }
      // M = Qxᵀ·Qy (rx × ry), row-major.
      for (let i = 0; i < rx; i++) {
        for (let j = 0; j < ry; j++) {
          let dot = 0;
          const a = i * rows;
          const b = j * rows;
          for (let n = 0; n < rows; n++) dot += qx[a + n] * qy[b + n];
          m[i * ry + j] = dot;
        }
      }
      // The smaller Gram matrix: MᵀM (ry × ry) or MMᵀ (rx × rx); same non-zero eigenvalues.
      const side = Math.min(rx, ry);
      const transposeFirst = ry <= rx;
      for (let p = 0; p < side; p++) {
        for (let q = p; q < side; q++) {
          let dot = 0;
          if (transposeFirst) for (let i = 0; i < rx; i++) dot += m[i * ry + p] * m[i * ry + q];
          else for (let j = 0; j < ry; j++) dot += m[p * ry + j] * m[q * ry + j];
          g[p * side + q] = dot;
          g[q * side + p] = dot;
        }
      }
      const lambda = largestSymmetricEigenvalue(g, side);
      out[k] = Math.min(1, Math.sqrt(Math.max(0, lambda)));
    }
  }
}

/** softmax(score / temperature) into out. */
export function softmaxWithTemperature(scores: Float64Array, temperature: number, out: Float64Array, count: number): void {
  let max = -Infinity;
  for (let k = 0; k < count; k++) if (scores[k] > max) max = scores[k];
  let sum = 0;
  for (let k = 0; k < count; k++) {
    const e = Math.exp((scores[k] - max) / temperature);
    out[k] = e;
    sum += e;
  }
  for (let k = 0; k < count; k++) out[k] /= sum;
}

export interface SsvepCcaOptions {
  /** One stimulation frequency per class, in class order. */
  readonly frequenciesHz: readonly number[];
  /** Harmonics in the references (1 = the fundamental only). */
  readonly harmonics: number;
  /** Softmax temperature, in correlation units (see the header). */
  readonly temperature: number;
}

export const SSVEP_CCA_DEFAULTS = { harmonics: 2, temperature: 0.02 } as const;


/** Shared by 'ssvep-cca' and 'fbcca': frequencies, harmonics and temperature, with the given extra keys allowed. */
export function parseSsvepCommon(
  input: unknown,
  kind: string,
  defaults: { harmonics: number; temperature: number },
  extraKeys: readonly string[],
): SsvepCcaOptions & { readonly rest: Record<string, unknown> } {
  if (!isRecord(input)) throw new RangeError(`${kind} options must be an object with frequenciesHz (one per class); got ${JSON.stringify(input)}.`);
  const known = ['frequenciesHz', 'harmonics', 'temperature', ...extraKeys];
  for (const key of Object.keys(input)) {
    if (!known.includes(key)) throw new RangeError(`Unknown ${kind} option "${key}": the options are ${known.join(', ')}.`);
  }
  const f = input.frequenciesHz;
  if (!Array.isArray(f) || f.length < 2 || !f.every((x) => typeof x === 'number' && Number.isFinite(x) && x > 0)) {
    throw new RangeError(`${kind} needs frequenciesHz: one positive frequency per class (at least two), e.g. [30, 20]; got ${JSON.stringify(f)}.`);
  }
  if (new Set(f).size !== f.length) throw new RangeError(`${kind} frequenciesHz must all differ; got ${JSON.stringify(f)}.`);
  const harmonics = input.harmonics ?? defaults.harmonics;
  if (typeof harmonics !== 'number' || !Number.isInteger(harmonics) || harmonics < 1 || harmonics > 10) {
    throw new RangeError(`${kind} harmonics must be a whole number from 1 to 10; got ${JSON.stringify(harmonics)}.`);
  }
  const temperature = input.temperature ?? defaults.temperature;
  if (typeof temperature !== 'number' || !Number.isFinite(temperature) || temperature <= 0) {
    throw new RangeError(`${kind} temperature must be a positive number; got ${JSON.stringify(temperature)}.`);
  }
  return { frequenciesHz: f as number[], harmonics, temperature, rest: input };
}

/** Checks that the set's classes and rate suit the frequencies; throws a sentence. */
export function checkSsvepSetup(kind: string, classCount: number, frequenciesHz: readonly number[], harmonics: number, sampleRateHz: number): void {
  if (frequenciesHz.length !== classCount) {
    throw new RangeError(`${kind} needs one frequency per class: ${classCount} classes but ${frequenciesHz.length} frequencies.`);
  }
  const highestHz = Math.max(...frequenciesHz) * harmonics;
  if (highestHz >= sampleRateHz / 2) {
    throw new RangeError(
      `${kind}: harmonic ${harmonics} of ${Math.max(...frequenciesHz)} Hz (${highestHz} Hz) is at or above the Nyquist frequency ` +
        `(${sampleRateHz / 2} Hz at ${sampleRateHz} Hz): use fewer harmonics.`,
    );
  }
}

export class SsvepCcaDecoder implements Decoder {
  readonly kind = 'ssvep-cca' as const;
  readonly scorer: CcaScorer;
  private readonly scores: Float64Array;

  constructor(
    readonly classes: readonly string[],
    readonly channelCount: number,
    readonly rowCount: number,
    readonly sampleRateHz: number,
    readonly options: SsvepCcaOptions,
  ) {
    checkSsvepSetup('ssvep-cca', classes.length, options.frequenciesHz, options.harmonics, sampleRateHz);
    if (!Number.isInteger(rowCount) || rowCount < 2 * options.harmonics + 1) {
      throw new RangeError(`ssvep-cca needs a window longer than ${2 * options.harmonics} rows; got ${rowCount}.`);
    }
    this.scorer = new CcaScorer(channelCount, rowCount, sampleRateHz, options.frequenciesHz, options.harmonics);
    this.scores = new Float64Array(classes.length);
  }

  predictProba(window: Float64Array, out: Float64Array): void {
    const k = this.classes.length;
    if (out.length !== k) throw new RangeError(`predictProba writes ${k} probabilities; got an array of ${out.length}.`);
    this.scorer.correlations(window, this.scores);
    softmaxWithTemperature(this.scores, this.options.temperature, out, k);
  }

  toJSON(): JsonValue {
    return { version: 1, frequenciesHz: [...this.options.frequenciesHz], harmonics: this.options.harmonics, temperature: this.options.temperature };
  }
}

function parseOptions(input: unknown): SsvepCcaOptions {
  const { frequenciesHz, harmonics, temperature } = parseSsvepCommon(input, 'ssvep-cca', SSVEP_CCA_DEFAULTS, []);
  return { frequenciesHz, harmonics, temperature };
}

/** Drops the `version` field a model file carries; other fields are options. */
export function withoutVersion(params: JsonValue, kind: string): Record<string, unknown> {
  if (!isRecord(params)) throw new RangeError(`The ${kind} model parameters must be an object.`);
  const { version, ...rest } = params;
  if (version !== 1) throw new RangeError(`This ${kind} model has version ${JSON.stringify(version)}; this software reads version 1.`);
  return rest;
}

export const ssvepCca: DecoderModule<SsvepCcaOptions> = {
  kind: 'ssvep-cca',
  trainable: false,
  parseOptions,
  fit(set: EpochSet, options: SsvepCcaOptions): FitResult {
    return { decoder: new SsvepCcaDecoder(set.classes, set.channelCount, set.rowCount, set.sampleRateHz, options) };
  },
  fromJSON(params, classes, channelCount, rowCount, sampleRateHz) {
    return new SsvepCcaDecoder(classes, channelCount, rowCount, sampleRateHz, parseOptions(withoutVersion(params, 'ssvep-cca')));
  },
};
