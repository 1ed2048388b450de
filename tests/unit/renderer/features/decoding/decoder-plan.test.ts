// The decoder plan: Train's request from a calibration (window, band-pass, SSVEP frequencies,
// folds), its refusals, the model's path beside the recording, and the engine's answer as a report.
import { describe, expect, it } from 'vitest';
import { decoderFor, modelPathFor, reportOf, trainRefusal, trainRequest, type TrainAnswer } from '../../../../../renderer/features/decoding/decoder-plan.js';
import type { CalibrationResult } from '../../../../../renderer/features/decoding/use-calibration.js';
import { calibrationRecordingOptions } from '../../../../../renderer/features/recording/recording-form.js';

const calibration = (patch: Partial<CalibrationResult> = {}): CalibrationResult => ({
  kind: 'mi',
  cueSource: 'board',
  status: 'finished',
  classes: ['left', 'right'],
  frequenciesHz: [],
  timing: { fixationSec: 1, cueSec: 1.25, taskSec: 3, breakSec: 1.5, jitterSec: 0.5 },
  cues: [
    { label: 'left', sampleIndex: 100 },
    { label: 'right', sampleIndex: 1600 },
    { label: 'left', sampleIndex: 3100 },
    { label: 'right', sampleIndex: 4600 },
  ],
  startSampleIndex: 0,
  endSampleIndex: 6000,
  sampleRateHz: 250,
  trialCount: 4,
  missedTrials: 0,
  markerFailures: 0,
  refreshHz: null,
  frames: 0,
  lateFrames: 0,
  flicker: null,
  imagerySec: 4,
  ...patch,
});

describe('decoder plan', () => {
  it('builds the motor-imagery request: classes, 0.5 s to the end of the period, band-pass 8-30 Hz, folds within the smallest class', () => {
    const r = trainRequest(calibration(), '/d/cal.bdf', 'csp-lda', '/d/cal_csp-lda.json');
    expect(r).toMatchObject({ files: ['/d/cal.bdf'], decoder: 'csp-lda', classes: ['left', 'right'], window: { startSec: 0.5, endSec: 4 }, folds: 2, seed: 42, out: '/d/cal_csp-lda.json', options: {} });
    expect(r.filters).toEqual({ reference: 'none', stages: [{ kind: 'bandpass', lowHz: 8, highHz: 30, order: 4 }] });
  });

  it('passes the SSVEP frequencies and no band-pass', () => {
    const r = trainRequest(calibration({ kind: 'ssvep', classes: ['30Hz', '20Hz'], frequenciesHz: [30, 20], cues: [{ label: '30Hz', sampleIndex: 1 }, { label: '20Hz', sampleIndex: 2 }], imagerySec: 4 }), '/x.bdf', 'ssvep-cca');
    expect(r.options).toEqual({ frequenciesHz: [30, 20] });
    expect(r.filters).toEqual({ reference: 'none', stages: [] });
    expect(r.out).toBeUndefined();
  });

  it('refuses an unrecorded calibration, a class without trials, periods too short', () => {
    expect(trainRefusal(calibration(), null)).toMatch(/not recorded/);
    expect(trainRefusal(calibration({ cues: [{ label: 'left', sampleIndex: 1 }] }), '/x.bdf')).toMatch(/no cue of right/);
    expect(trainRefusal(calibration({ imagerySec: null }), '/x.bdf')).toMatch(/too short/);
    expect(trainRefusal(calibration(), '/x.bdf')).toBeNull();
  });

  it('picks a decoder the paradigm offers', () => {
    expect(decoderFor('mi', null)).toBe('csp-lda');
    expect(decoderFor('mi', 'tangent-lr')).toBe('tangent-lr');
    expect(decoderFor('ssvep', 'csp-lda')).toBe('ssvep-cca');
  });

  it('saves the model beside the recording', () => {
    expect(modelPathFor('/d/sub-CAL_task-calibration_eeg.bdf', 'csp-lda', new Date(2024, 0, 1, 9, 5, 7))).toBe('/d/sub-CAL_task-calibration_eeg_csp-lda-090507.json');
  });

  it('turns the engine answer into the report', () => {
    const answer = {
      model: { decoder: { kind: 'linear-adamw' } },
      path: null,
      cv: { classes: ['left', 'right'], confusion: [[4, 1], [0, 5]], trials: 10, correct: 9, accuracy: 0.9, kappa: 0.8, folds: 5, seed: 42, foldAccuracies: [], itr: { bitsPerTrial: 0.5, bitsPerMinute: 6, trialSec: 5 } },
      epochs: 10,
      rejected: { gap: 1, 'lost-rows': 0, railed: 1, incomplete: 0 },
      files: [],
      curve: [],
    } as unknown as TrainAnswer;
    expect(reportOf(answer)).toMatchObject({ decoder: 'linear-adamw', accuracy: 0.9, kappa: 0.8, trials: 10, folds: 5, itrBitsPerMin: 6, rejectedTrials: 2, curve: [] });
  });

  it('records a calibration in session mode calibration: without a subject in the form, as CAL with the remembered lab fields', () => {
    expect(calibrationRecordingOptions(null)).toMatchObject({ session: { subject: 'CAL', task: 'calibration' }, mode: 'calibration', format: 'bdf', powerLineHz: 50 });
    const stored = JSON.stringify({ session: '02', operator: 'ab', protocolId: 'P1', format: 'edf', powerLineHz: 60, dataDir: '/data' });
    expect(calibrationRecordingOptions(stored)).toMatchObject({ session: { subject: 'CAL', task: 'calibration', session: '02', operator: 'ab', protocolId: 'P1' }, mode: 'calibration', format: 'edf', powerLineHz: 60, dataDir: '/data' });
    expect(calibrationRecordingOptions(stored).session.consentObtained).toBeUndefined();
  });

  it("records a calibration with the session form as it stands (subject, protocol, consent), task calibration, the next free run", () => {
    const live = { session: { subject: 'S07', task: 'rest', run: 3, protocolId: 'P1', consentObtained: true, consentTime: '2026-06-15T09:00:00.000Z' }, format: 'bdf' as const, powerLineHz: 60 as const, dataDir: '/lab' };
    expect(calibrationRecordingOptions(null, live)).toEqual({ session: { subject: 'S07', task: 'calibration', protocolId: 'P1', consentObtained: true, consentTime: '2026-06-15T09:00:00.000Z' }, mode: 'calibration', format: 'bdf', powerLineHz: 60, dataDir: '/lab' });
  });
});
