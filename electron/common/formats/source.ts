// Random access to a recording's bytes, so that readers never load a file whole (recordings run to
// gigabytes). A ByteSource is the only thing a reader sees of a file: the engine wraps a file handle
// (electron/engine/files/file-source.ts), tests wrap a byte array (bytesSource). A recording split
// over several files (BrainVision: .vhdr + .eeg + .vmrk) reaches its siblings through a
// SiblingResolver that the opener provides.
//
// Also here: exact reads that fail with a clear RecordingFormatError when the file is shorter than a
// header says, and a small sequential reader with a bounded window for formats that must be walked
// (XDF chunks, text rows): it never allocates more than its window, whatever a length field claims.

import { RecordingFormatError } from './recording.js';

/** Random access to a file's bytes: files are never loaded whole (multi-GB recordings). */
export interface ByteSource {
  readonly size: number;
  /** Bytes [offset, offset+length), fewer only where the source ends. */
  read(offset: number, length: number): Promise<Uint8Array>;
}

/** Opens a file that sits beside the one being read (same folder), by its name as written in the
 * header (e.g. BrainVision's DataFile=test.eeg). Rejects when it does not exist. */
export type SiblingResolver = (fileName: string) => Promise<ByteSource>;

/** In-memory source, for tests and small files. */
export function bytesSource(bytes: Uint8Array): ByteSource {
  return {
    size: bytes.length,
    read(offset: number, length: number): Promise<Uint8Array> {
      const start = Math.max(0, Math.min(bytes.length, offset));
      const end = Math.max(start, Math.min(bytes.length, offset + length));
      return Promise.resolve(bytes.subarray(start, end));
    },
  };
}

/** Reads exactly `length` bytes at `offset` or fails, naming what was being read. */
export async function readExact(source: ByteSource, offset: number, length: number, what: string): Promise<Uint8Array> {
  if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0) {
    throw new RecordingFormatError(`${what}: invalid position ${offset} (+${length}) in the file`);
  }
  if (offset + length > source.size) {
    throw new RecordingFormatError(`${what} runs past the end of the file (needs bytes up to ${offset + length}, the file has ${source.size}): the file is truncated or corrupt`);
  }
  const bytes = await source.read(offset, length);
  if (bytes.length !== length) {
    throw new RecordingFormatError(`${what}: could read only ${bytes.length} of ${length} bytes at ${offset}: the file changed or is unreadable`);
  }
  return bytes;
}

const DEFAULT_WINDOW = 1 << 20;

/**
 * Sequential reads from a position with a bounded buffer (default 1 MB). Fails with a
 * RecordingFormatError when a read would run past the end of the file or of `limit`.
 */
export class SequentialReader {
  private buffer: Uint8Array = new Uint8Array(0);
  private bufferStart = 0;
  private view: DataView = new DataView(this.buffer.buffer);
  /** Absolute position of the next byte to read. */
  pos: number;

  constructor(
    private readonly source: ByteSource,
    start: number,
    private readonly what: string,
    /** Reads never go past this absolute position (default: the end of the source). */
    private limit: number = source.size,
    private readonly window: number = DEFAULT_WINDOW,
  ) {
    this.pos = start;
    this.limit = Math.min(limit, source.size);
  }

  get remaining(): number {
    return this.limit - this.pos;
  }

  setLimit(limit: number): void {
    this.limit = Math.min(limit, this.source.size);
  }

  /** Makes at least n bytes available at pos in the buffer; returns the buffer offset of pos. */
  private async ensure(n: number): Promise<number> {
    const rel = this.pos - this.bufferStart;
    if (rel >= 0 && rel + n <= this.buffer.length) return rel;
    if (this.pos + n > this.limit) {
      throw new RecordingFormatError(`${this.what} runs past the end of ${this.limit === this.source.size ? 'the file' : 'its chunk'} (at byte ${this.pos}, needs ${n} more, ${Math.max(0, this.limit - this.pos)} left): the file is truncated or corrupt`);
    }
    const length = Math.min(Math.max(n, this.window), this.limit - this.pos);
    const bytes = await this.source.read(this.pos, length);
    if (bytes.length < n) throw new RecordingFormatError(`${this.what}: the file ended early at byte ${this.pos + bytes.length}`);
    this.buffer = bytes;
    this.bufferStart = this.pos;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    return 0;
  }

  async u8(): Promise<number> {
    const at = await this.ensure(1);
    this.pos += 1;
    return this.buffer[at];
  }

  async u16(): Promise<number> {
    const at = await this.ensure(2);
    this.pos += 2;
    return this.view.getUint16(at, true);
  }

  async u32(): Promise<number> {
    const at = await this.ensure(4);
    this.pos += 4;
    return this.view.getUint32(at, true);
  }

  async u64(): Promise<number> {
    const at = await this.ensure(8);
    this.pos += 8;
    const lo = this.view.getUint32(at, true);
    const hi = this.view.getUint32(at + 4, true);
    // beyond 2^53 the value is only used to be refused as too large
    return hi * 0x1_0000_0000 + lo;
  }

  async f64(): Promise<number> {
    const at = await this.ensure(8);
    this.pos += 8;
    return this.view.getFloat64(at, true);
  }

  /** n bytes (a view into the buffer when they fit the window; valid until the next read). */
  async bytes(n: number): Promise<Uint8Array> {
    if (n > this.window) {
      if (this.pos + n > this.limit) throw new RecordingFormatError(`${this.what} runs past the end of ${this.limit === this.source.size ? 'the file' : 'its chunk'} (at byte ${this.pos}, needs ${n})`);
      const out = await readExact(this.source, this.pos, n, this.what);
      this.pos += n;
      return out;
    }
    const at = await this.ensure(n);
    this.pos += n;
    return this.buffer.subarray(at, at + n);
  }

  /** The window's bytes from pos on (at least min of them, unless the limit is nearer), without consuming. */
  async peek(min: number): Promise<{ bytes: Uint8Array; view: DataView; at: number }> {
    const n = Math.min(min, this.limit - this.pos);
    const at = await this.ensure(Math.max(0, n));
    return { bytes: this.buffer, view: this.view, at };
  }

  skip(n: number): void {
    if (n < 0 || this.pos + n > this.limit) {
      throw new RecordingFormatError(`${this.what} runs past the end of ${this.limit === this.source.size ? 'the file' : 'its chunk'} (at byte ${this.pos}, skipping ${n})`);
    }
    this.pos += n;
  }
}
