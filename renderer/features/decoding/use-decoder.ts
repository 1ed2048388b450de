// The decoder as the panel sees it (DecoderActions): a calibration started with no recording
// running records itself (the recording starts before the calibration's first marker and stops
// once the stream has passed the last cue's class period), Train sends `trainModel` on that
// recording (the chosen decoder, the calibration's classes and epoch window; the model saved
// beside the recording) and shows the report, Go online sends `setDecoder` with the trained model
// and Stop `clearDecoder`. Prediction frames go straight from the client into the
// PredictionHistory, outside React; React only holds the model, the report and the flags.

import { useCallback, useEffect, useRef, useState } from 'react';
import type { EngineClient } from '../../client/engine-client.js';
import type { CommandResults } from '../../../electron/common/contract/commands.js';
import type { RecordingOptionsInput } from '../../../electron/common/contract/session.js';
import type { EngineState } from '../../../electron/common/contract/status.js';
import type { SampleFrame } from '../../../electron/common/contract/frames.js';
import type { PredictionHistory } from '../../stream/prediction-history.js';
import type { Workstation } from '../../stream/workstation.js';
import { errorText } from '../../ui/format.js';
import type { DecoderActions } from './CalibrationPanel.js';
import type { CalibrationResult, CalibrationView } from './use-calibration.js';
import type { TrainingReport } from './training-report.js';
import { DECODER_CHOICES, decoderFor, modelPathFor, reportOf, trainRefusal, trainRequest, type TrainAnswer } from './decoder-plan.js';

/** The recording side the decoder needs (the recording feature's hook, wired by the shell). */
export interface CalibrationRecorder {
  /** The recording in progress, if any. */
  readonly activePath: string | null;
  /** Null when the recording started, else why not (its sentence). */
  readonly start: (options: RecordingOptionsInput) => Promise<{ readonly text: string } | null>;
  readonly stop: () => Promise<CommandResults['stopRecording'] | null>;
  /** The session a calibration's own recording is made with. */
  readonly options: () => RecordingOptionsInput;
}

interface DecoderInput {
  readonly client: EngineClient;
  readonly workstation: Workstation;
  readonly state: EngineState;
  readonly calibration: CalibrationView;
  readonly recorder: CalibrationRecorder;
  readonly predictions: PredictionHistory;
}

export interface DecoderView {
  readonly actions: DecoderActions;
  /** Starts the calibration, recording it first when nothing is recording (the panel's Start). */
  readonly startCalibration: () => void;
}

/** Extra stream past the last cue's period before the calibration's recording stops (s). */
const TAIL_SEC = 0.25;
/** The longest wait for that stream (s beyond the period), e.g. when streaming stopped. */
const TAIL_WAIT_LIMIT_SEC = 3;

