// The engine's streams, by name: what each listener of `engine.on(name, …)` receives.

import type { EngineStatus } from '../common/contract/status.js';
import type { FilteredChunk } from '../common/contract/worker-messages.js';
import type { AssistState } from '../common/contract/assistive.js';
import type { QualitySummary } from '../common/contract/quality.js';
import type { Alert } from '../common/contract/alerts.js';

export interface RawChunk {
  readonly firstSampleIndex: number;
  readonly rowCount: number;
  readonly channelCount: number;
  /** rowCount × channelCount interleaved values, a copy owned by the listener. */
  readonly data: Float64Array;
  /** Rows the display reader lost just before this chunk. */
  readonly lostRows: number;
}

export interface MarkerEvent {
  readonly sampleIndex: number;
  readonly label: string;
  /** board: the board's own cue; user: the UI, a hotkey or a paradigm; udp: the UDP marker port. */
  readonly source: 'board' | 'user' | 'udp';
  /** The host time the marker was stamped at (user and UDP markers), mapped to sampleIndex through the clock model. */
  readonly hostTimeMs?: number;
  /** How long the event lasts, in seconds (a replayed file's annotation; absent for a point event). */
  readonly durationSec?: number;
}

export interface GapEvent {
  /** The first missing sample index. */
  readonly sampleIndex: number;
  readonly lostRows: number;
}

/** A decoder's predictions: row r is for the window ending at firstSampleIndex + r·strideRows. */
export interface PredictionEvent {
  readonly firstSampleIndex: number;
  readonly strideRows: number;
  readonly count: number;
  /** The model's classes, in the order of each row's probabilities. */
  readonly classes: readonly string[];
  /** count × classes.length probabilities (after smoothing). */
  readonly probabilities: Float64Array;
  /** Per prediction: from the push of its window's last row to the prediction leaving the worker (ms). */
  readonly latencyMs: Float64Array;
  /** Host time (performance.timeOrigin based, ms) the predictions left the worker: the push of row r's last sample was postedAtMs − latencyMs[r]. */
  readonly postedAtMs: number;
}

export interface EngineEvents {
  raw: RawChunk;
  filtered: FilteredChunk;
  /** Class probabilities of the decoder running in the pipeline worker (see setDecoder). */
  prediction: PredictionEvent;
  status: EngineStatus;
  marker: MarkerEvent;
  gap: GapEvent;
  error: string;
  /** Advice about the setup that is not a failure (an FTDI latency timer that makes data bursty). */
  notice: string;
  /** The assistive session's state: after each prediction it saw, each stop, resume, gate change, delivery. */
  assist: AssistState;
  /** One second of signal quality per channel, from the pipeline worker. */
  quality: QualitySummary;
  /** An alert raised, or one acknowledged (the same alert with `acknowledged` set). */
  alert: Alert;
}
