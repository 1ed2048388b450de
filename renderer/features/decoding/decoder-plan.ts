// What Train asks the engine for, and what its answer shows: the decoder kinds a paradigm offers,
// the `trainModel` request built from a calibration (its recording, its classes, an epoch window
// from 0.5 s after each cue to the end of the imagery, a band-pass 8-30 Hz for motor imagery, the
// SSVEP frequencies for the SSVEP decoders), where the model is saved beside that recording, and
// the engine's TrainModelResult turned into the panel's TrainingReport. Pure: no DOM, no engine.

import type { CommandRequest, CommandResults } from '../../../electron/common/contract/commands.js';
import type { CalibrationResult } from './use-calibration.js';
import type { ParadigmKind } from './paradigm.js';
import type { TrainingReport } from './training-report.js';

/** The decoder kinds offered per paradigm (the engine's registry has these; it refuses any it lacks). */
export const DECODER_CHOICES: Readonly<Record<ParadigmKind, readonly { readonly kind: string; readonly label: string }[]>> = {
  mi: [
    { kind: 'csp-lda', label: 'CSP + LDA' },
    { kind: 'tangent-lr', label: 'Tangent space + logistic regression' },
    { kind: 'linear-adamw', label: 'Linear softmax (AdamW)' },
  ],
  ssvep: [
    { kind: 'ssvep-cca', label: 'SSVEP CCA' },
    { kind: 'fbcca', label: 'Filter-bank CCA' },
  ],
};

/** The first choice of a paradigm's list, or `kind` when the paradigm offers it. */
export function decoderFor(paradigm: ParadigmKind, kind: string | null): string {
  const choices = DECODER_CHOICES[paradigm];
  return choices.some((c) => c.kind === kind) ? kind! : choices[0].kind;
}

/** Seconds after each cue where an epoch starts (the cue's own evoked response is left out). */
export const EPOCH_START_SEC = 0.5;
/** Motor imagery's band: mu and beta. */
export const MI_BAND_HZ = { lowHz: 8, highHz: 30 } as const;

export type TrainRequest = CommandRequest<'trainModel'>;
export type TrainAnswer = CommandResults['trainModel'];

/** Why a calibration cannot be trained on (a sentence), or null. */
export function trainRefusal(calibration: CalibrationResult, recordingPath: string | null): string | null {
  if (recordingPath === null) return 'this calibration was not recorded: training reads the calibration from its own recording (start the calibration with no recording running, and it records itself)';
  if (calibration.cues.length === 0) return 'the calibration placed no cues';
  const missing = calibration.classes.filter((c) => !calibration.cues.some((q) => q.label === c));
  if (missing.length > 0) return `the calibration has no cue of ${missing.join(', ')}: every class needs trials`;
  if (calibration.imagerySec === null || !(calibration.imagerySec > EPOCH_START_SEC)) return `the calibration's class periods are too short to cut epochs from (they must last more than ${EPOCH_START_SEC} s)`;
  return null;
}

/** The model file beside the recording: `<recording stem>_<kind>-<HHMMSS>.json` (never over an existing file). */
export function modelPathFor(recordingPath: string, kind: string, now: Date): string {
  const stem = recordingPath.replace(/\.(bdf|edf)$/i, '');
  const two = (n: number) => String(n).padStart(2, '0');
  return `${stem}_${kind}-${two(now.getHours())}${two(now.getMinutes())}${two(now.getSeconds())}.json`;
}

/** The trainModel request for a calibration recorded at `recordingPath` (check trainRefusal first). */
export function trainRequest(calibration: CalibrationResult, recordingPath: string, kind: string, out?: string): TrainRequest {
  const endSec = Math.round((calibration.imagerySec ?? 0) * 1000) / 1000;
  const ssvep = calibration.kind === 'ssvep';
  return {
    files: [recordingPath],
    decoder: kind,
    options: ssvep ? { frequenciesHz: [...calibration.frequenciesHz] } : {},
    classes: [...calibration.classes],
    window: { startSec: EPOCH_START_SEC, endSec },
    filters: ssvep ? { reference: 'none', stages: [] } : { reference: 'none', stages: [{ kind: 'bandpass', lowHz: MI_BAND_HZ.lowHz, highHz: MI_BAND_HZ.highHz, order: 4 }] },
    folds: Math.max(2, Math.min(5, Math.min(...calibration.classes.map((c) => calibration.cues.filter((q) => q.label === c).length)))),
    seed: 42,
    ...(out !== undefined && { out }),
  };
}

/** The engine's answer as the panel's report. */
export function reportOf(answer: TrainAnswer): TrainingReport {
  const { cv } = answer;
  const rejected = answer.rejected.gap + answer.rejected['lost-rows'] + answer.rejected.railed + answer.rejected.incomplete;
  return {
    decoder: answer.model.decoder.kind,
    classes: cv.classes,
    accuracy: cv.accuracy,
    kappa: cv.kappa,
    trials: cv.trials,
    folds: cv.folds,
    confusion: cv.confusion,
    itrBitsPerMin: cv.itr.bitsPerMinute,
    rejectedTrials: rejected,
    ...(answer.curve && { curve: answer.curve }),
  };
}
