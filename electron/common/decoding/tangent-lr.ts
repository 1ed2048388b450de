// The 'tangent-lr' decoder: the covariance of each window, mapped to the tangent space at the
// Riemannian mean of the training covariances (riemann.ts, as pyRiemann's TangentSpace), into
// L2-regularised logistic regression (logistic.ts, as scikit-learn's LogisticRegression) — the
// pyRiemann pipeline `make_pipeline(Covariances(estimator), TangentSpace(), LogisticRegression(C=C))`.
// Options:
//  - C: inverse regularisation strength of the logistic regression (default 1, scikit-learn's);
//  - shrinkage: of each window's covariance (centred, divided by the sample count): 'ledoit-wolf'
//    (default, pyRiemann's 'lwf' = scikit-learn's ledoit_wolf: robust with many channels and short
//    windows), 'none' (pyRiemann's 'scm') or a fixed number in [0, 1].
// The seed is not used: the fit is deterministic. The model file carries the reference (the
// Riemannian mean) and the logistic coefficients; predictProba allocates nothing.

import type { Decoder, DecoderModule, EpochSet, FitResult, JsonValue } from './decoder.js';
import { covarianceInto, type Shrinkage } from './linalg.js';
import { fitLogistic } from './logistic.js';
import { isRecord, linearModelFromJSON, linearModelToJSON, linearProba, matrixToJSON, numberMatrix, type LinearModel } from './linear.js';
import { asNumber, checkEpochSet, checkShape, checkWindow, optionRecord } from './module-checks.js';
import { riemannMean, TangentSpace, tangentFeatureCount } from './riemann.js';

export interface TangentLrOptions {
  readonly C: number;
  readonly shrinkage: Shrinkage;
}

export const TANGENT_LR_DEFAULTS: TangentLrOptions = { C: 1, shrinkage: 'ledoit-wolf' };

const KIND = 'tangent-lr';
const FORMAT_VERSION = 1;

function parseOptions(input: unknown): TangentLrOptions {
  const r = optionRecord(input, KIND, ['C', 'shrinkage']);
  let C = TANGENT_LR_DEFAULTS.C;
  if (r.C !== undefined) {
    const n = asNumber(r.C);
    if (n === null || !(n > 0)) throw new RangeError(`tangent-lr: C must be a positive number, the inverse regularisation strength (got ${JSON.stringify(r.C)}); 1 is scikit-learn's default`);
    C = n;
  }
  let shrinkage: Shrinkage = TANGENT_LR_DEFAULTS.shrinkage;
  if (r.shrinkage !== undefined) {
    if (r.shrinkage === 'none' || r.shrinkage === 'ledoit-wolf') shrinkage = r.shrinkage;
    else {
      const n = asNumber(r.shrinkage);
      if (n === null || n < 0 || n > 1) throw new RangeError(`tangent-lr: shrinkage must be 'ledoit-wolf', 'none' or a number from 0 to 1 (got ${JSON.stringify(r.shrinkage)})`);
      shrinkage = n;
    }
  }
  return { C, shrinkage };
}

/** Covariance of every epoch as the decoder computes it (centred, divided by the sample count, shrunk), row-major n×n each. */
export function epochCovariances(set: Pick<EpochSet, 'channelCount' | 'rowCount' | 'epochs'>, shrinkage: Shrinkage): Float64Array[] {
  const n = set.channelCount;
  const means = new Float64Array(n);
  const centred = new Float64Array(n * set.rowCount);
  return set.epochs.map((e) => {
    const cov = new Float64Array(n * n);
    covarianceInto(e, 0, n, set.rowCount, { centre: true, shrinkage }, cov, means, centred);
    return cov;
  });
}

class TangentLrDecoder implements Decoder {
  readonly kind = KIND;
  private readonly tangent: TangentSpace;
  private readonly covariance: Float64Array;
  private readonly means: Float64Array;
  private readonly centred: Float64Array;
  private readonly features: Float64Array;

  constructor(
    readonly classes: readonly string[],
    readonly channelCount: number,
    readonly rowCount: number,
    readonly options: TangentLrOptions,
    /** The Riemannian mean of the training covariances, row-major channelCount². */
    readonly reference: Float64Array,
    readonly classifier: LinearModel,
  ) {
    this.tangent = new TangentSpace(reference, channelCount);
    this.covariance = new Float64Array(channelCount * channelCount);
    this.means = new Float64Array(channelCount);
    this.centred = new Float64Array(channelCount * rowCount);
    this.features = new Float64Array(this.tangent.featureCount);
  }

  predictProba(window: Float64Array, out: Float64Array): void {
    checkWindow(KIND, window, this.channelCount, this.rowCount, out, this.classes.length);
    covarianceInto(window, 0, this.channelCount, this.rowCount, { centre: true, shrinkage: this.options.shrinkage }, this.covariance, this.means, this.centred);
    this.tangent.mapInto(this.covariance, this.features, 0);
    linearProba(this.classifier, this.features, 0, out);
  }

  toJSON(): JsonValue {
    return {
      version: FORMAT_VERSION,
      options: { C: this.options.C, shrinkage: this.options.shrinkage },
      reference: matrixToJSON(this.reference, this.channelCount, this.channelCount),
      classifier: linearModelToJSON(this.classifier),
    };
  }
}

function fit(set: EpochSet, requested: TangentLrOptions): FitResult {
  const options = parseOptions(requested);
  checkEpochSet(set, KIND);
  const n = set.channelCount;
  const covariances = epochCovariances(set, options.shrinkage);
  const { mean } = riemannMean(covariances, n);
  const tangent = new TangentSpace(mean, n);
  const features = tangent.map(covariances);
  const lr = fitLogistic(features, covariances.length, tangent.featureCount, set.labels, set.classes.length, { C: options.C });
  if (!lr.converged && lr.gradientNorm > 1e-6) {
    throw new RangeError(`tangent-lr: the logistic regression did not converge (gradient ${lr.gradientNorm.toPrecision(2)} after ${lr.iterations} iterations): try a smaller C`);
  }
  return { decoder: new TangentLrDecoder(set.classes, n, set.rowCount, options, mean, lr.model) };
}

function fromJSON(params: JsonValue, classes: readonly string[], channelCount: number, rowCount: number): Decoder {
  checkShape(KIND, classes, channelCount, rowCount);
  if (!isRecord(params)) throw new RangeError('the tangent-lr model parameters are missing or not an object');
  if (params.version !== FORMAT_VERSION) throw new RangeError(`the tangent-lr model parameters are version ${JSON.stringify(params.version)}; this software reads version ${FORMAT_VERSION}`);
  const options = parseOptions(params.options);
  if (Array.isArray(params.reference) && params.reference.length !== channelCount) {
    throw new RangeError(`the tangent-lr model is for ${params.reference.length} channels but the stream has ${channelCount}`);
  }
  const reference = numberMatrix(params.reference, channelCount, channelCount, "the tangent-lr model's reference");
  const classifier = linearModelFromJSON(params.classifier, classes.length, tangentFeatureCount(channelCount), "the tangent-lr model's classifier");
  return new TangentLrDecoder(classes, channelCount, rowCount, options, reference, classifier);
}

export const tangentLr: DecoderModule<TangentLrOptions> = {
  kind: KIND,
  trainable: true,
  parseOptions,
  fit: (set, options) => fit(set, options),
  fromJSON: (params, classes, channelCount, rowCount) => fromJSON(params, classes, channelCount, rowCount),
};
