// The recordings library: what the data folder holds, one entry per recording (ours, with their
// session file and sidecars, and any other recording a lab put there), and the requests on one
// recording (verify its checksum, show its sidecars, repair it). Paths are on the engine's machine:
// the browser twin cannot hand the engine a local file, so this is how `bci serve` users open one.

import { z } from 'zod';

const pathSchema = z.string().min(1).max(4096);

export const listRecordingsSchema = z.object({ dataDir: pathSchema.optional() }).strict().optional();
export const recordingPathSchema = z.object({ path: pathSchema }).strict();

/** The file extensions the library lists (what `bci replay` and Open recording read). */
export const LIBRARY_EXTENSIONS = ['bdf', 'edf', 'gdf', 'xdf', 'vhdr', 'ahdr'] as const;

export type ChecksumState =
  /** Its .sha256 file matches the data, computed now (or cached for this size and time). */
  | 'verified'
  /** The data no longer matches its .sha256 file. */
  | 'mismatch'
  /** A .sha256 file is there; not computed yet (Verify computes it). */
  | 'unverified'
  /** No .sha256 file (ours: not closed; another tool's: none written). */
  | 'missing';

export type LibraryState =
  | 'complete'
  /** Cut off by a crash or a full disk: `repairRecording` completes it. */
  | 'unfinished'
  /** Being written by this engine right now. */
  | 'recording'
  /** Not a recording the readers understand (problem says why). */
  | 'unreadable';

export interface LibraryEntry {
  readonly path: string;
  /** Relative to the data folder, with '/' separators. */
  readonly relativePath: string;
  readonly format: string;
  readonly sizeBytes: number;
  /** ISO 8601. */
  readonly modifiedAt: string;
  /** Recorded by the workstation (its session file is beside it). */
  readonly ours: boolean;
  readonly subject: string | null;
  readonly session: string | null;
  readonly task: string | null;
  readonly run: number | null;
  /** The session mode (recording, calibration, assistive) for ours. */
  readonly mode: string | null;
  readonly protocolId: string | null;
  /** ISO 8601; null when the file does not say. */
  readonly startTime: string | null;
  readonly durationSec: number | null;
  readonly channels: number | null;
  readonly sampleRateHz: number | null;
  /** Events (events.tsv rows for ours, the file's own annotations and markers otherwise). */
  readonly events: number | null;
  readonly checksum: ChecksumState;
  readonly state: LibraryState;
  /** Why unfinished or unreadable, or a mismatch's detail; null otherwise. */
  readonly problem: string | null;
  /** The sidecar files beside it (names). */
  readonly sidecars: readonly string[];
}

export interface LibraryListing {
  readonly dataDir: string;
  readonly entries: LibraryEntry[];
  /** What the listing left out or could not read, as sentences. */
  readonly notes: string[];
}

export interface SidecarText {
  readonly name: string;
  readonly text: string;
  /** Only the first bytes are shown (the file is larger). */
  readonly truncated: boolean;
}
