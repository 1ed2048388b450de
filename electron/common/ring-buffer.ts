// The sample ring buffer: one producer (acquisition), several readers (pipeline worker, recorder,
// display), each with its own cursor, on a SharedArrayBuffer so that worker threads read the very
// same memory. No allocation on write or read.
//
// Layout of the shared memory (all views built once, in the constructor):
//   header  Int32Array  [WRITE, RESERVE, CHANNELS, CAPACITY, MAX_READERS, READER_ACTIVE×n, READER_CURSOR×n]
//   values  Float64Array capacity × channelCount, interleaved rows (row r, channel c at r·channels + c)
//   index   Float64Array capacity: the sample index of each row (grows; jumps over device gaps)
//   pushMs  Float64Array capacity: host time (performance.timeOrigin + now) at which the row was pushed
//
// Counters: the producer's row count is a 53-bit number kept locally; only its low 32 bits are
// published (Atomics on Int32). A reader knows its own cursor exactly, so it recovers the writer's
// full count from the low bits as `cursor + ((writeLow - cursorLow) >>> 0)`: no limit on session
// length. Before copying rows the producer publishes RESERVE (the count it is about to reach) and
// after copying it publishes WRITE; a reader that copied rows the producer may have been
// overwriting meanwhile (seqlock style) drops them and counts them as lost. A reader that falls more
// than `capacity` rows behind skips ahead and is told exactly how many rows it lost.

const WRITE = 0;
const RESERVE = 1;
const CHANNELS = 2;
const CAPACITY = 3;
const MAX_READERS = 4;
const READERS_BASE = 5;
const HEADER_WORDS_FIXED = READERS_BASE;

function headerWords(maxReaders: number): number {
  // fixed words + active flag + cursor per reader, rounded up to a multiple of 2 (8-byte alignment)
  const words = HEADER_WORDS_FIXED + 2 * maxReaders;
  return words + (words % 2);
}

export interface RingBufferShape {
  readonly channelCount: number;
  readonly capacityRows: number;
  readonly maxReaders: number;
}

export class RingBuffer {
  readonly buffer: SharedArrayBuffer;
  readonly channelCount: number;
  readonly capacityRows: number;
  readonly maxReaders: number;
  /** @internal views shared with readers */
  readonly header: Int32Array;
  readonly values: Float64Array;
  readonly sampleIndex: Float64Array;
  readonly pushTimeMs: Float64Array;

  private written = 0;

  /** Allocates a new ring buffer. capacityRows × channelCount doubles, plus two doubles a row. */
  static create(shape: RingBufferShape): RingBuffer {
    const { channelCount, capacityRows, maxReaders } = shape;
    if (!Number.isInteger(channelCount) || channelCount < 1 || channelCount > 1024) {
      throw new RangeError(`ring buffer: channel count must be an integer 1..1024, got ${channelCount}`);
    }
    if (!Number.isInteger(capacityRows) || capacityRows < 2 || capacityRows > 2 ** 30) {
      throw new RangeError(`ring buffer: capacity must be an integer number of rows ≥ 2, got ${capacityRows}`);
    }
    if (!Number.isInteger(maxReaders) || maxReaders < 1 || maxReaders > 64) {
      throw new RangeError(`ring buffer: maxReaders must be 1..64, got ${maxReaders}`);
    }
    const bytes = 4 * headerWords(maxReaders) + 8 * capacityRows * (channelCount + 2);
    const sab = new SharedArrayBuffer(bytes);
    const header = new Int32Array(sab, 0, headerWords(maxReaders));
    header[CHANNELS] = channelCount;
    header[CAPACITY] = capacityRows;
    header[MAX_READERS] = maxReaders;
    return new RingBuffer(sab);
  }

  /** Attaches to a ring buffer created elsewhere (e.g. in another thread). */
  static attach(buffer: SharedArrayBuffer): RingBuffer {
    return new RingBuffer(buffer);
  }

  private constructor(buffer: SharedArrayBuffer) {
    this.buffer = buffer;
    const probe = new Int32Array(buffer, 0, HEADER_WORDS_FIXED);
    this.channelCount = probe[CHANNELS];
    this.capacityRows = probe[CAPACITY];
    this.maxReaders = probe[MAX_READERS];
    const hw = headerWords(this.maxReaders);
    this.header = new Int32Array(buffer, 0, hw);
    let offset = 4 * hw;
    this.values = new Float64Array(buffer, offset, this.capacityRows * this.channelCount);
    offset += 8 * this.capacityRows * this.channelCount;
    this.sampleIndex = new Float64Array(buffer, offset, this.capacityRows);
    offset += 8 * this.capacityRows;
    this.pushTimeMs = new Float64Array(buffer, offset, this.capacityRows);
  }

