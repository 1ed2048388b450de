// The spectrum feature: the spectrum and band-power panels and their hook.

export { SpectrumPanel } from './SpectrumPanel.js';
export { BandPowerPanel } from './BandPowerPanel.js';
export { useSpectrum, type SpectrumView } from './use-spectrum.js';
