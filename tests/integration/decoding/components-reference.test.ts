// The decoders' parts against their references, on seeded synthetic data computed here and handed
// to Python in a file: scikit-learn's ledoit_wolf and LinearDiscriminantAnalysis (svd; lsqr with
// 'auto' and fixed shrinkage; two and three classes), LogisticRegression (binary and
// multinomial; solver 'newton-cg' at tol 1e-12, because its default lbfgs stops on SciPy's
// relative-decrease test (ftol ≈ 2e-9) some 1e-5 short of the optimum), SciPy's eigh(A, B), and MNE's CSP beyond the default (three classes through
// approximate joint diagonalisation, 'epoch' covariances, Ledoit-Wolf and fixed `reg`).

import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { covarianceInto, fromRowMajor, generalizedSymmetricEigen } from '../../../electron/common/decoding/linalg.js';
import { fitLda, type LdaOptions } from '../../../electron/common/decoding/lda.js';
import { fitLogistic } from '../../../electron/common/decoding/logistic.js';
import { linearProba } from '../../../electron/common/decoding/linear.js';
import { fitCsp, type CspOptions } from '../../../electron/common/decoding/csp.js';
import { pythonHas, runPython } from '../../support/python.js';
import { tempDir } from '../../support/tmp.js';
import { syntheticEpochs, randomSpd } from '../../unit/common/decoding/synthetic.js';
import { Random } from '../../../electron/common/random.js';
import { writeEpochs } from './physionet.js';

const script = `
import json, sys, numpy as np, warnings
warnings.filterwarnings('ignore')
from scipy.linalg import eigh
from sklearn.covariance import ledoit_wolf
from sklearn.discriminant_analysis import LinearDiscriminantAnalysis as LDA
from sklearn.linear_model import LogisticRegression
import mne
from mne.decoding import CSP
mne.set_log_level('ERROR')
req = json.load(open(sys.argv[1]))
out = {}
E = np.array(req['lw_epoch'])
c, s = ledoit_wolf(E.T)
out['lw'] = dict(cov=c.tolist(), shrinkage=float(s))
w, V = eigh(np.array(req['A']), np.array(req['B']))
out['eigh'] = w.tolist()
out['lda'] = []
for case in req['lda']:
    X, y = np.array(case['x']), np.array(case['y'])
    kw = dict(solver=case['solver']) if case['shrinkage'] == 'none' else dict(solver=case['solver'], shrinkage=case['shrinkage'])
    out['lda'].append(LDA(**kw).fit(X, y).predict_proba(X).tolist())
out['lr'] = []
for case in req['lr']:
    X, y = np.array(case['x']), np.array(case['y'])
    # (newton-cg reaches the optimum in a few dozen iterations and then cannot meet tol 1e-12 in
    # floating point: 200 iterations give the same probabilities bit for bit as 100 000, in 20 ms, not 11 s)
    out['lr'].append(LogisticRegression(C=case['C'], solver='newton-cg', tol=1e-12, max_iter=200).fit(X, y).predict_proba(X).tolist())
out['csp'] = []
for case in req['csp']:
    X = np.fromfile(case['epochs'], dtype='<f8').reshape(case['n'], case['channels'], case['rows'])
    reg = case['reg']
    csp = CSP(n_components=case['components'], reg=None if reg == 'none' else ('ledoit_wolf' if reg == 'ledoit-wolf' else reg), cov_est=case['cov_est'], log=True)
    csp.fit(X, np.array(case['y']))
    out['csp'].append(dict(filters=csp.filters_[:case['components']].tolist(), features=csp.transform(X).tolist()))
json.dump(out, sys.stdout)
`;

interface Reference {
  lw: { cov: number[][]; shrinkage: number };
  eigh: number[];
  lda: number[][][];
  lr: number[][][];
  csp: { filters: number[][]; features: number[][] }[];
}

function table(n: number, p: number, classCount: number, seed: number): { x: Float64Array; y: Int32Array; rows: number[][] } {
  const r = new Random(seed);
  const x = new Float64Array(n * p);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = i % classCount;
    for (let j = 0; j < p; j++) x[i * p + j] = 0.8 * y[i] * Math.sin(1 + j * (y[i] + 1)) + r.nextGaussian() * (1 + 0.2 * j) + (j > 0 ? 0.5 * x[i * p] : 0);
  }
  return { x, y, rows: Array.from({ length: n }, (_, i) => Array.from(x.subarray(i * p, (i + 1) * p))) };
}

