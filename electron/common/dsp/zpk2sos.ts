// Zeros/poles/gain → second-order sections, following scipy.signal.zpk2sos with
// pairing='nearest' (SciPy's default for digital filters): conjugate pairs combined as
// _cplxreal does, the pole closest to the unit circle placed in the last section first, each
// pole paired with its nearest zero, and the gain applied to the first section. Design-time
// code: it allocates freely.

import { abs, type Complex, complex, conj, isReal, mul, add, sub } from './complex.js';

/** 100 × float64 epsilon: _cplxreal's default tolerance. */
const CPLX_TOL = 100 * Number.EPSILON;

/**
 * Split into complex (one per conjugate pair, positive imaginary part, pair-averaged) and real
 * values, ordered as scipy.signal._cplxreal orders them. Returns complex ones first, then reals.
 */
export function cplxReal(values: readonly Complex[]): Complex[] {
  if (values.length === 0) return [];
  // Sort by real part, then by |imaginary part| (stable, as numpy.lexsort).
  const sorted = values.slice().sort((a, b) => a.re - b.re || Math.abs(a.im) - Math.abs(b.im));
  const reals: Complex[] = [];
  const positive: Complex[] = [];
  const negative: Complex[] = [];
  for (const v of sorted) {
    if (Math.abs(v.im) <= CPLX_TOL * abs(v)) reals.push(complex(v.re, 0));
    else if (v.im > 0) positive.push(v);
    else negative.push(v);
  }
  if (positive.length !== negative.length) {
    throw new RangeError('zpk2sos: a complex pole or zero has no conjugate partner.');
  }
  // Runs of (nearly) equal real parts are re-sorted by |imaginary part|.
  let start = 0;
  while (start < positive.length) {
    let stop = start;
    while (stop + 1 < positive.length && positive[stop + 1].re - positive[stop].re <= CPLX_TOL * abs(positive[stop])) stop++;
    if (stop > start) {
      const byImag = (a: Complex, b: Complex): number => Math.abs(a.im) - Math.abs(b.im);
      positive.splice(start, stop - start + 1, ...positive.slice(start, stop + 1).sort(byImag));
      negative.splice(start, stop - start + 1, ...negative.slice(start, stop + 1).sort(byImag));
    }
    start = stop + 1;
  }
  const pairs: Complex[] = [];
  for (let i = 0; i < positive.length; i++) {
    const p = positive[i];
    const n = negative[i];
    if (abs(sub(p, conj(n))) > CPLX_TOL * abs(n)) {
      throw new RangeError('zpk2sos: a complex pole or zero has no conjugate partner.');
    }
    const sum = add(p, conj(n));
    pairs.push(complex(sum.re / 2, sum.im / 2));
  }
  return pairs.concat(reals);
}

/** Index of the pole closest to the unit circle (first one on ties, as numpy.argmin). */
function indexOfWorst(poles: readonly Complex[], candidates?: readonly number[]): number {
  const indices = candidates ?? poles.map((_, i) => i);
  let best = indices[0];
  let bestDistance = Math.abs(1 - abs(poles[best]));
  for (let k = 1; k < indices.length; k++) {
    const distance = Math.abs(1 - abs(poles[indices[k]]));
    if (distance < bestDistance) {
      best = indices[k];
      bestDistance = distance;
    }
  }
  return best;
}

/** Index of the zero nearest to `target` among real, complex, or any zeros (stable order on ties). */
function indexOfNearest(zeros: readonly Complex[], target: Complex, which: 'real' | 'complex' | 'any'): number {
  const order = zeros.map((z, i) => ({ i, d: abs(sub(z, target)) })).sort((a, b) => a.d - b.d);
  for (const { i } of order) {
    if (which === 'any' || (which === 'real') === isReal(zeros[i])) return i;
  }
  throw new RangeError(`zpk2sos: no ${which} zero left to pair with a pole.`);
}

