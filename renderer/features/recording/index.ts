// The recording feature: the record panel (session form, progress, summary) and its hook.

export { RecordPanel } from './RecordPanel.js';
export { useRecording, type RecordingView, type RecordingSummary, type RecentMarker } from './use-recording.js';
