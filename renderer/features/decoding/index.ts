// The decoding feature: the calibration paradigm (motor imagery and SSVEP, drawn frame-locked on
// the cue stage, each cue marked at the frame that drew it), the panel that configures and runs
// it, and training and online decoding: DecoderActions (Train, Go online as callbacks) provided by
// useDecoder (the engine's trainModel / setDecoder / clearDecoder, the calibration recorded to
// train from), the TrainingReport view and the OnlineView (a probability strip from typed arrays).

export { CalibrationPanel, type CalibrationPanelProps, type DecoderActions } from './CalibrationPanel.js';
export { CueStage } from './CueStage.js';
export { OnlineView } from './OnlineView.js';
export { TrainingReportView } from './TrainingReportView.js';
export { useCalibration, type ActiveRun, type CalibrationResult, type CalibrationView, type PlacedCue } from './use-calibration.js';
export { boardCueMode } from './board-cues.js';
export { useDecoder, type CalibrationRecorder, type DecoderView } from './use-decoder.js';
export type { TrainingReport, EpochCurvePoint } from './training-report.js';
export { MARKER_ABORT, MARKER_BREAK, MARKER_END, MARKER_FIXATION, MARKER_START, type CalibrationConfig, type ParadigmKind } from './paradigm.js';
