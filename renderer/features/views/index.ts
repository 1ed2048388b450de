// Views labs expect beside the traces: a spectrogram of one channel, a head map of quality or RMS,
// the accelerometer's traces; each can be closed (ViewPanels).
export { SpectrogramPanel } from './SpectrogramPanel.js';
export { HeadMapPanel } from './HeadMapPanel.js';
export { AccelerometerPanel } from './AccelerometerPanel.js';
export { ViewPanels } from './ViewPanels.js';