/** Monic polynomial coefficients (highest power first) with the given roots; real part kept. */
function polyReal(roots: readonly Complex[]): number[] {
  let coeffs: Complex[] = [complex(1, 0)];
  for (const root of roots) {
    const next: Complex[] = [];
    for (let i = 0; i <= coeffs.length; i++) {
      // Convolution with [1, -root].
      const left = i < coeffs.length ? coeffs[i] : complex(0, 0);
      next.push(i > 0 ? add(left, mul(coeffs[i - 1], complex(-root.re, -root.im))) : left);
    }
    coeffs = next;
  }
  return coeffs.map((c) => c.re);
}

function writeSection(sos: Float64Array, section: number, zeros: readonly Complex[], poles: readonly Complex[]): void {
  const b = polyReal(zeros);
  const a = polyReal(poles);
  const row = section * 6;
  for (let i = 0; i < b.length; i++) sos[row + 3 - b.length + i] = b[i];
  for (let i = 0; i < a.length; i++) sos[row + 6 - a.length + i] = a[i];
}

function countReal(values: readonly Complex[]): number {
  let n = 0;
  for (const v of values) if (isReal(v)) n++;
  return n;
}

/** SciPy's zpk2sos(z, p, k, pairing='nearest') for a digital filter; n×6 rows flattened. */
export function zpk2sos(zerosIn: readonly Complex[], polesIn: readonly Complex[], gain: number): Float64Array {
  if (zerosIn.length === 0 && polesIn.length === 0) return Float64Array.of(gain, 0, 0, 1, 0, 0);

  let zeros = zerosIn.slice();
  let poles = polesIn.slice();
  while (poles.length < zeros.length) poles.push(complex(0, 0));
  while (zeros.length < poles.length) zeros.push(complex(0, 0));
  const sectionCount = (poles.length + 1) >> 1;
  if (poles.length % 2 === 1) {
    poles.push(complex(0, 0));
    zeros.push(complex(0, 0));
  }
  zeros = cplxReal(zeros);
  poles = cplxReal(poles);

  const sos = new Float64Array(sectionCount * 6);
  const take = (list: Complex[], index: number): Complex => list.splice(index, 1)[0];

  for (let section = sectionCount - 1; section >= 0; section--) {
    const p1 = take(poles, indexOfWorst(poles));
    const realPolesLeft = countReal(poles);

    if (isReal(p1) && realPolesLeft === 0) {
      // Special case 1: the last real pole becomes a first-order section with the nearest real zero.
      const z1 = take(zeros, indexOfNearest(zeros, p1, 'real'));
      writeSection(sos, section, [z1, complex(0, 0)], [p1, complex(0, 0)]);
    } else if (poles.length + 1 === zeros.length && !isReal(p1) && realPolesLeft === 1 && countReal(zeros) === 1) {
      // Special case 2: one real pole and one real zero remain; this pole must take a complex zero.
      const z1 = take(zeros, indexOfNearest(zeros, p1, 'complex'));
      writeSection(sos, section, [z1, conj(z1)], [p1, conj(p1)]);
    } else {
      let p2: Complex;
      if (isReal(p1)) {
        const realIndices: number[] = [];
        poles.forEach((p, i) => {
          if (isReal(p)) realIndices.push(i);
        });
        p2 = take(poles, indexOfWorst(poles, realIndices));
      } else {
        p2 = conj(p1);
      }
      if (zeros.length > 0) {
        const z1 = take(zeros, indexOfNearest(zeros, p1, 'any'));
        if (!isReal(z1)) {
          writeSection(sos, section, [z1, conj(z1)], [p1, p2]);
        } else if (zeros.length > 0) {
          const z2 = take(zeros, indexOfNearest(zeros, p1, 'real'));
          writeSection(sos, section, [z1, z2], [p1, p2]);
        } else {
          writeSection(sos, section, [z1], [p1, p2]);
        }
      } else {
        writeSection(sos, section, [], [p1, p2]);
      }
    }
  }

  for (let i = 0; i < 3; i++) sos[i] *= gain;
  return sos;
}
