// The engine's status, as every host shows it. Every figure is measured, none assumed.

import type { DecoderStatus } from './decoding.js';

export type EngineState = 'idle' | 'connected' | 'streaming';

export interface Percentiles {
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
}

export interface EngineStatus {
  readonly state: EngineState;
  readonly boardId: string | null;
  readonly sampleRateHz: number;
  readonly channelCount: number;
  /** Rows received from the board since connect. */
  readonly rowsReceived: number;
  /** Seconds since start(). */
  readonly elapsedSec: number;
  /** Rows received per second of host time since start. */
  readonly effectiveRateHz: number;
  /** The clock model's fitted rate and the delivery jitter it removes. */
  readonly fittedRateHz: number;
  readonly clockJitterMs: number;
  /** Samples the device skipped (gaps in its sample counter). */
  readonly deviceLostRows: number;
  /** Samples readers lost because they fell a whole buffer behind (pipeline, display). */
  readonly overflowLostRows: number;
  /** How full the ring buffer is for its slowest reader, 0..1. */
  readonly bufferFill: number;
  /** From the driver's push to the worker's filtered output (ms). */
  readonly latencyMs: Percentiles;
  /** The worker's compute time per chunk (ms). */
  readonly processingMs: Percentiles;
  /** Rows the pipeline worker has filtered. */
  readonly rowsFiltered: number;
  readonly pipeline: string;
  readonly lastError: string | null;
  /** The recording in progress, if any. */
  readonly recording: RecordingStatus | null;
  /** The playback board's transport, when a recording is being played. */
  readonly playback: PlaybackState | null;
  /** Serial boards: the link to the board (the session stays open while it is down). */
  readonly link: { readonly state: 'closed' | 'connected' | 'disconnected' | 'reconnecting'; readonly message: string } | null;
  /** Things about the setup the user should fix (e.g. the FTDI latency timer). */
  readonly notices: readonly string[];
  /** The decoder running in the pipeline worker: predictions made, their latency, the last one. */
  readonly decoder: DecoderStatus | null;
}

export interface PlaybackState {
  readonly file: string;
  readonly positionSec: number;
  readonly durationSec: number;
  readonly speed: number | 'max';
  readonly playing: boolean;
  readonly loop: boolean;
  readonly finished: boolean;
  readonly events: readonly { onsetSec: number; label: string }[];
}

export interface RecordingStatus {
  readonly path: string;
  readonly durationSec: number;
  readonly lostRows: number;
  readonly annotations: number;
  readonly error: string | null;
}
