// Butterworth design as scipy.signal.butter(..., output='sos'): the analog prototype (buttap),
// frequency pre-warping, the low/high/band-pass/band-stop transforms (lp2*_zpk), the bilinear
// transform at fs = 2, then zpk2sos. Also owns the validation of design parameters.

import {
  type Complex,
  complex,
  div,
  expi,
  mul,
  neg,
  product,
  scale,
  sqrt,
  sub,
  add,
} from './complex.js';
import { zpk2sos } from './zpk2sos.js';

export type FilterBand = 'lowpass' | 'highpass' | 'bandpass' | 'bandstop';

const MAX_ORDER = 8;

interface Zpk {
  zeros: Complex[];
  poles: Complex[];
  gain: number;
}

/** Analog Butterworth prototype with unit cut-off: no zeros, poles on the left unit half-circle. */
function buttap(order: number): Zpk {
  const poles: Complex[] = [];
  for (let m = -order + 1; m < order; m += 2) {
    // The middle pole (m = 0) is exactly -1. The angle is formed as NumPy forms it: π·m times
    // the reciprocal of 2N (complex division by a real number), so the poles match SciPy's bits.
    poles.push(neg(expi(Math.PI * m * (1 / (2 * order)))));
  }
  return { zeros: [], poles, gain: 1 };
}

function lp2lp({ zeros, poles, gain }: Zpk, wo: number): Zpk {
  const degree = poles.length - zeros.length;
  return {
    zeros: zeros.map((z) => scale(z, wo)),
    poles: poles.map((p) => scale(p, wo)),
    gain: gain * wo ** degree,
  };
}

function lp2hp({ zeros, poles, gain }: Zpk, wo: number): Zpk {
  const degree = poles.length - zeros.length;
  const w = complex(wo, 0);
  const newZeros = zeros.map((z) => div(w, z));
  for (let i = 0; i < degree; i++) newZeros.push(complex(0, 0));
  const k = div(product(zeros.map(neg)), product(poles.map(neg))).re;
  return { zeros: newZeros, poles: poles.map((p) => div(w, p)), gain: gain * k };
}

/** Shift each low-pass root to the two band edges: r ± sqrt(r² − wo²). */
function splitAroundCentre(roots: readonly Complex[], wo: number): Complex[] {
  const woSquared = complex(wo ** 2, 0);
  const plus: Complex[] = [];
  const minus: Complex[] = [];
  for (const r of roots) {
    const s = sqrt(sub(mul(r, r), woSquared));
    plus.push(add(r, s));
    minus.push(sub(r, s));
  }
  return plus.concat(minus);
}

function lp2bp({ zeros, poles, gain }: Zpk, wo: number, bw: number): Zpk {
  const degree = poles.length - zeros.length;
  const half = (r: Complex): Complex => {
    const t = scale(r, bw);
    return complex(t.re / 2, t.im / 2);
  };
  const newZeros = splitAroundCentre(zeros.map(half), wo);
  for (let i = 0; i < degree; i++) newZeros.push(complex(0, 0));
  return { zeros: newZeros, poles: splitAroundCentre(poles.map(half), wo), gain: gain * bw ** degree };
}

function lp2bs({ zeros, poles, gain }: Zpk, wo: number, bw: number): Zpk {
  const degree = poles.length - zeros.length;
  const halfBw = complex(bw / 2, 0);
  const invert = (r: Complex): Complex => div(halfBw, r);
  const newZeros = splitAroundCentre(zeros.map(invert), wo);
  for (let i = 0; i < degree; i++) newZeros.push(complex(0, wo));
  for (let i = 0; i < degree; i++) newZeros.push(complex(0, -wo));
  const k = div(product(zeros.map(neg)), product(poles.map(neg))).re;
  return { zeros: newZeros, poles: splitAroundCentre(poles.map(invert), wo), gain: gain * k };
}

