// The LSL feature: the outlet switches (raw, filtered, predictions, markers) and their hook.

export { LslPanel } from './LslPanel.js';
export { useLslOutlets, type LslOutlets } from './use-lsl-outlets.js';
