// The 'csp-lda' decoder: CSP log-power features (csp.ts, as MNE's CSP with log=True) into linear
// discriminant analysis (lda.ts, as scikit-learn's LinearDiscriminantAnalysis), the classic
// motor-imagery pipeline `make_pipeline(CSP(n_components=4, log=True), LinearDiscriminantAnalysis())`.
// Options:
//  - components: CSP filters kept (default 4, MNE's default and its motor-imagery example's);
//  - shrinkage: LDA shrinkage: 'none' (scikit-learn's default 'svd' solver), 'auto' (Ledoit-Wolf)
//    or a number in [0, 1] (both with the 'lsqr' solver);
//  - covariance: the CSP class covariance, 'concat' (MNE's default) or 'epoch';
//  - cspShrinkage: CSP regularisation, MNE's `reg`: 'none' (its default), 'ledoit-wolf' or a
//    number in [0, 1]; needed when the channels are linearly dependent (common average reference).
// The seed is not used: the fit is deterministic. The model file carries the filters and the LDA
// coefficients; predictProba allocates nothing.

import type { Decoder, DecoderModule, EpochSet, FitResult, JsonValue } from './decoder.js';
import { cspFeaturesInto, cspOptionProblems, fitCsp, type CspCovarianceEstimate, type CspOptions } from './csp.js';
import type { Shrinkage } from './linalg.js';
import { fitLda, type LdaShrinkage } from './lda.js';
import { isRecord, linearModelFromJSON, linearModelToJSON, linearProba, matrixToJSON, numberMatrix, type LinearModel } from './linear.js';
import { asNumber, checkEpochSet, checkShape, checkWindow, optionRecord } from './module-checks.js';

export interface CspLdaOptions {
  readonly components: number;
  readonly shrinkage: LdaShrinkage;
  readonly covariance: CspCovarianceEstimate;
  readonly cspShrinkage: Shrinkage;
}

export const CSP_LDA_DEFAULTS: CspLdaOptions = { components: 4, shrinkage: 'none', covariance: 'concat', cspShrinkage: 'none' };

const KIND = 'csp-lda';
const FORMAT_VERSION = 1;

function parseOptions(input: unknown): CspLdaOptions {
  const r = optionRecord(input, KIND, ['components', 'shrinkage', 'covariance', 'cspShrinkage']);
  let components = CSP_LDA_DEFAULTS.components;
  if (r.components !== undefined) {
    const n = asNumber(r.components);
    if (n === null || !Number.isInteger(n) || n < 1) throw new RangeError(`csp-lda: components must be a whole number of CSP filters, at least 1 (got ${JSON.stringify(r.components)}); 4 is usual`);
    components = n;
  }
  let shrinkage: LdaShrinkage = CSP_LDA_DEFAULTS.shrinkage;
  if (r.shrinkage !== undefined) {
    if (r.shrinkage === 'none' || r.shrinkage === 'auto') shrinkage = r.shrinkage;
    else {
      const n = asNumber(r.shrinkage);
      if (n === null || n < 0 || n > 1) throw new RangeError(`csp-lda: shrinkage must be 'none', 'auto' (Ledoit-Wolf) or a number from 0 to 1 (got ${JSON.stringify(r.shrinkage)})`);
      shrinkage = n;
    }
  }
  let covariance = CSP_LDA_DEFAULTS.covariance;
  if (r.covariance !== undefined) {
    if (r.covariance !== 'concat' && r.covariance !== 'epoch') throw new RangeError(`csp-lda: covariance must be 'concat' (epochs joined, MNE's default) or 'epoch' (mean of per-epoch covariances) (got ${JSON.stringify(r.covariance)})`);
    covariance = r.covariance;
  }
  let cspShrinkage: Shrinkage = CSP_LDA_DEFAULTS.cspShrinkage;
  if (r.cspShrinkage !== undefined) {
    if (r.cspShrinkage === 'none' || r.cspShrinkage === 'ledoit-wolf') cspShrinkage = r.cspShrinkage;
    else {
      const n = asNumber(r.cspShrinkage);
      if (n === null || n < 0 || n > 1) throw new RangeError(`csp-lda: cspShrinkage must be 'none', 'ledoit-wolf' or a number from 0 to 1 (got ${JSON.stringify(r.cspShrinkage)})`);
      cspShrinkage = n;
    }
  }
  return { components, shrinkage, covariance, cspShrinkage };
}

