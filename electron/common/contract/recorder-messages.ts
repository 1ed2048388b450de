// Messages between the engine and the recorder worker. The samples come through the shared ring
// buffer (the recorder has its own cursor, independent of the pipeline and the display); markers
// and gaps come as messages, stamped by sample index.

import type { EdfSignalSpec, EdfVariant } from '../formats/edf-writer.js';

export interface RecorderInit {
  readonly type: 'init';
  readonly ring: SharedArrayBuffer;
  readonly readerSlot: number;
  readonly readerCursor: number;
  /** The sample index the recording starts at (onsets are relative to it). */
  readonly firstSampleIndex: number;
  readonly path: string;
  readonly variant: EdfVariant;
  readonly subjectCode: string;
  readonly technician: string;
  readonly equipment: string;
  readonly startTimeMs: number;
  readonly sampleRateHz: number;
  readonly signals: readonly EdfSignalSpec[];
  /** fsync at least this often (ms of wall time). */
  readonly fsyncIntervalMs: number;
}

export type ToRecorder =
  | RecorderInit
  | { readonly type: 'annotate'; readonly sampleIndex: number; readonly durationSec: number; readonly label: string }
  | { readonly type: 'stop'; readonly untilSampleIndex: number };

export interface RecorderProgress {
  readonly records: number;
  readonly rowsWritten: number;
  readonly clippedValues: number;
  readonly lostRows: number;
  readonly annotations: number;
}

export interface RecorderSummary extends RecorderProgress {
  readonly path: string;
  readonly durationSec: number;
  readonly sha256: string;
  /** Set when the recording ended early (disk full, no permission…); the file is valid up to there. */
  readonly error: string | null;
  /** The annotations the recorder made itself (gaps it zero-filled, clipping, the end): events.tsv lists them too. */
  readonly ownAnnotations: readonly { readonly onsetSec: number; readonly durationSec: number; readonly label: string }[];
}

export type FromRecorder =
  | { readonly type: 'ready' }
  | ({ readonly type: 'progress' } & RecorderProgress)
  | ({ readonly type: 'stopped' } & RecorderSummary)
  /** The recording stopped by itself (disk full…), or could not start. */
  | { readonly type: 'error'; readonly message: string }
  /** Something to tell while the recording goes on (an annotation that stays in events.tsv only). */
  | { readonly type: 'notice'; readonly message: string };
