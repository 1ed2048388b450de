// The montage feature: the editor (label, type, 10-20 position per channel), saved montages, and
// applying one to the connected board.
export { MontagePanel } from './MontagePanel.js';
export { useMontage, type MontageEditor } from './use-montage.js';