class CspLdaDecoder implements Decoder {
  readonly kind = KIND;
  private readonly features: Float64Array;
  private readonly filtered: Float64Array;

  constructor(
    readonly classes: readonly string[],
    readonly channelCount: number,
    readonly rowCount: number,
    readonly options: CspLdaOptions,
    /** Row-major components × channelCount. */
    readonly filters: Float64Array,
    readonly classifier: LinearModel,
  ) {
    this.features = new Float64Array(options.components);
    this.filtered = new Float64Array(rowCount);
  }

  predictProba(window: Float64Array, out: Float64Array): void {
    checkWindow(KIND, window, this.channelCount, this.rowCount, out, this.classes.length);
    cspFeaturesInto(this.filters, this.options.components, this.channelCount, window, this.rowCount, this.features, 0, this.filtered);
    linearProba(this.classifier, this.features, 0, out);
  }

  toJSON(): JsonValue {
    const { components, shrinkage, covariance, cspShrinkage } = this.options;
    return {
      version: FORMAT_VERSION,
      options: { components, shrinkage, covariance, cspShrinkage },
      filters: matrixToJSON(this.filters, components, this.channelCount),
      classifier: linearModelToJSON(this.classifier),
    };
  }
}

/** The CSP log-power features of every epoch, row-major epochs × components. */
export function cspFeatureTable(filters: Float64Array, components: number, set: Pick<EpochSet, 'channelCount' | 'rowCount' | 'epochs'>): Float64Array {
  const table = new Float64Array(set.epochs.length * components);
  const scratch = new Float64Array(set.rowCount);
  set.epochs.forEach((e, i) => cspFeaturesInto(filters, components, set.channelCount, e, set.rowCount, table, i * components, scratch));
  return table;
}

function fit(set: EpochSet, requested: CspLdaOptions): FitResult {
  const options = parseOptions(requested);
  checkEpochSet(set, KIND);
  const cspOptions: CspOptions = { componentCount: options.components, covarianceEstimate: options.covariance, regularization: options.cspShrinkage };
  const problems = cspOptionProblems(cspOptions, set.channelCount);
  if (problems.length > 0) throw new RangeError(`csp-lda: ${problems.join('; ')}`);
  const classCount = set.classes.length;
  const csp = fitCsp({ channelCount: set.channelCount, rowCount: set.rowCount, epochs: set.epochs, labels: set.labels, classCount }, cspOptions);
  const features = cspFeatureTable(csp.filters, options.components, set);
  const classifier = fitLda(features, set.epochs.length, options.components, set.labels, classCount, { solver: options.shrinkage === 'none' ? 'svd' : 'lsqr', shrinkage: options.shrinkage });
  return { decoder: new CspLdaDecoder(set.classes, set.channelCount, set.rowCount, options, csp.filters, classifier) };
}

function fromJSON(params: JsonValue, classes: readonly string[], channelCount: number, rowCount: number): Decoder {
  checkShape(KIND, classes, channelCount, rowCount);
  if (!isRecord(params)) throw new RangeError('the csp-lda model parameters are missing or not an object');
  if (params.version !== FORMAT_VERSION) throw new RangeError(`the csp-lda model parameters are version ${JSON.stringify(params.version)}; this software reads version ${FORMAT_VERSION}`);
  const options = parseOptions(params.options);
  if (options.components > channelCount) throw new RangeError(`the csp-lda model has ${options.components} CSP filters but the stream has only ${channelCount} channels`);
  if (Array.isArray(params.filters) && Array.isArray(params.filters[0]) && params.filters[0].length !== channelCount) {
    throw new RangeError(`the csp-lda model's filters are for ${params.filters[0].length} channels but the stream has ${channelCount}`);
  }
  const filters = numberMatrix(params.filters, options.components, channelCount, "the csp-lda model's filters");
  const classifier = linearModelFromJSON(params.classifier, classes.length, options.components, "the csp-lda model's classifier");
  return new CspLdaDecoder(classes, channelCount, rowCount, options, filters, classifier);
}

export const cspLda: DecoderModule<CspLdaOptions> = {
  kind: KIND,
  trainable: true,
  parseOptions,
  fit: (set, options) => fit(set, options),
  fromJSON: (params, classes, channelCount, rowCount) => fromJSON(params, classes, channelCount, rowCount),
};