  /** Rows written so far by this producer (only meaningful on the producer's side). */
  get writtenRows(): number {
    return this.written;
  }

  /**
   * Appends rowCount interleaved rows from `rows` (rowCount × channelCount values). Their sample
   * indices are firstSampleIndex, firstSampleIndex + 1, …. Never blocks: a reader that is too slow
   * loses the oldest rows and is told so when it next reads.
   */
  write(rows: Float64Array, rowCount: number, firstSampleIndex: number, pushTimeMs: number): void {
    const channels = this.channelCount;
    const capacity = this.capacityRows;
    if (rowCount <= 0) return;
    if (rowCount > capacity) {
      throw new RangeError(`ring buffer: a write of ${rowCount} rows exceeds the capacity of ${capacity} rows`);
    }
    if (rows.length < rowCount * channels) {
      throw new RangeError(`ring buffer: ${rowCount} rows need ${rowCount * channels} values, got ${rows.length}`);
    }
    const start = this.written;
    Atomics.store(this.header, RESERVE, (start + rowCount) | 0);
    const slot = start % capacity;
    const firstPart = Math.min(rowCount, capacity - slot);
    this.values.set(rows.subarray(0, firstPart * channels), slot * channels);
    if (firstPart < rowCount) {
      this.values.set(rows.subarray(firstPart * channels, rowCount * channels), 0);
    }
    for (let r = 0; r < rowCount; r++) {
      const s = (slot + r) % capacity;
      this.sampleIndex[s] = firstSampleIndex + r;
      this.pushTimeMs[s] = pushTimeMs;
    }
    this.written = start + rowCount;
    Atomics.store(this.header, WRITE, this.written | 0);
    Atomics.notify(this.header, WRITE);
  }

  /** Claims a free reader slot; returns -1 when all are taken. */
  claimReaderSlot(): number {
    for (let i = 0; i < this.maxReaders; i++) {
      if (Atomics.compareExchange(this.header, READERS_BASE + i, 0, 1) === 0) return i;
    }
    return -1;
  }

  releaseReaderSlot(slot: number): void {
    Atomics.store(this.header, READERS_BASE + slot, 0);
  }

  /**
   * Rows the slowest active reader still has to read (producer side). Used for the buffer fill
   * figure and by unpaced software sources, which pace themselves to their readers.
   */
  maxReaderLag(): number {
    let lag = 0;
    const writtenLow = this.written | 0;
    for (let i = 0; i < this.maxReaders; i++) {
      if (Atomics.load(this.header, READERS_BASE + i) === 0) continue;
      const cursorLow = Atomics.load(this.header, READERS_BASE + this.maxReaders + i);
      const behind = (writtenLow - cursorLow) >>> 0;
      if (behind > lag) lag = behind;
    }
    return lag;
  }

  /** @internal */
  publishCursor(slot: number, cursor: number): void {
    Atomics.store(this.header, READERS_BASE + this.maxReaders + slot, cursor | 0);
  }

  /** @internal low 32 bits of the published write count */
  loadWriteLow(): number {
    return Atomics.load(this.header, WRITE);
  }

  /** @internal low 32 bits of the reserve count */
  loadReserveLow(): number {
    return Atomics.load(this.header, RESERVE);
  }

  /**
   * Resolves when the write count moves away from `knownLow` or after timeoutMs (for readers in
   * worker threads; the event loop keeps running meanwhile).
   */
  async waitForWrite(knownLow: number, timeoutMs: number): Promise<void> {
    const result = Atomics.waitAsync(this.header, WRITE, knownLow, timeoutMs);
    if (result.async) await result.value;
  }
}

/**
 * One reader's cursor on a ring buffer. Each read returns how many rows were copied and sets
 * `lostRows` (rows that were overwritten before this reader got to them) and `firstSampleIndex`.
 * A read stops at a jump in the sample index, so every chunk it returns is contiguous in time.
 */
export class RingReader {
  /** Rows lost before the rows returned by the last read (overflow or overwrite while copying). */
  lostRows = 0;
  /** Sample index of the first row returned by the last read. */
  firstSampleIndex = 0;
  /** Host push time of the last row returned by the last read (ms, performance.timeOrigin based). */
  lastPushTimeMs = 0;
  /** Total rows lost by this reader since it was opened. */
  totalLostRows = 0;