/** Bilinear transform with fs = 2 (so 2·fs = 4); zeros at infinity go to Nyquist (z = −1). */
function bilinear({ zeros, poles, gain }: Zpk): Zpk {
  const fs2 = complex(4, 0);
  const degree = poles.length - zeros.length;
  const map = (r: Complex): Complex => div(add(fs2, r), sub(fs2, r));
  const newZeros = zeros.map(map);
  for (let i = 0; i < degree; i++) newZeros.push(complex(-1, 0));
  const k = div(product(zeros.map((z) => sub(fs2, z))), product(poles.map((p) => sub(fs2, p)))).re;
  return { zeros: newZeros, poles: poles.map(map), gain: gain * k };
}

function describeCutoff(cutoffHz: number | readonly [number, number]): string {
  return typeof cutoffHz === 'number' ? `${cutoffHz} Hz` : `[${cutoffHz[0]}, ${cutoffHz[1]}] Hz`;
}

/** Checks the design parameters; returns the cut-off(s) in Hz as a list. */
function validate(order: number, cutoffHz: number | readonly [number, number], band: FilterBand, sampleRateHz: number): number[] {
  if (!Number.isInteger(order) || order < 1 || order > MAX_ORDER) {
    throw new RangeError(`Butterworth order must be an integer from 1 to ${MAX_ORDER}; got ${order}.`);
  }
  if (!Number.isFinite(sampleRateHz) || sampleRateHz <= 0) {
    throw new RangeError(`Sample rate must be a positive number of Hz; got ${sampleRateHz}.`);
  }
  const nyquistHz = sampleRateHz / 2;
  let edges: number[];
  if (band === 'lowpass' || band === 'highpass') {
    if (typeof cutoffHz !== 'number') {
      throw new RangeError(`A ${band} filter takes one cut-off frequency in Hz; got ${describeCutoff(cutoffHz)}.`);
    }
    edges = [cutoffHz];
  } else if (band === 'bandpass' || band === 'bandstop') {
    if (typeof cutoffHz === 'number' || cutoffHz.length !== 2) {
      throw new RangeError(`A ${band} filter takes [lowHz, highHz]; got ${describeCutoff(cutoffHz)}.`);
    }
    edges = [cutoffHz[0], cutoffHz[1]];
  } else {
    throw new RangeError(`Unknown filter band '${String(band)}': use lowpass, highpass, bandpass or bandstop.`);
  }
  for (const edge of edges) {
    if (!Number.isFinite(edge) || edge <= 0 || edge >= nyquistHz) {
      throw new RangeError(
        `Cut-off ${edge} Hz is out of range: it must be above 0 Hz and below the Nyquist frequency ` +
          `(${nyquistHz} Hz at ${sampleRateHz} Hz sampling).`,
      );
    }
  }
  if (edges.length === 2 && !(edges[0] < edges[1])) {
    throw new RangeError(`Band edges must be increasing: low ${edges[0]} Hz must be below high ${edges[1]} Hz.`);
  }
  return edges;
}

/**
 * SciPy's butter(N=order, Wn, btype, fs=sampleRateHz, output='sos'); returns n×6 rows
 * [b0 b1 b2 a0 a1 a2] flattened. cutoffHz is a number for low/high-pass, [lowHz, highHz] for
 * band-pass/stop. Throws RangeError when order is not an integer 1..8 or a cut-off is <= 0 or
 * >= Nyquist or low >= high.
 */
export function butterSos(
  order: number,
  cutoffHz: number | readonly [number, number],
  band: FilterBand,
  sampleRateHz: number,
): Float64Array {
  const edgesHz = validate(order, cutoffHz, band, sampleRateHz);
  const halfRate = sampleRateHz / 2;
  // Normalise to Nyquist, then pre-warp for the bilinear transform at fs = 2.
  const warped = edgesHz.map((edge) => 4 * Math.tan((Math.PI * (edge / halfRate)) / 2));
  const prototype = buttap(order);
  let analog: Zpk;
  if (band === 'lowpass') analog = lp2lp(prototype, warped[0]);
  else if (band === 'highpass') analog = lp2hp(prototype, warped[0]);
  else {
    const bw = warped[1] - warped[0];
    const wo = Math.sqrt(warped[0] * warped[1]);
    analog = band === 'bandpass' ? lp2bp(prototype, wo, bw) : lp2bs(prototype, wo, bw);
  }
  const digital = bilinear(analog);
  return zpk2sos(digital.zeros, digital.poles, digital.gain);
}
