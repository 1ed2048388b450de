// The events feature: markers added by the operator (button and hotkey).

export { useMarkers } from './use-markers.js';
