// Views labs expect beside the traces: a spectrogram of one channel, a head map of quality or RMS.
export { SpectrogramPanel } from './SpectrogramPanel.js';
export { HeadMapPanel } from './HeadMapPanel.js';
