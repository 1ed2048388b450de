// AdamW against PyTorch (Debian python3-torch), in float64 on both sides:
//   1. the optimiser alone: the same initial weights and the same sequence of gradients (given to
//      torch as param.grad) give the same weights after every step of a run, for PyTorch's
//      defaults and for other hyper-parameters;
//   2. the linear-adamw training step: the same initial weights and the same minibatches (index
//      lists into the same standardised features) through the model's own gradient
//      (CrossEntropyGradient) and AdamW (weights decayed, biases not: two parameter groups), and
//      through torch's autograd of F.cross_entropy and torch.optim.AdamW.
// The weights must agree to 1e-6 relative (max |ours − torch| / max |torch| per tensor).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AdamW, type AdamWOptions } from '../../../electron/common/decoding/adamw.js';
import { CrossEntropyGradient } from '../../../electron/common/decoding/linear-adamw.js';
import { Random } from '../../../electron/common/random.js';
import { pythonHas, runPython } from '../../support/python.js';
import { tempDir } from '../../support/tmp.js';

/** max |a − b| / max |b| */
function relativeDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < b.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return diff / scale;
}

const TORCH_OPTIMISER = `
import json, sys
import torch
spec = json.load(open(sys.argv[1]))
p = torch.tensor(spec['initial'], dtype=torch.float64, requires_grad=True)
kw = spec['torch']
opt = torch.optim.AdamW([p], **kw)
trace = []
for g in spec['gradients']:
    opt.zero_grad()
    p.grad = torch.tensor(g, dtype=torch.float64)
    opt.step()
    trace.append(p.detach().tolist())
print(json.dumps(trace))
`;

const TORCH_TRAINING = `
import json, sys
import torch
import torch.nn.functional as F
spec = json.load(open(sys.argv[1]))
x = torch.tensor(spec['x'], dtype=torch.float64)
y = torch.tensor(spec['labels'], dtype=torch.long)
w = torch.tensor(spec['w0'], dtype=torch.float64, requires_grad=True)
b = torch.tensor(spec['b0'], dtype=torch.float64, requires_grad=True)
o = spec['options']
opt = torch.optim.AdamW([{'params': [w], 'weight_decay': o['weightDecay']}, {'params': [b], 'weight_decay': 0.0}],
                        lr=o['learningRate'], betas=(o['beta1'], o['beta2']), eps=o['epsilon'])
for batch in spec['batches']:
    idx = torch.tensor(batch, dtype=torch.long)
    opt.zero_grad()
    loss = F.cross_entropy(x[idx] @ w.T + b, y[idx])
    loss.backward()
    opt.step()
print(json.dumps({'w': w.detach().flatten().tolist(), 'b': b.detach().tolist(), 'torch': torch.__version__}))
`;

describe.skipIf(!pythonHas('torch'))('AdamW against torch.optim.AdamW (float64)', () => {
  const dir = tempDir('bci-adamw-');

  it.each([
    ['defaults', {}, {}],
    ['lr 0.05, betas (0.8, 0.99), eps 1e-6, weight_decay 0.1', { learningRate: 0.05, beta1: 0.8, beta2: 0.99, epsilon: 1e-6, weightDecay: 0.1 }, { lr: 0.05, betas: [0.8, 0.99], eps: 1e-6, weight_decay: 0.1 }],
    ['lr 0.3, no weight decay', { learningRate: 0.3, weightDecay: 0 }, { lr: 0.3, weight_decay: 0 }],
  ] as [string, AdamWOptions, Record<string, unknown>][])('the optimiser alone (%s): the same weights after each of 300 steps', (_name, ours, torchOptions) => {
    const random = new Random(17);
    const n = 12;
    const steps = 300;
    const initial = Array.from({ length: n }, () => random.nextGaussian());
    // gradients of varied scale and sign, some exactly zero, as a training run gives
    const gradients = Array.from({ length: steps }, (_, t) => Array.from({ length: n }, (_, i) => (i === 3 && t % 7 === 0 ? 0 : random.nextGaussian() * 10 ** ((i % 5) - 2))));
    const path = join(dir, 'optimiser.json');
    writeFileSync(path, JSON.stringify({ initial, gradients, torch: torchOptions }));
    const trace = runPython<number[][]>(TORCH_OPTIMISER, [path]);

    const optimiser = new AdamW(n, ours);
    const p = Float64Array.from(initial);
    let worst = 0;
    gradients.forEach((g, t) => {
      optimiser.step(p, Float64Array.from(g));
      worst = Math.max(worst, relativeDifference(p, trace[t]));
    });
    console.log(`AdamW (${_name}), ${steps} steps: max relative difference from torch.optim.AdamW ${worst.toExponential(2)}`);
    expect(worst).toBeLessThan(1e-6);
  });

  it('the linear-adamw step: the same weights as torch after 20 epochs of the same minibatches', () => {
    const random = new Random(23);
    const n = 90;
    const f = 8;
    const k = 3;
    const labels = Int32Array.from({ length: n }, (_, i) => i % k);
    // features that depend on the class, standardised-looking
    const x = Float64Array.from({ length: n * f }, (_, j) => random.nextGaussian() + (Math.floor(j / f) % k === j % f % k ? 0.8 : 0));
    const w = Float64Array.from({ length: k * f }, () => 0.1 * random.nextGaussian());
    const b = Float64Array.from({ length: k }, () => 0.1 * random.nextGaussian());
    const options = { learningRate: 0.02, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0.05 };
    const batchSize = 16;
    const order = Int32Array.from({ length: n }, (_, i) => i);
    const batches: number[][] = [];
    for (let epoch = 0; epoch < 20; epoch++) {
      for (let i = n - 1; i > 0; i--) {
        const j = random.nextInt(i + 1);
        [order[i], order[j]] = [order[j], order[i]];
      }
      for (let s = 0; s < n; s += batchSize) batches.push(Array.from(order.subarray(s, Math.min(n, s + batchSize))));
    }
    const path = join(dir, 'training.json');
    writeFileSync(
      path,
      JSON.stringify({
        x: Array.from({ length: n }, (_, s) => Array.from(x.subarray(s * f, (s + 1) * f))),
        labels: Array.from(labels),
        w0: Array.from({ length: k }, (_, j) => Array.from(w.subarray(j * f, (j + 1) * f))),
        b0: Array.from(b),
        options,
        batches,
      }),
    );
    const torch = runPython<{ w: number[]; b: number[]; torch: string }>(TORCH_TRAINING, [path]);

    const gradient = new CrossEntropyGradient(f, k);
    const optimiserW = new AdamW(k * f, options);
    const optimiserB = new AdamW(k, { ...options, weightDecay: 0 });
    const gw = new Float64Array(k * f);
    const gb = new Float64Array(k);
    for (const batch of batches) {
      gradient.compute(x, labels, Int32Array.from(batch), 0, batch.length, w, b, gw, gb);
      optimiserW.step(w, gw);
      optimiserB.step(b, gb);
    }
    const dw = relativeDifference(w, torch.w);
    const db = relativeDifference(b, torch.b);
    console.log(`linear-adamw, ${batches.length} minibatch steps: relative difference from torch ${torch.torch}: weights ${dw.toExponential(2)}, biases ${db.toExponential(2)}`);
    expect(dw).toBeLessThan(1e-6);
    expect(db).toBeLessThan(1e-6);
  });
});
