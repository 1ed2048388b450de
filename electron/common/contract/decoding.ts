// Online decoding on the control plane: how a model runs on a stream (step, smoothing, annotations),
// validated with one schema wherever it enters (a command, a CLI flag), and what the engine says
// about the decoder it runs (in the snapshot and the status).

import { z } from 'zod';
import type { Percentiles } from './status.js';
import { pipelineSchema } from './pipeline.js';
import type { EpochCurvePoint } from '../decoding/decoder.js';
import type { ModelFile } from '../decoding/model-file.js';
import type { ClassificationMetrics } from '../decoding/metrics.js';
import type { RejectionCounts } from '../decoding/epochs.js';

/** Smoothing of successive predictions: none, exponential (time constant), or a majority vote of the last N. */
export const smoothingSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('none') }),
  /** p ← α·p_new + (1 − α)·p with α = 1 − exp(−step / timeConstantSec); restarts after a gap. */
  z.strictObject({ kind: z.literal('exponential'), timeConstantSec: z.number().finite().positive().max(60) }),
  /** Probabilities are the share of votes of the last `count` predicted classes (ties: the earlier class). */
  z.strictObject({ kind: z.literal('majority'), count: z.number().int().min(1).max(100) }),
]);

export type Smoothing = z.infer<typeof smoothingSchema>;

/** The default decision interval (seconds between predictions). */
export const DEFAULT_STEP_SEC = 0.1;

/** How a model runs online, beside the model itself. */
export const onlineDecodingShape = {
  /** Seconds between predictions (rounded to whole rows, at least one). */
  stepSec: z.number().finite().min(0.001).max(10).default(DEFAULT_STEP_SEC),
  smoothing: smoothingSchema.default({ kind: 'none' }),
  /** Writes one annotation into the recording each time the predicted class changes. */
  annotate: z.boolean().default(false),
};

export const onlineDecodingSchema = z.strictObject(onlineDecodingShape);
export type OnlineDecodingOptions = z.output<typeof onlineDecodingSchema>;

/** Runs a model given as JSON (a model file's content) on the connected board. */
export const setDecoderRequestSchema = z.strictObject({ model: z.unknown(), ...onlineDecodingShape });
/** Runs a model file (a path on the engine's machine) on the connected board. */
export const loadModelRequestSchema = z.strictObject({ path: z.string().min(1).max(4096), ...onlineDecodingShape });

/** What the engine runs: the model's identity and how it runs (snapshot `decoder`). */
export interface DecoderInfo {
  readonly kind: string;
  readonly classes: readonly string[];
  /** The model's channels, by label, in the model's order. */
  readonly channels: readonly string[];
  readonly sampleRateHz: number;
  /** The epoch window the model was trained on, relative to the cue (s); online windows have its length. */
  readonly window: { readonly startSec: number; readonly endSec: number };
  readonly windowRows: number;
  readonly stepSec: number;
  readonly stepRows: number;
  readonly smoothing: Smoothing;
  readonly annotate: boolean;
  /** The model file's path, when it was loaded from one. */
  readonly path: string | null;
  /** SHA-256 of the model: the file's bytes, or the model's JSON text when it was given as JSON. */
  readonly sha256: string;
  /** Cross-validated accuracy from its training report (0-1), when it has one. */
  readonly cvAccuracy: number | null;
  /** Names of the recordings it was trained on. */
  readonly trainedOn: readonly string[];
}

/** The running decoder in the status: what it has done, measured. */
export interface DecoderStatus {
  readonly kind: string;
  readonly classes: readonly string[];
  readonly predictions: number;
  /** From the push of a window's last row to its prediction leaving the worker (ms). */
  readonly latencyMs: Percentiles;
  /** The most recent prediction: its window's last sample, the predicted class and its probability. */
  readonly last: { readonly sampleIndex: number; readonly className: string; readonly probability: number } | null;
}

/** Trains a decoder on recordings (paths on the engine's machine), as `bci train` does. */
export const trainModelRequestSchema = z.strictObject({
  files: z.array(z.string().min(1).max(4096)).min(1).max(100),
  /** A decoder kind of this build (csp-lda, …). */
  decoder: z.string().min(1).max(64),
  /** The decoder's options (its module validates them). */
  options: z.record(z.string(), z.unknown()).default({}),
  /** Event labels that are the classes. */
  classes: z.array(z.string().trim().min(1).max(200)).min(2).max(64),
  /** The epoch, in seconds from each event. */
  window: z.strictObject({ startSec: z.number().finite().min(-60).max(60), endSec: z.number().finite().min(-60).max(60) }),
  filters: pipelineSchema.default({ reference: 'none', stages: [] }),
  folds: z.number().int().min(2).max(100).default(5),
  seed: z.number().int().default(42),
  /** Channel labels (default: the first file's EEG channels). */
  channels: z.array(z.string().trim().min(1).max(64)).min(1).max(1024).optional(),
  /** Seconds per selection for the ITR (default: the window's length). */
  trialSec: z.number().finite().positive().max(3600).optional(),
  /** Where to write the model file (never over an existing file); without it the model is only returned. */
  out: z.string().min(1).max(4096).optional(),
});

/** Stratified k-fold cross-validation: the pooled metrics, and each fold's accuracy. */
export interface CrossValidation extends ClassificationMetrics {
  readonly folds: number;
  readonly seed: number;
  /** Accuracy of each test fold, 0-1. */
  readonly foldAccuracies: number[];
}

/** What training answers: the cross-validation report and the model (to save, or to run with setDecoder). */
export interface TrainModelResult {
  readonly model: ModelFile;
  /** Where it was written, when `out` was given. */
  readonly path: string | null;
  readonly cv: CrossValidation;
  readonly epochs: number;
  readonly rejected: RejectionCounts;
  readonly files: readonly { readonly name: string; readonly sha256: string; readonly epochs: number }[];
  /** Learning curves of a gradient-trained decoder. */
  readonly curve?: readonly EpochCurvePoint[];
}
