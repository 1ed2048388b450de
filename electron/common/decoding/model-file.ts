// The model file: versioned JSON with everything needed to run a fitted decoder on a stream and to
// refuse a stream it does not fit (channels by label, rate, filters, epoch window, classes), and to
// trace where it came from (training files by name and SHA-256, software version, the
// cross-validation figures). Parsing never crashes: a corrupt, foreign or newer file is an
// EngineError with a sentence; so is a stream whose channels or rate do not match.
//
// Layout (version 1):
//   format "bci-workstation-model", version 1
//   decoder   { kind, options (what fit was given), params (Decoder.toJSON()) }
//   classes   class names, in the order of the probabilities
//   channels  channel labels, in the order of the decoder's window rows
//   sampleRateHz, filters (a PipelineDescription run causally on those channels, from the first row)
//   window    { startSec, endSec, rowCount } relative to each cue; rowCount = round((end - start) · rate)
//   metrics   cross-validation: accuracy, kappa, confusion (rows = true class), trials, folds, seed, ITR
//   training  { files: [{ name, sha256, epochs }], epochs, rejected: { reason: count }, createdAt }
//   curve     learning curves of a gradient-trained decoder (optional)
//   software  { name, version }

import { z } from 'zod';
import { EngineError, explainIssues } from '../contract/failure.js';
import { pipelineProblems, pipelineSchema } from '../contract/pipeline.js';
import type { JsonValue } from './decoder.js';

export const MODEL_FORMAT = 'bci-workstation-model';
export const MODEL_VERSION = 1;

/** Whether a value is plain JSON (null, booleans, finite numbers, strings, arrays, plain objects), without recursion limits on width. */
export function isJsonValue(value: unknown, depth = 0): value is JsonValue {
  if (depth > 64) return false;
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (Array.isArray(value)) {
    for (const v of value) if (!isJsonValue(v, depth + 1)) return false;
    return true;
  }
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    for (const v of Object.values(value as Record<string, unknown>)) if (!isJsonValue(v, depth + 1)) return false;
    return true;
  }
  return false;
}

const jsonValueSchema = z.custom<JsonValue>((v) => isJsonValue(v), 'must be plain JSON (numbers, strings, booleans, null, arrays, objects)');

/** A channel label as matched between a model and a stream: case and trailing dots (EDF's "C3..") do not count. */
export function channelKey(label: string): string {
  return label.trim().replace(/\.+$/, '').toLowerCase();
}

const uniqueBy = <T>(items: readonly T[], key: (t: T) => string): boolean => new Set(items.map(key)).size === items.length;

const finite = z.number().finite();
const count = z.number().int().min(0);

export const rejectionReasons = ['gap', 'lost-rows', 'railed', 'incomplete'] as const;
export type RejectionReason = (typeof rejectionReasons)[number];

export const modelMetricsSchema = z.object({
  /** Pooled over the test folds, 0-1; null when there were no trials. */
  accuracy: finite.min(0).max(1).nullable(),
  /** Cohen's kappa; null where it is undefined. */
  kappa: finite.nullable(),
  trials: count,
  correct: count,
  confusion: z.array(z.array(count)),
  folds: z.number().int().min(2),
  seed: z.number().int(),
  foldAccuracies: z.array(finite.min(0).max(1).nullable()),
  itr: z.object({ bitsPerTrial: finite, bitsPerMinute: finite, trialSec: finite.positive() }),
});

export const modelFileSchema = z
  .object({
    format: z.literal(MODEL_FORMAT),
    version: z.literal(MODEL_VERSION),
    decoder: z.object({
      kind: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'a decoder kind is lower-case letters, digits and dashes'),
      options: jsonValueSchema,
      params: jsonValueSchema,
    }),
    classes: z
      .array(z.string().trim().min(1).max(200))
      .min(2, 'a model has at least two classes')
      .max(64)
      .refine((c) => uniqueBy(c, (x) => x), 'class names must be distinct'),
    channels: z
      .array(z.string().trim().min(1).max(64))
      .min(1)
      .max(1024)
      .refine((c) => uniqueBy(c, channelKey), 'channel labels must be distinct'),
    sampleRateHz: finite.positive().max(100_000),
    filters: pipelineSchema,
    window: z.object({ startSec: finite.min(-60).max(60), endSec: finite.min(-60).max(60), rowCount: z.number().int().min(1).max(1_000_000) }),
    metrics: modelMetricsSchema.nullable(),
    training: z.object({
      files: z.array(z.object({ name: z.string().max(1000), sha256: z.string().regex(/^[0-9a-f]{64}$/, 'a SHA-256 is 64 hex digits'), epochs: count })),
      epochs: count,
      rejected: z.record(z.string(), count),
      createdAt: z.string().max(64),
    }),
    curve: z
      // without a validation split (validationFraction 0) the validation figures are null
      .array(z.object({ epoch: count, trainLoss: finite, trainAccuracy: finite, validationLoss: finite.nullable(), validationAccuracy: finite.nullable() }))
      .optional(),
    software: z.object({ name: z.string().max(200), version: z.string().max(64) }),
  })
  .superRefine((m, ctx) => {
    if (!(m.window.endSec > m.window.startSec)) ctx.addIssue({ code: 'custom', path: ['window', 'endSec'], message: `the window must end after it starts (${m.window.startSec}-${m.window.endSec} s)` });
    const rows = Math.round((m.window.endSec - m.window.startSec) * m.sampleRateHz);
    if (rows !== m.window.rowCount) ctx.addIssue({ code: 'custom', path: ['window', 'rowCount'], message: `${m.window.rowCount} rows do not make a ${m.window.startSec}-${m.window.endSec} s window at ${m.sampleRateHz} Hz (${rows} do)` });
    const k = m.classes.length;
    if (m.metrics && (m.metrics.confusion.length !== k || m.metrics.confusion.some((row) => row.length !== k))) {
      ctx.addIssue({ code: 'custom', path: ['metrics', 'confusion'], message: `the confusion matrix must be ${k} × ${k}, one row and column per class` });
    }
    for (const problem of pipelineProblems(m.filters, m.sampleRateHz, m.channels.length)) ctx.addIssue({ code: 'custom', path: ['filters'], message: problem });
  });

