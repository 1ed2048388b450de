// Second-order IIR notch (mains rejection) as scipy.signal.iirnotch: one SOS section whose
// −3 dB bandwidth is f0Hz / q.

/** SciPy's iirnotch(w0=f0Hz, Q=q, fs=sampleRateHz) as one SOS section (6 numbers). */
export function notchSos(f0Hz: number, q: number, sampleRateHz: number): Float64Array {
  if (!Number.isFinite(sampleRateHz) || sampleRateHz <= 0) {
    throw new RangeError(`Sample rate must be a positive number of Hz; got ${sampleRateHz}.`);
  }
  const nyquistHz = sampleRateHz / 2;
  if (!Number.isFinite(f0Hz) || f0Hz <= 0 || f0Hz >= nyquistHz) {
    throw new RangeError(
      `Notch frequency ${f0Hz} Hz is out of range: it must be above 0 Hz and below the Nyquist ` +
        `frequency (${nyquistHz} Hz at ${sampleRateHz} Hz sampling).`,
    );
  }
  if (!Number.isFinite(q) || q <= 0) {
    throw new RangeError(`Notch quality factor q must be a positive number; got ${q}.`);
  }
  const w0 = (2 * f0Hz) / sampleRateHz; // normalised to Nyquist
  const bandwidthRad = (w0 / q) * Math.PI;
  const w0Rad = w0 * Math.PI;
  const beta = Math.tan(bandwidthRad / 2);
  const gain = 1 / (1 + beta);
  const cosW0 = Math.cos(w0Rad);
  return Float64Array.of(gain, gain * (-2 * cosW0), gain, 1, -2 * gain * cosW0, 2 * gain - 1);
}