describe.skipIf(!pythonHas('sklearn') || !pythonHas('scipy') || !pythonHas('mne'))('decoder parts agree with scikit-learn, SciPy and MNE', () => {
  it('Ledoit-Wolf, eigh(A, B), LDA, logistic regression and CSP variants', () => {
    const dir = tempDir('bci-parts-');
    const random = new Random(5);
    // Ledoit-Wolf on one planar epoch (channels × samples)
    const lwSet = syntheticEpochs({ channelCount: 6, rowCount: 50, epochsPerClass: 1, classCount: 2, seed: 2 });
    const lwEpoch = lwSet.epochs[0];
    // generalised eigenproblem
    const a = randomSpd(7, random);
    const b = randomSpd(7, random);
    // classifiers
    const ldaCases: { t: ReturnType<typeof table>; classCount: number; options: LdaOptions }[] = [
      { t: table(40, 4, 2, 1), classCount: 2, options: { solver: 'svd', shrinkage: 'none' } },
      { t: table(40, 4, 2, 1), classCount: 2, options: { solver: 'lsqr', shrinkage: 'auto' } },
      { t: table(45, 5, 3, 2), classCount: 3, options: { solver: 'svd', shrinkage: 'none' } },
      { t: table(45, 5, 3, 2), classCount: 3, options: { solver: 'lsqr', shrinkage: 0.3 } },
    ];
    const lrCases = [
      { t: table(40, 6, 2, 3), classCount: 2, C: 0.5 },
      { t: table(60, 4, 3, 4), classCount: 3, C: 2 },
    ];
    // CSP variants
    const cspCases: { set: ReturnType<typeof syntheticEpochs>; options: CspOptions }[] = [
      { set: syntheticEpochs({ channelCount: 6, rowCount: 120, epochsPerClass: 12, classCount: 3, seed: 4 }), options: { componentCount: 4, covarianceEstimate: 'concat', regularization: 'none' } },
      { set: syntheticEpochs({ channelCount: 6, rowCount: 120, epochsPerClass: 12, classCount: 3, seed: 4 }), options: { componentCount: 3, covarianceEstimate: 'epoch', regularization: 'none' } },
      { set: syntheticEpochs({ channelCount: 8, rowCount: 60, epochsPerClass: 10, classCount: 2, seed: 6 }), options: { componentCount: 4, covarianceEstimate: 'concat', regularization: 'ledoit-wolf' } },
      { set: syntheticEpochs({ channelCount: 8, rowCount: 60, epochsPerClass: 10, classCount: 2, seed: 6 }), options: { componentCount: 2, covarianceEstimate: 'epoch', regularization: 0.1 } },
    ];
    const request = join(dir, 'request.json');
    writeFileSync(
      request,
      JSON.stringify({
        lw_epoch: Array.from({ length: 6 }, (_, c) => Array.from(lwEpoch.subarray(c * 50, (c + 1) * 50))),
        A: Array.from({ length: 7 }, (_, i) => Array.from(a.subarray(i * 7, (i + 1) * 7))),
        B: Array.from({ length: 7 }, (_, i) => Array.from(b.subarray(i * 7, (i + 1) * 7))),
        lda: ldaCases.map((c) => ({ x: c.t.rows, y: Array.from(c.t.y), solver: c.options.solver, shrinkage: c.options.shrinkage })),
        lr: lrCases.map((c) => ({ x: c.t.rows, y: Array.from(c.t.y), C: c.C })),
        csp: cspCases.map((c, i) => ({
          epochs: writeEpochs(dir, c.set, `csp-${i}.f64`),
          n: c.set.epochs.length,
          channels: c.set.channelCount,
          rows: c.set.rowCount,
          y: Array.from(c.set.labels),
          components: c.options.componentCount,
          cov_est: c.options.covarianceEstimate,
          reg: c.options.regularization,
        })),
      }),
    );
    const ref = runPython<Reference>(script, [request]);
    const note = (line: string): void => console.log(line);

    const cov = new Float64Array(36);
    const shrinkage = covarianceInto(lwEpoch, 0, 6, 50, { centre: true, shrinkage: 'ledoit-wolf' }, cov, new Float64Array(6));
    const lwDiff = Math.max(...Array.from(cov, (v, k) => Math.abs(v - ref.lw.cov[Math.floor(k / 6)][k % 6])));
    note(`ledoit_wolf: shrinkage ${shrinkage} vs ${ref.lw.shrinkage}; max |Δcov| ${lwDiff.toExponential(1)}`);
    expect(shrinkage).toBeCloseTo(ref.lw.shrinkage, 13);
    expect(lwDiff).toBeLessThan(1e-13);

    const { values } = generalizedSymmetricEigen(fromRowMajor(a, 7, 7), fromRowMajor(b, 7, 7));
    const eigDiff = Math.max(...Array.from(values, (v, k) => Math.abs(v - ref.eigh[k]) / Math.abs(ref.eigh[k])));
    note(`eigh(A, B): max relative |Δλ| ${eigDiff.toExponential(1)}`);
    expect(eigDiff).toBeLessThan(1e-12);

    ldaCases.forEach((c, i) => {
      const model = fitLda(c.t.x, c.t.y.length, c.t.rows[0].length, c.t.y, c.classCount, c.options);
      const out = new Float64Array(c.classCount);
      let worst = 0;
      c.t.rows.forEach((_, r) => {
        linearProba(model, c.t.x, r * c.t.rows[0].length, out);
        for (let k = 0; k < c.classCount; k++) worst = Math.max(worst, Math.abs(out[k] - ref.lda[i][r][k]));
      });
      note(`LDA ${c.options.solver} shrinkage ${c.options.shrinkage}, ${c.classCount} classes: max |Δp| ${worst.toExponential(1)}`);
      expect(worst).toBeLessThan(1e-10);
    });

    lrCases.forEach((c, i) => {
      const p = c.t.rows[0].length;
      const fit = fitLogistic(c.t.x, c.t.y.length, p, c.t.y, c.classCount, { C: c.C });
      expect(fit.converged).toBe(true);
      const out = new Float64Array(c.classCount);
      let worst = 0;
      c.t.rows.forEach((_, r) => {
        linearProba(fit.model, c.t.x, r * p, out);
        for (let k = 0; k < c.classCount; k++) worst = Math.max(worst, Math.abs(out[k] - ref.lr[i][r][k]));
      });
      note(`LogisticRegression C=${c.C}, ${c.classCount} classes: max |Δp| ${worst.toExponential(1)} (${fit.iterations} L-BFGS iterations)`);
      expect(worst).toBeLessThan(1e-8);
    });

    cspCases.forEach((c, i) => {
      const n = c.set.channelCount;
      const fit = fitCsp({ channelCount: n, rowCount: c.set.rowCount, epochs: c.set.epochs, labels: c.set.labels, classCount: c.set.classes.length }, c.options);
      let worstCos = 0;
      for (let k = 0; k < c.options.componentCount; k++) {
        const u = fit.filters.subarray(k * n, (k + 1) * n);
        const v = ref.csp[i].filters[k];
        let uv = 0, uu = 0, vv = 0;
        for (let j = 0; j < n; j++) {
          uv += u[j] * v[j];
          uu += u[j] * u[j];
          vv += v[j] * v[j];
        }
        worstCos = Math.max(worstCos, 1 - Math.abs(uv) / Math.sqrt(uu * vv));
      }
      let worstFeature = 0;
      const features = new Float64Array(c.options.componentCount);
      c.set.epochs.forEach((e, t) => {
        for (let k = 0; k < c.options.componentCount; k++) {
          let power = 0;
          for (let r = 0; r < c.set.rowCount; r++) {
            let s = 0;
            for (let j = 0; j < n; j++) s += fit.filters[k * n + j] * e[j * c.set.rowCount + r];
            power += s * s;
          }
          features[k] = Math.log(power / c.set.rowCount);
          worstFeature = Math.max(worstFeature, Math.abs(features[k] - ref.csp[i].features[t][k]));
        }
      });
      note(`CSP ${c.set.classes.length} classes, ${c.options.covarianceEstimate}, reg ${c.options.regularization}: max 1 − |cos| ${worstCos.toExponential(1)}; max |Δfeature| ${worstFeature.toExponential(1)}`);
      expect(worstCos).toBeLessThan(1e-9);
      expect(worstFeature).toBeLessThan(1e-8);
    });
  });
});
