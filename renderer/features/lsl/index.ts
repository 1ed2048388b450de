// The LSL feature: the outlet switches (raw, filtered, predictions, markers), the streams this
// machine resolves (to use one as the board, or take its markers), and their hook.

export { LslPanel, isMarkerStream, lslStreamSelector } from './LslPanel.js';
export { useLslOutlets, type LslOutlets } from './use-lsl-outlets.js';
