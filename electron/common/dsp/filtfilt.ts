// Offline zero-phase filtering as scipy.signal.sosfiltfilt with its defaults: odd extension of
// padlen = 3·(2·sections + 1 − min(#(b2 = 0), #(a2 = 0))) samples at each end, each pass started
// from sosfilt_zi scaled by its first sample, forward then backward.

import { SosFilter, validateSos } from './sos.js';

/** SciPy's default pad length for sosfiltfilt. */
export function sosfiltfiltPadLength(sos: Float64Array): number {
  const sectionCount = validateSos(sos);
  let b2Zeros = 0;
  let a2Zeros = 0;
  for (let s = 0; s < sectionCount; s++) {
    if (sos[s * 6 + 2] === 0) b2Zeros++;
    if (sos[s * 6 + 5] === 0) a2Zeros++;
  }
  return 3 * (2 * sectionCount + 1 - Math.min(b2Zeros, a2Zeros));
}

function reverseInPlace(buf: Float64Array): void {
  for (let i = 0, j = buf.length - 1; i < j; i++, j--) {
    const t = buf[i];
    buf[i] = buf[j];
    buf[j] = t;
  }
}

/** SciPy's sosfiltfilt with its default padding (odd extension, padlen as in SciPy). Offline, zero phase. */
export function sosfiltfilt(sos: Float64Array, x: Float64Array): Float64Array {
  const pad = sosfiltfiltPadLength(sos);
  const n = x.length;
  if (n <= pad) {
    throw new RangeError(`sosfiltfilt needs more than ${pad} samples for this filter (its edge padding); got ${n}.`);
  }
  // Odd extension: reflect about each end point.
  const ext = new Float64Array(n + 2 * pad);
  const first = x[0];
  const last = x[n - 1];
  for (let k = 0; k < pad; k++) ext[k] = 2 * first - x[pad - k];
  ext.set(x, pad);
  for (let k = 0; k < pad; k++) ext[pad + n + k] = 2 * last - x[n - 2 - k];

  const filter = new SosFilter(sos, 1);
  filter.setSteadyState(0, ext[0]);
  filter.processChannel(0, ext, 0, ext.length);
  reverseInPlace(ext);
  filter.setSteadyState(0, ext[0]);
  filter.processChannel(0, ext, 0, ext.length);
  reverseInPlace(ext);
  return ext.slice(pad, pad + n);
}
