// Public face of the DSP module: filter design (Butterworth, notch), streaming and zero-phase
// SOS filtering, and Welch spectra. Everything here is pure TypeScript over typed arrays.

export { butterSos, type FilterBand } from './butter.js';
export { notchSos } from './notch.js';
export { SosFilter, cascadeSos, sosfiltZi, validateSos } from './sos.js';
export { sosfiltfilt, sosfiltfiltPadLength } from './filtfilt.js';
export { welch, WelchEstimator, type WelchOptions } from './welch.js';
export { ComplexFft, RealFft } from './fft.js';
