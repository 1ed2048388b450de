// The events feature: markers added by the operator (button, M and the hotkeys 1-9), and the event
// list (markers, cues, annotations, gaps) with counts per label and seeking in a replay.

export { useMarkers } from './use-markers.js';
export { useEventLog } from './use-event-log.js';
export { EventListPanel } from './EventListPanel.js';