export function useDecoder({ client, workstation, state, calibration, recorder, predictions }: DecoderInput): DecoderView {
  const paradigm = calibration.settings.kind;
  const [chosen, setChosen] = useState<string | null>(null);
  const kind = decoderFor(paradigm, chosen);
  const [training, setTraining] = useState(false);
  const [report, setReport] = useState<TrainingReport | null>(null);
  const [model, setModel] = useState<TrainAnswer['model'] | null>(null);
  const [modelPath, setModelPath] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [online, setOnline] = useState(false);
  /** Going online writes `prediction: CLASS` into a running recording at each change of class. */
  const [annotate, setAnnotate] = useState(false);
  const [note, setNote] = useState<string | null>(null);
  /** The calibration's own recording: set when it started, its path once it stopped (with the result it belongs to). */
  const [recorded, setRecorded] = useState<{ result: CalibrationResult; path: string } | null>(null);
  const [finishing, setFinishing] = useState(false);
  const ownRecording = useRef(false);
  const recorderRef = useRef(recorder);
  recorderRef.current = recorder;

  const { start: startRun } = calibration;
  const startCalibration = useCallback(() => {
    void (async () => {
      setError(null);
      const rec = recorderRef.current;
      if (rec.activePath !== null) {
        ownRecording.current = false;
        setNote('A recording is already running: this calibration goes into it, but Train reads a calibration from its own recording. Stop the recording and calibrate again to train.');
        startRun();
        return;
      }
      const refused = await rec.start(rec.options());
      if (refused) {
        setError(`the calibration did not start: it could not be recorded. ${refused.text}`);
        return;
      }
      ownRecording.current = true;
      setNote('Recording this calibration (it stops with the calibration).');
      startRun();
    })();
  }, [startRun]);

  // the calibration ended: stop its own recording once the stream has passed the last cue's period
  const { result } = calibration;
  useEffect(() => {
    if (!result || !ownRecording.current) return;
    ownRecording.current = false;
    let cancelled = false;
    setFinishing(true);
    const last = result.cues.at(-1);
    const rate = result.sampleRateHz;
    const until = last && rate ? last.sampleIndex + Math.ceil(((result.imagerySec ?? 0) + TAIL_SEC) * rate) : 0;
    const deadline = performance.now() + ((result.imagerySec ?? 0) + TAIL_WAIT_LIMIT_SEC) * 1000;
    const finish = async () => {
      const summary = await recorderRef.current.stop();
      setFinishing(false);
      if (!summary) {
        setNote('The calibration\u2019s recording did not stop cleanly: see the recording panel.');
        return;
      }
      setRecorded({ result, path: summary.path });
      setNote(`Calibration recorded to ${summary.path}.`);
    };
    const wait = () => {
      if (cancelled) return;
      if (workstation.model.nextSampleIndex >= until || performance.now() > deadline) void finish();
      else setTimeout(wait, 100);
    };
    wait();
    return () => {
      cancelled = true;
    };
  }, [result, workstation]);

  const onTrain = useCallback(
    (calibrationResult: CalibrationResult) => {
      const path = recorded?.result === calibrationResult ? recorded.path : null;
      const refusal = trainRefusal(calibrationResult, path);
      if (refusal !== null || path === null) {
        setError(`cannot train: ${refusal ?? 'no recording'}`);
        return;
      }
      setError(null);
      // the previous model is not offered while (or after failing) training a new one
      setReport(null);
      setModel(null);
      setModelPath(null);
      setTraining(true);
      client
        .invoke('trainModel', trainRequest(calibrationResult, path, kind, modelPathFor(path, kind, new Date())))
        .then(
          (answer) => {
            setReport(reportOf(answer));
            setModel(answer.model);
            setModelPath(answer.path);
          },
          (e: unknown) => setError(`training failed: ${errorText(e)}`),
        )
        .finally(() => setTraining(false));
    },
    [client, kind, recorded],
  );

  const onGoOnline = useCallback(() => {
    if (!model) return;
    setError(null);
    // the history is ready before the first prediction frame can arrive
    predictions.reset(model.classes, model.sampleRateHz);
    client.invoke('setDecoder', { model, annotate }).then(
      (info) => {
        if (info.classes.join('\u0000') !== predictions.classes.join('\u0000')) predictions.reset(info.classes, info.sampleRateHz);
        setOnline(true);
      },
      (e: unknown) => setError(`could not go online: ${errorText(e)}`),
    );
  }, [client, model, predictions, annotate]);

  const onGoOffline = useCallback(() => {
    client.invoke('clearDecoder').then(
      () => setOnline(false),
      (e: unknown) => setError(`could not stop the decoder: ${errorText(e)}`),
    );
  }, [client]);

  // the board went away: so did its decoder
  useEffect(() => {
    if (state === 'idle') setOnline(false);
  }, [state]);

  // prediction frames: one row per prediction, into the history (outside React)
  useEffect(() => {
    let scratch = new Float64Array(0);
    const sub = client.onFrame((frame: SampleFrame) => {
      if (frame.kind !== 'prediction') return;
      const k = frame.channelCount;
      if (predictions.classes.length !== k) return;
      if (scratch.length !== k) scratch = new Float64Array(k);
      for (let r = 0; r < frame.sampleCount; r++) {
        for (let c = 0; c < k; c++) scratch[c] = frame.samples[r * k + c];
        predictions.push(frame.firstSampleIndex + r * frame.strideRows, scratch);
      }
    });
    return () => sub.dispose();
  }, [client, predictions]);

  const actions: DecoderActions = {
    onTrain,
    training,
    report,
    decoderError: error,
    onGoOnline: model ? onGoOnline : undefined,
    onGoOffline,
    online,
    annotate,
    onAnnotate: setAnnotate,
    decoderKind: kind,
    decoderChoices: DECODER_CHOICES[paradigm],
    onDecoderKind: setChosen,
    trainBlocked: finishing ? 'Finishing the calibration\u2019s recording…' : null,
    modelPath,
    note,
  };
  return { actions, startCalibration };
}