export type ModelFile = z.output<typeof modelFileSchema>;
export type ModelMetrics = z.output<typeof modelMetricsSchema>;

/**
 * Reads a model from parsed JSON (a command's payload or a file's content). `name` says where it
 * came from in the sentences (a file name, "the request"). Throws an invalid-request EngineError.
 */
export function parseModel(value: unknown, name: string): ModelFile {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new EngineError('invalid-request', `${name} is not a BCI Workstation model: a model is a JSON object with "format": "${MODEL_FORMAT}"`);
  }
  const header = value as { format?: unknown; version?: unknown };
  if (header.format !== MODEL_FORMAT) {
    throw new EngineError('invalid-request', `${name} is not a BCI Workstation model file (its "format" is ${header.format === undefined ? 'missing' : JSON.stringify(header.format).slice(0, 60)}, not "${MODEL_FORMAT}"): train one with \`bci train\``);
  }
  if (typeof header.version !== 'number' || !Number.isInteger(header.version) || header.version < 1) {
    throw new EngineError('invalid-request', `${name}: the model file's "version" must be a whole number (this workstation reads version ${MODEL_VERSION})`);
  }
  if (header.version > MODEL_VERSION) {
    throw new EngineError('invalid-request', `${name} is a version ${header.version} model file, newer than this workstation reads (version ${MODEL_VERSION}): update the workstation`);
  }
  const parsed = modelFileSchema.safeParse(value);
  if (!parsed.success) throw explainIssues(`model file ${name}`, parsed.error.issues);
  return parsed.data;
}

/** Reads a model from its file's text; a file that is not JSON is refused with a sentence. */
export function parseModelText(text: string, name: string): ModelFile {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new EngineError('invalid-request', `${name} is not a model file: it is not valid JSON (${reason.slice(0, 200)})`);
  }
  return parseModel(value, name);
}

/** The model as its file's text: JSON, one field per line, arrays of numbers kept on one line. NaN is written null. */
export function serializeModel(model: ModelFile): string {
  return pretty(model, '') + '\n';
}

function pretty(value: unknown, indent: string): string {
  if (Array.isArray(value)) {
    if (value.every((v) => v === null || typeof v !== 'object')) return JSON.stringify(value);
    const inner = indent + '  ';
    return `[\n${value.map((v) => inner + pretty(v, inner)).join(',\n')}\n${indent}]`;
  }
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    if (entries.length === 0) return '{}';
    const inner = indent + '  ';
    return `{\n${entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${pretty(v, inner)}`).join(',\n')}\n${indent}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** What a model is matched against: a stream's (or a recording's) channels and rate. */
export interface StreamShape {
  readonly sampleRateHz: number;
  readonly channels: readonly { readonly label: string }[];
}

const list = (labels: readonly string[], max = 12): string => (labels.length <= max ? labels.join(', ') : `${labels.slice(0, max).join(', ')} … (${labels.length} in all)`);

/**
 * For each model channel, its index among the stream's channels (matched by label, see channelKey).
 * Refuses, with a sentence, a stream at another rate or without one of the model's channels.
 */
export function matchModelToStream(model: Pick<ModelFile, 'channels' | 'sampleRateHz'>, stream: StreamShape, streamName = 'this stream'): number[] {
  if (stream.sampleRateHz !== model.sampleRateHz) {
    throw new EngineError('invalid-request', `the model was trained at ${model.sampleRateHz} Hz but ${streamName} runs at ${stream.sampleRateHz} Hz: use a model trained at ${stream.sampleRateHz} Hz (or set the board to ${model.sampleRateHz} Hz)`);
  }
  const byKey = new Map<string, number>();
  stream.channels.forEach((c, i) => {
    const key = channelKey(c.label);
    if (!byKey.has(key)) byKey.set(key, i);
  });
  const missing = model.channels.filter((label) => !byKey.has(channelKey(label)));
  if (missing.length > 0) {
    throw new EngineError(
      'invalid-request',
      `the model needs channel${missing.length === 1 ? '' : 's'} ${list(missing)}, which ${streamName} does not have (it has ${list(stream.channels.map((c) => c.label))}): use a model trained on this montage`,
    );
  }
  return model.channels.map((label) => byKey.get(channelKey(label))!);
}
