// The playback feature: "Open recording", the transport bar under the traces, and their hook.

export { ReplayPanel } from './ReplayPanel.js';
export { TransportBar } from './TransportBar.js';
export { usePlayback, type Playback, type PlaybackInput } from './use-playback.js';
export { seekCommand } from './transport.js';