  private cursor: number;
  private readonly slot: number;

  constructor(
    readonly ring: RingBuffer,
    options: {
      /** A slot claimed elsewhere (e.g. by the engine, for a reader that lives in a worker). */
      slot?: number;
      /** The exact producer count to start at; required when attaching from another thread. */
      cursor?: number;
      /** Where to start when no cursor is given: the producer's count (live) or the oldest row kept. */
      startAt?: 'live' | 'oldest';
    } = {},
  ) {
    const claimed = options.slot ?? ring.claimReaderSlot();
    if (claimed < 0) throw new Error(`ring buffer: all ${ring.maxReaders} reader slots are in use`);
    this.slot = claimed;
    const written = ring.writtenRows;
    this.cursor = options.cursor ?? (options.startAt === 'oldest' ? Math.max(0, written - ring.capacityRows) : written);
    ring.publishCursor(this.slot, this.cursor);
  }

  get readerSlot(): number {
    return this.slot;
  }

  /** Rows written since this reader's cursor (may exceed capacity: those are lost). */
  available(): number {
    return (this.ring.loadWriteLow() - (this.cursor | 0)) >>> 0;
  }

  /** This reader's position: rows consumed (or skipped) so far, in the producer's count. */
  get position(): number {
    return this.cursor;
  }

  /**
   * Copies up to maxRows contiguous rows into `out` (interleaved) and, when given, their sample
   * indices into `outSampleIndex` and their push times into `outPushTimeMs`. Returns the number of
   * rows copied (0 when there is nothing new).
   */
  read(out: Float64Array, maxRows: number, outSampleIndex?: Float64Array, outPushTimeMs?: Float64Array): number {
    const ring = this.ring;
    const capacity = ring.capacityRows;
    const channels = ring.channelCount;
    let lost = 0;
    let avail = (ring.loadWriteLow() - (this.cursor | 0)) >>> 0;
    if (avail > capacity) {
      lost = avail - capacity;
      this.cursor += lost;
      avail = capacity;
    }
    let n = Math.min(avail, maxRows, Math.floor(out.length / channels));
    if (n === 0) {
      this.noteLost(lost);
      this.lastPushTimeMs = 0;
      return 0;
    }
    const slot = this.cursor % capacity;
    // stop at a discontinuity of the sample index (a device gap)
    const first = ring.sampleIndex[slot];
    for (let r = 1; r < n; r++) {
      if (ring.sampleIndex[(slot + r) % capacity] !== first + r) {
        n = r;
        break;
      }
    }
    const firstPart = Math.min(n, capacity - slot);
    out.set(ring.values.subarray(slot * channels, (slot + firstPart) * channels), 0);
    if (firstPart < n) out.set(ring.values.subarray(0, (n - firstPart) * channels), firstPart * channels);
    const lastPush = ring.pushTimeMs[(slot + n - 1) % capacity];
    if (outSampleIndex) for (let r = 0; r < n; r++) outSampleIndex[r] = first + r;
    if (outPushTimeMs) for (let r = 0; r < n; r++) outPushTimeMs[r] = ring.pushTimeMs[(slot + r) % capacity];

    // seqlock check: rows below (reserve - capacity) may have been overwritten while we copied
    const reserveAhead = (ring.loadReserveLow() - (this.cursor | 0)) >>> 0;
    const unsafe = reserveAhead > capacity ? Math.min(n, reserveAhead - capacity) : 0;
    if (unsafe > 0) {
      out.copyWithin(0, unsafe * channels, n * channels);
      if (outSampleIndex) outSampleIndex.copyWithin(0, unsafe, n);
      if (outPushTimeMs) outPushTimeMs.copyWithin(0, unsafe, n);
      lost += unsafe;
      this.cursor += unsafe;
      n -= unsafe;
    }
    this.firstSampleIndex = first + unsafe;
    this.lastPushTimeMs = lastPush;
    this.cursor += n;
    this.ring.publishCursor(this.slot, this.cursor);
    this.noteLost(lost);
    return n;
  }

  /** Skips to the producer's current position on purpose (not counted as lost). */
  skipToLive(): void {
    this.cursor += this.available();
    this.ring.publishCursor(this.slot, this.cursor);
  }

  close(): void {
    this.ring.releaseReaderSlot(this.slot);
  }

  private noteLost(lost: number): void {
    this.lostRows = lost;
    this.totalLostRows += lost;
  }
}
