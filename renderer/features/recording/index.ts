// The recording feature: the record panel (session form, progress, summary), its hook, and the
// session a calibration records itself with.

export { RecordPanel } from './RecordPanel.js';
export { useRecording, type RecordingView, type RecordingSummary, type RecentMarker } from './use-recording.js';
export { calibrationRecordingOptions, SESSION_FORM_KEY } from './recording-form.js';
