// Decoder benchmark: training time of 'csp-lda' and 'tangent-lr' on 90 trials × 64 channels × 1 s
// at 250 Hz (seeded synthetic epochs), and prediction time per window, against MNE CSP +
// scikit-learn LDA and a NumPy/SciPy/scikit-learn tangent-space pipeline (Ledoit-Wolf
// covariances, pyRiemann's mean_riemann iteration with eigh, log map, LogisticRegression) on the
// same epochs in the same run, timed inside Python. Measures, never asserts.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cspLda } from '../../electron/common/decoding/csp-lda.js';
import { tangentLr } from '../../electron/common/decoding/tangent-lr.js';
import type { EpochSet } from '../../electron/common/decoding/decoder.js';
import { Random } from '../../electron/common/random.js';

export interface DecoderBenchRow {
  readonly decoder: string;
  readonly metric: string;
  readonly oursMs: number;
  readonly referenceMs: number;
  readonly reference: string;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** 90 epochs, two classes: one mixed source per class with 1.5× the amplitude. */
function epochs(channelCount: number, rowCount: number, count: number): EpochSet {
  const random = new Random(90);
  const mixing = Float64Array.from({ length: channelCount * channelCount }, () => random.nextGaussian());
  const list: Float64Array[] = [];
  const labels = new Int32Array(count);
  const source = new Float64Array(channelCount * rowCount);
  for (let e = 0; e < count; e++) {
    labels[e] = e % 2;
    for (let s = 0; s < channelCount; s++) for (let t = 0; t < rowCount; t++) source[s * rowCount + t] = (s === labels[e] ? 1.5 : 1) * random.nextGaussian();
    const epoch = new Float64Array(channelCount * rowCount);
    for (let c = 0; c < channelCount; c++) for (let s = 0; s < channelCount; s++) for (let t = 0; t < rowCount; t++) epoch[c * rowCount + t] += mixing[c * channelCount + s] * source[s * rowCount + t];
    list.push(epoch);
  }
  return { channelCount, rowCount, sampleRateHz: 250, epochs: list, labels, classes: ['left', 'right'] };
}

const script = `
import json, sys, time, warnings, numpy as np
warnings.filterwarnings('ignore')
import mne
from mne.decoding import CSP
from sklearn.discriminant_analysis import LinearDiscriminantAnalysis
from sklearn.linear_model import LogisticRegression
from sklearn.covariance import ledoit_wolf
from scipy.linalg import eigh
mne.set_log_level('ERROR')
req = json.load(open(sys.argv[1]))
X = np.fromfile(req['epochs'], dtype='<f8').reshape(req['n'], req['channels'], req['rows'])
y = np.array(req['labels'])
def fn(C, f):
    w, V = eigh(C)
    return (V * f(w)) @ V.T
def mean_riemann(covs, tol=10e-9, maxiter=50):
    C = covs.mean(axis=0); nu = 1.0; tau = np.finfo(np.float64).max
    for _ in range(maxiter):
        C12, Cm12 = fn(C, np.sqrt), fn(C, lambda w: 1 / np.sqrt(w))
        J = np.mean([fn(Cm12 @ c @ Cm12, np.log) for c in covs], axis=0)
        crit = np.linalg.norm(J, ord='fro'); h = nu * crit
        C = C12 @ fn(nu * J, np.exp) @ C12
        if h < tau: nu, tau = 0.95 * nu, h
        else: nu = 0.5 * nu
        if crit <= tol or nu <= tol: break
    return C
iu = np.triu_indices(req['channels'])
coeffs = np.where(iu[0] == iu[1], 1.0, np.sqrt(2))
def tangent(covs, P):
    return np.array([fn(P @ c @ P, np.log)[iu] * coeffs for c in covs])
def fit_csp():
    csp = CSP(n_components=4, log=True); lda = LinearDiscriminantAnalysis()
    lda.fit(csp.fit_transform(X, y), y); return csp, lda
def fit_tangent():
    covs = np.array([ledoit_wolf(e.T)[0] for e in X])
    P = fn(mean_riemann(covs), lambda w: 1 / np.sqrt(w))
    lr = LogisticRegression(C=1.0, max_iter=1000).fit(tangent(covs, P), y)
    return P, lr
def timed(f, reps):
    ts = []
    for _ in range(reps):
        t0 = time.perf_counter(); r = f(); ts.append(time.perf_counter() - t0)
    return sorted(ts)[len(ts) // 2] * 1000, r
reps = req['reps']
csp_ms, (csp, lda) = timed(fit_csp, reps)
tan_ms, (P, lr) = timed(fit_tangent, reps)
w = X[:1]
csp_pred_ms, _ = timed(lambda: [lda.predict_proba(csp.transform(w)) for _ in range(100)], 3)
tan_pred_ms, _ = timed(lambda: [lr.predict_proba(tangent(np.array([ledoit_wolf(w[0].T)[0]]), P)) for _ in range(20)], 3)
print(json.dumps(dict(csp=csp_ms, tangent=tan_ms, csp_predict=csp_pred_ms / 100, tangent_predict=tan_pred_ms / 20, mne=mne.__version__)))
`;

export function benchDecoders({ quick }: { quick: boolean }): DecoderBenchRow[] {
  const set = epochs(64, 250, 90);
  const reps = quick ? 1 : 3;
  const time = (f: () => void, n: number): number => {
    const t: number[] = [];
    for (let i = 0; i < n; i++) {
      const t0 = performance.now();
      f();
      t.push(performance.now() - t0);
    }
    return median(t);
  };
  cspLda.fit(set, cspLda.parseOptions({}), 1); // warm up
  const cspMs = time(() => cspLda.fit(set, cspLda.parseOptions({}), 1), reps);
  const tangentMs = time(() => tangentLr.fit(set, tangentLr.parseOptions({}), 1), reps);
  const out = new Float64Array(2);
  const predictMs = (decoder: ReturnType<typeof cspLda.fit>['decoder'], calls: number): number => {
    for (let i = 0; i < calls; i++) decoder.predictProba(set.epochs[i % 90], out);
    return time(() => {
      for (let i = 0; i < calls; i++) decoder.predictProba(set.epochs[i % 90], out);
    }, 3) / calls;
  };
  const cspPredict = predictMs(cspLda.fit(set, cspLda.parseOptions({}), 1).decoder, 1000);
  const tangentPredict = predictMs(tangentLr.fit(set, tangentLr.parseOptions({}), 1).decoder, 100);

  const dir = mkdtempSync(join(tmpdir(), 'bci-bench-decoders-'));
  let ref = { csp: NaN, tangent: NaN, csp_predict: NaN, tangent_predict: NaN, mne: '?' };
  try {
    const all = new Float64Array(90 * 64 * 250);
    set.epochs.forEach((e, i) => all.set(e, i * e.length));
    writeFileSync(join(dir, 'epochs.f64'), new Uint8Array(all.buffer));
    writeFileSync(join(dir, 'request.json'), JSON.stringify({ epochs: join(dir, 'epochs.f64'), n: 90, channels: 64, rows: 250, labels: Array.from(set.labels), reps }));
    ref = JSON.parse(execFileSync('/usr/bin/python3', ['-c', script, join(dir, 'request.json')], { encoding: 'utf8' })) as typeof ref;
  } catch (error) {
    process.stderr.write(`bench: the MNE/scikit-learn reference is unavailable (${error instanceof Error ? error.message.split('\n')[0] : String(error)}); install python3-mne python3-sklearn\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const mne = `MNE ${ref.mne} CSP + sklearn LDA`;
  const riemann = 'NumPy/SciPy mean_riemann + log map + sklearn LR';
  return [
    { decoder: 'csp-lda', metric: 'train, 90 trials × 64 ch × 250 samples', oursMs: cspMs, referenceMs: ref.csp, reference: mne },
    { decoder: 'tangent-lr', metric: 'train, 90 trials × 64 ch × 250 samples', oursMs: tangentMs, referenceMs: ref.tangent, reference: riemann },
    { decoder: 'csp-lda', metric: 'predict one 64 ch × 250 window', oursMs: cspPredict, referenceMs: ref.csp_predict, reference: mne },
    { decoder: 'tangent-lr', metric: 'predict one 64 ch × 250 window', oursMs: tangentPredict, referenceMs: ref.tangent_predict, reference: riemann },
  ];
}
