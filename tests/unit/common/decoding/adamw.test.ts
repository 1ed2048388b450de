// AdamW (electron/common/decoding/adamw.ts): PyTorch's defaults, the first step written out by
// hand, decoupled weight decay (a zero gradient only shrinks the weights by 1 − lr·λ per step),
// and the ranges it refuses. The comparison with torch.optim.AdamW itself is in
// tests/integration/decoding/adamw-torch.test.ts.
import { describe, expect, it } from 'vitest';
import { ADAMW_DEFAULTS, AdamW } from '../../../../electron/common/decoding/adamw.js';

describe('AdamW', () => {
  it("has PyTorch's defaults", () => {
    expect(ADAMW_DEFAULTS).toEqual({ learningRate: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 1e-2 });
    const o = new AdamW(3);
    expect([o.learningRate, o.beta1, o.beta2, o.epsilon, o.weightDecay]).toEqual([1e-3, 0.9, 0.999, 1e-8, 1e-2]);
  });

  it('first and second steps as the formulas give them', () => {
    const lr = 0.1;
    const wd = 0.05;
    const o = new AdamW(2, { learningRate: lr, weightDecay: wd, beta1: 0.8, beta2: 0.9, epsilon: 1e-3 });
    const p = Float64Array.of(1, -2);
    const g1 = [0.5, -4];
    o.step(p, Float64Array.from(g1));
    // step 1: m̂ = g, v̂ = g², so the update is lr·g / (|g| + eps)
    const after1 = [1, -2].map((x, i) => x * (1 - lr * wd) - (lr * g1[i]) / (Math.abs(g1[i]) + 1e-3));
    expect(p[0]).toBeCloseTo(after1[0], 14);
    expect(p[1]).toBeCloseTo(after1[1], 14);
    const g2 = [-1, 2];
    o.step(p, Float64Array.from(g2));
    const after2 = after1.map((x, i) => {
      const m = 0.8 * (0.2 * g1[i]) + 0.2 * g2[i];
      const v = 0.9 * (0.1 * g1[i] ** 2) + 0.1 * g2[i] ** 2;
      return x * (1 - lr * wd) - ((lr / (1 - 0.8 ** 2)) * m) / (Math.sqrt(v) / Math.sqrt(1 - 0.9 ** 2) + 1e-3);
    });
    expect(p[0]).toBeCloseTo(after2[0], 14);
    expect(p[1]).toBeCloseTo(after2[1], 14);
    expect(o.stepCount).toBe(2);
  });

  it('decays the weights apart from the gradient: a zero gradient only shrinks them', () => {
    const o = new AdamW(3, { learningRate: 0.01, weightDecay: 0.5 });
    const p = Float64Array.of(1, -3, 0.25);
    const zero = new Float64Array(3);
    for (let i = 0; i < 10; i++) o.step(p, zero);
    const factor = (1 - 0.01 * 0.5) ** 10;
    expect(Array.from(p)).toEqual([1 * factor, -3 * factor, 0.25 * factor].map((x, i) => expect.closeTo(x, 15 - i)));
    o.reset();
    expect(o.stepCount).toBe(0);
  });

  it('refuses what PyTorch refuses, with a sentence', () => {
    expect(() => new AdamW(0)).toThrow(/whole number of parameters/);
    expect(() => new AdamW(2, { learningRate: -1 })).toThrow(/learning rate/);
    expect(() => new AdamW(2, { beta1: 1 })).toThrow(/beta1 must be a number from 0 to 1 \(exclusive\)/);
    expect(() => new AdamW(2, { beta2: -0.1 })).toThrow(/beta2/);
    expect(() => new AdamW(2, { epsilon: Number.NaN })).toThrow(/epsilon/);
    expect(() => new AdamW(2, { weightDecay: -1e-3 })).toThrow(/weight decay/);
    expect(() => new AdamW(2).step(new Float64Array(2), new Float64Array(3))).toThrow(/made for 2 parameters/);
  });
});
