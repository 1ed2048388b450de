// AdamW (Loshchilov & Hutter, "Decoupled weight decay regularization") over one Float64Array of
// parameters, with the arithmetic of PyTorch's `torch.optim.AdamW` (single-tensor path, amsgrad
// off, maximize off), so that the same initial weights and gradients give the same weights:
//
//   t ← t + 1
//   p ← p · (1 − lr·λ)                                 decoupled weight decay, before the Adam step
//   m ← β1·m + (1 − β1)·g
//   v ← β2·v + (1 − β2)·g²
//   p ← p − (lr / (1 − β1^t)) · m / (√v / √(1 − β2^t) + ε)
//
// Defaults are PyTorch's: lr 1e-3, betas (0.9, 0.999), eps 1e-8, weight_decay 1e-2. A PyTorch
// parameter group is one AdamW here: parameters that must not decay (biases) get their own
// instance with weightDecay 0. `step` allocates nothing. Owns the optimiser state only.

export interface AdamWOptions {
  /** Step size (PyTorch `lr`). */
  readonly learningRate?: number;
  /** Decay of the first-moment average (PyTorch `betas[0]`). */
  readonly beta1?: number;
  /** Decay of the second-moment average (PyTorch `betas[1]`). */
  readonly beta2?: number;
  /** Added to the bias-corrected √v (PyTorch `eps`). */
  readonly epsilon?: number;
  /** Decoupled weight decay λ (PyTorch `weight_decay`): each step multiplies p by 1 − lr·λ. */
  readonly weightDecay?: number;
}

export const ADAMW_DEFAULTS: Required<AdamWOptions> = {
  learningRate: 1e-3,
  beta1: 0.9,
  beta2: 0.999,
  epsilon: 1e-8,
  weightDecay: 1e-2,
};

function checkRange(name: string, value: number, low: number, high: number, highOpen: boolean): void {
  const ok = Number.isFinite(value) && value >= low && (highOpen ? value < high : value <= high);
  if (!ok) throw new RangeError(`AdamW ${name} must be a number from ${low} to ${high}${highOpen ? ' (exclusive)' : ''}; got ${String(value)}.`);
}

/** Fills in PyTorch's defaults and checks the ranges PyTorch checks; throws a sentence. */
export function resolveAdamWOptions(options: AdamWOptions = {}): Required<AdamWOptions> {
  const resolved = { ...ADAMW_DEFAULTS, ...options };
  checkRange('learning rate', resolved.learningRate, 0, Number.MAX_VALUE, false);
  checkRange('beta1', resolved.beta1, 0, 1, true);
  checkRange('beta2', resolved.beta2, 0, 1, true);
  checkRange('epsilon', resolved.epsilon, 0, Number.MAX_VALUE, false);
  checkRange('weight decay', resolved.weightDecay, 0, Number.MAX_VALUE, false);
  return resolved;
}

/** The optimiser state for one group of parameters (a flat Float64Array). */
export class AdamW {
  readonly parameterCount: number;
  readonly learningRate: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  readonly weightDecay: number;
  private readonly firstMoment: Float64Array;
  private readonly secondMoment: Float64Array;
  private steps = 0;

  constructor(parameterCount: number, options: AdamWOptions = {}) {
    if (!Number.isInteger(parameterCount) || parameterCount < 1) {
      throw new RangeError(`AdamW needs a whole number of parameters (1 or more); got ${parameterCount}.`);
    }
    const o = resolveAdamWOptions(options);
    this.parameterCount = parameterCount;
    this.learningRate = o.learningRate;
    this.beta1 = o.beta1;
    this.beta2 = o.beta2;
    this.epsilon = o.epsilon;
    this.weightDecay = o.weightDecay;
    this.firstMoment = new Float64Array(parameterCount);
    this.secondMoment = new Float64Array(parameterCount);
  }

  /** Steps taken so far (PyTorch's `state['step']`). */
  get stepCount(): number {
    return this.steps;
  }

  /** Forgets the moments and the step count. */
  reset(): void {
    this.firstMoment.fill(0);
    this.secondMoment.fill(0);
    this.steps = 0;
  }

  /**
   * One optimiser step: updates `parameters` in place from `gradients` (both of length
   * `parameterCount`, gradients of the loss to minimise). Allocates nothing.
   */
  step(parameters: Float64Array, gradients: Float64Array): void {
    const n = this.parameterCount;
    if (parameters.length !== n || gradients.length !== n) {
      throw new RangeError(`AdamW was made for ${n} parameters; got ${parameters.length} parameters and ${gradients.length} gradients.`);
    }
    this.steps++;
    const lr = this.learningRate;
    const beta1 = this.beta1;
    const beta2 = this.beta2;
    const decay = 1 - lr * this.weightDecay;
    // The same operations, in the same order, as torch.optim.adamw._single_tensor_adamw.
    const biasCorrection1 = 1 - beta1 ** this.steps;
    const biasCorrection2 = 1 - beta2 ** this.steps;
    const stepSize = lr / biasCorrection1;
    const biasCorrection2Sqrt = Math.sqrt(biasCorrection2);
    const eps = this.epsilon;
    const m = this.firstMoment;
    const v = this.secondMoment;
    const oneMinusBeta1 = 1 - beta1;
    const oneMinusBeta2 = 1 - beta2;
    for (let i = 0; i < n; i++) {
      const g = gradients[i];
      const p = parameters[i] * decay;
      const mi = m[i] * beta1 + oneMinusBeta1 * g;
      const vi = v[i] * beta2 + oneMinusBeta2 * g * g;
      m[i] = mi;
      v[i] = vi;
      const denominator = Math.sqrt(vi) / biasCorrection2Sqrt + eps;
      parameters[i] = p + (-stepSize * mi) / denominator;
    }
  }
}
