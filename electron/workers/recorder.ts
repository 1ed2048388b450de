// Recorder worker (worker_threads entry): reads raw rows from the shared ring buffer with its own
// cursor and writes a BDF+/EDF+ file as it goes, one-second records, fsync at least once a second.
// Gaps (device or reader) are written as zero-filled samples with a "gap" annotation so that time
// stays true; markers arrive as messages and are written with the record that holds their onset
// (an event after the last sample is placed at the end with its true time in its label: see
// common/formats/recording-events.ts). Rows the engine counted that never reached the ring (a
// device gap at the very end) are zero-filled and annotated too, so a stop never waits for them.
// The annotations the recorder makes itself (gaps, clipping, the end) are handed back at stop for
// events.tsv, which therefore lists exactly what the file holds. On a write failure (disk full, folder gone) it stops,
// keeps every whole record, and completes the header: the file stays valid.

import { parentPort } from 'node:worker_threads';
import { closeSync, fsyncSync, ftruncateSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { RingBuffer, RingReader } from '../common/ring-buffer.js';
import { EDF_HALF_RANGE_UV, EdfLayout, MAX_TIMEKEEPING_BYTES, appendAnnotations, encodeRecord, numberField, unfitExample, type EdfAnnotation, type EdfSignalSpec } from '../common/formats/edf-writer.js';
import { placeEvent } from '../common/formats/recording-events.js';
import type { FromRecorder, RecorderInit, RecorderProgress, ToRecorder } from '../common/contract/recorder-messages.js';

const port = parentPort;
if (!port) throw new Error('the recorder worker must run in a worker thread');
const post = (m: FromRecorder) => port!.postMessage(m);

/** Where the record count sits in an EDF header. */
const RECORD_COUNT_OFFSET = 236;

function describeWriteError(error: unknown, path: string): string {
  const code = (error as { code?: string }).code;
  if (code === 'ENOSPC') return `the disk is full: recording stopped; ${path} is complete up to the last whole second`;
  if (code === 'EACCES' || code === 'EPERM') return `no permission to write ${path}: choose a folder you can write to`;
  if (code === 'EEXIST') return `${path} already exists: recordings are never overwritten`;
  if (code === 'ENOENT') return `cannot create ${path}: its folder does not exist`;
  if (code === 'EROFS') return `${path} is on a read-only file system: choose a folder you can write to`;
  if (code === 'EDQUOT') return `the disk quota is exhausted: recording stopped; ${path} is complete up to the last whole second`;
  return `writing ${path} failed (${error instanceof Error ? error.message : String(error)})`;
}

/** Writes all of `bytes` at `position` (a write may take only part of them); throws what the file system says. */
function writeAll(fd: number, bytes: Uint8Array, position: number): void {
  for (let done = 0; done < bytes.length; ) done += writeSync(fd, bytes, done, bytes.length - done, position + done);
}

/** Why a recording could not start (nothing was recorded). */
function describeStartError(error: unknown, path: string): string {
  const code = (error as { code?: string }).code;
  const folder = path.slice(0, Math.max(0, path.lastIndexOf('/'))) || path;
  if (code === 'ENOSPC' || code === 'EDQUOT') return `the disk holding ${folder} is full: nothing was recorded; free some space or choose another folder`;
  return describeWriteError(error, path);
}

class Recorder {
  private readonly ring: RingBuffer;
  private readonly reader: RingReader;
  private readonly channels: number;
  private readonly rate: number;
  private readonly scratch: Float64Array;
  private readonly recordRows: Float64Array;
  private rowsInRecord = 0;
  private layout: EdfLayout;
  private recordBytes: Uint8Array;
  private fd: number | undefined;
  private expectedIndex: number;
  private records = 0;
  private rowsWritten = 0;
  private clipped = 0;
  private lost = 0;
  private annotationCount = 0;
  private pending: EdfAnnotation[] = [];
  /** Annotations the recorder made itself (gaps, clipping, the end), for events.tsv. */
  private readonly own: EdfAnnotation[] = [];
  private lastFsyncMs = 0;
  private stopAt: number | undefined;
  private failure: string | null = null;
  private finished = false;
  private headerFinal = false;

  constructor(private readonly init: RecorderInit) {
    this.ring = RingBuffer.attach(init.ring);
    this.reader = new RingReader(this.ring, { slot: init.readerSlot, cursor: init.readerCursor });
    this.channels = this.ring.channelCount;
    this.rate = init.sampleRateHz;
    this.scratch = new Float64Array(1024 * this.channels);
    this.recordRows = new Float64Array(this.rate * this.channels);
    this.expectedIndex = init.firstSampleIndex;
    this.fd = openSync(init.path, 'wx+');
    // the header is on disk before the recording is acknowledged: a crash in the first second
    // leaves a file that repair completes (0 records), never a 0-byte one
    try {
      this.layout = this.makeLayout(false);
      this.recordBytes = new Uint8Array(this.layout.recordBytes);
      writeAll(this.fd, this.layout.header(-1), 0);
      fsyncSync(this.fd);
    } catch (error) {
      closeSync(this.fd);
      this.fd = undefined;
      rmSync(init.path, { force: true });
      throw error;
    }
  }

  handle(message: ToRecorder): void {
    if (message.type === 'annotate') {
      this.annotate((message.sampleIndex - this.init.firstSampleIndex) / this.rate, message.durationSec, message.label);
    } else if (message.type === 'stop') {
      this.stopAt = message.untilSampleIndex;
    }
  }

  private annotate(onsetSec: number, durationSec: number, label: string): void {
    this.pending.push({ onsetSec: Math.max(0, onsetSec), durationSec, label });
    this.annotationCount++;
  }

  async run(): Promise<void> {
    let lastProgress = 0;
    let busy = 0;
    while (!this.finished) {
      const writeLow = this.ring.loadWriteLow();
      const n = this.reader.read(this.scratch, 1024);
      if (n > 0) {
        this.consume(n);
        if (this.failure) break;
        // let markers and the stop request in now and then, even while data keeps coming
        if (++busy >= 8) {
          busy = 0;
          await new Promise<void>((resolve) => setImmediate(resolve));
        }
      } else {
        if (this.stopAt !== undefined && this.expectedIndex >= this.stopAt) break;
        if (this.stopAt !== undefined && this.reader.available() === 0) {
          // every row before the stop was pushed before the stop was asked: the rest never came
          this.fillGap(this.stopAt - this.expectedIndex);
          break;
        }
        await this.ring.waitForWrite(writeLow, 50);
      }
      if (this.stopAt !== undefined && this.expectedIndex >= this.stopAt) break;
      const now = Date.now();
      if (now - lastProgress > 500) {
        lastProgress = now;
        post({ type: 'progress', ...this.progress() });
      }
    }
    this.finish();
  }

  private progress(): RecorderProgress {
    return { records: this.records, rowsWritten: this.rowsWritten, clippedValues: this.clipped, lostRows: this.lost, annotations: this.annotationCount };
  }

  /** Rows lost to this reader, or skipped by the device, up to `until`: zero-filled and annotated, time stays true. */
  private consume(n: number): void {
    let first = this.reader.firstSampleIndex;
    // rows lost to this reader, or skipped by the device: zero-filled and annotated, time stays true
    // (never past the stop: rows after it are not this recording's)
    const fillTo = this.stopAt === undefined ? first : Math.min(first, Math.max(this.expectedIndex, this.stopAt));
    if (fillTo > this.expectedIndex) this.fillGap(fillTo - this.expectedIndex);
    if (first > this.expectedIndex) this.expectedIndex = first;
    let skip = 0;
    if (first < this.expectedIndex) {
      // rows from before the recording started (the reader began a little early)
      skip = Math.min(n, this.expectedIndex - first);
      first += skip;
    }
    const limit = this.stopAt === undefined ? n : Math.min(n, skip + Math.max(0, this.stopAt - first));
    for (let r = skip; r < limit && !this.failure; r++) this.pushRow(this.scratch, r);
    this.expectedIndex = first + (limit - skip);
  }

  /** Zero-fills `missing` rows from expectedIndex and annotates them as a gap: time stays true. */
  private fillGap(missing: number): void {
    this.lost += missing;
    this.annotateOwn({ onsetSec: (this.expectedIndex - this.init.firstSampleIndex) / this.rate, durationSec: missing / this.rate, label: `gap: ${missing} samples lost` });
    for (let k = 0; k < missing && !this.failure; k++) this.pushRow(null, 0);
    this.expectedIndex += missing;
  }

  private annotateOwn(annotation: EdfAnnotation): void {
    this.own.push(annotation);
    this.annotate(annotation.onsetSec, annotation.durationSec, annotation.label);
  }

  /** Adds one row (or a zero row for a gap) to the current record; writes the record when full. */
  private pushRow(rows: Float64Array | null, r: number): void {
    const c = this.channels;
    const at = this.rowsInRecord * c;
    if (rows) for (let k = 0; k < c; k++) this.recordRows[at + k] = rows[r * c + k];
    else this.recordRows.fill(Number.NaN, at, at + c);
    this.rowsWritten++;
    if (++this.rowsInRecord === this.rate) this.writeRecord();
  }

  /** The file's layout; EDF ranges come from the first second's data when `fromData` (else centred on 0). */
  private makeLayout(fromData: boolean): EdfLayout {
    const init = this.init;
    let signals: readonly EdfSignalSpec[] = init.signals;
    if (init.variant === 'edf') {
      // 16 bits: a ±3276.7 µV window (0.1 µV steps) centred on each channel's median in the first second
      signals = init.signals.map((s, ch) => {
        const values: number[] = [];
        for (let i = 0; fromData && i < this.rowsInRecord; i++) {
          const v = this.recordRows[i * this.channels + ch];
          if (v === v) values.push(v);
        }
        values.sort((a, b) => a - b);
        const centre = values.length ? Math.round(values[values.length >> 1] * 10) / 10 : 0;
        const half = s.unit === 'uV' ? EDF_HALF_RANGE_UV : (s.physicalMax - s.physicalMin) / 2;
        const mid = s.unit === 'uV' ? centre : (s.physicalMax + s.physicalMin) / 2;
        return { ...s, physicalMin: mid - half, physicalMax: mid + half };
      });
    }
    return new EdfLayout({
      variant: init.variant,
      subjectCode: init.subjectCode,
      startTime: new Date(init.startTimeMs),
      technician: init.technician,
      equipment: init.equipment,
      sampleRateHz: this.rate,
      signals,
    });
  }

  /** EDF: the header written at start is rewritten once the first second gives each channel's range (same size). */
  private ensureHeader(): void {
    if (this.headerFinal) return;
    this.headerFinal = true;
    if (this.init.variant !== 'edf') return;
    this.layout = this.makeLayout(true);
    this.write(this.layout.header(-1), 0);
  }

  private writeRecord(): void {
    this.ensureHeader();
    const layout = this.layout;
    const onset = this.records;
    // an annotation goes with the record that holds its end (or with a later one), never earlier
    // while recording (at the stop, late ones may fill earlier records: writeLateAnnotations); one
    // still running when the recording ends is cut at the end like in events.tsv
    const endsBy = (a: EdfAnnotation) => a.onsetSec + Math.max(0, a.durationSec) <= onset + 1 + 1e-9;
    const due = this.pending.filter(endsBy);
    const later = due.length === this.pending.length ? [] : this.pending.filter((a) => !endsBy(a));
    const { clipped, overflow, unfit } = encodeRecord(layout, this.recordRows, onset, due, this.recordBytes);
    this.reportUnfit(unfit);
    if (clipped > 0) {
      this.clipped += clipped;
      const note = { onsetSec: onset, durationSec: 1, label: `clipped: ${clipped} values outside the physical range` };
      this.own.push(note);
      this.annotationCount++;
      overflow.push(note);
    }
    this.pending = overflow.concat(later);
    if (this.write(this.recordBytes, layout.headerBytes + this.records * layout.recordBytes)) {
      this.records++;
      this.rowsInRecord = 0;
      const now = Date.now();
      if (now - this.lastFsyncMs >= this.init.fsyncIntervalMs) {
        this.lastFsyncMs = now;
        this.sync();
      }
    }
  }

  /** Writes at a position; on failure records the reason and returns false. */
  private write(bytes: Uint8Array, position: number): boolean {
    if (this.failure || this.fd === undefined) return false;
    try {
      writeAll(this.fd, bytes, position);
      return true;
    } catch (error) {
      this.failure = describeWriteError(error, this.init.path);
      post({ type: 'error', message: this.failure });
      return false;
    }
  }

  private sync(): void {
    try {
      if (this.fd !== undefined) fsyncSync(this.fd);
    } catch {
      /* reported by the next write */
    }
  }

  private finish(): void {
    // the last, partial second: pad with "no data" so that every sample recorded is kept
    // events after the last sample: at the end, with their true time in the label
    const endSec = this.rowsWritten / this.rate;
    this.pending = this.pending.map((a) => placeEvent(a, endSec)).map(({ onsetSec, durationSec, label }) => ({ onsetSec, durationSec, label }));
    if (!this.failure && this.rowsInRecord > 0) {
      const kept = this.rowsInRecord;
      this.annotateOwn({ onsetSec: this.records + kept / this.rate, durationSec: 0, label: 'recording end' });
      for (let r = kept; r < this.rate; r++) this.recordRows.fill(Number.NaN, r * this.channels, (r + 1) * this.channels);
      this.rowsInRecord = this.rate;
      this.writeRecord();
    }
    const layout = this.layout; // written at start: even an empty recording has a valid header
    this.writeLateAnnotations(layout);
    let sha256 = '';
    if (this.fd !== undefined) {
      try {
        // keep whole records only (a failed write may have left part of one), then the true count
        ftruncateSync(this.fd, layout.headerBytes + this.records * layout.recordBytes);
        const count = new Uint8Array(8);
        const text = numberField(this.records);
        for (let i = 0; i < 8; i++) count[i] = text.charCodeAt(i);
        writeSync(this.fd, count, 0, 8, RECORD_COUNT_OFFSET);
        fsyncSync(this.fd);
        sha256 = this.hashFile(this.fd, layout.headerBytes + this.records * layout.recordBytes);
      } catch (error) {
        this.failure ??= describeWriteError(error, this.init.path);
      }
      closeSync(this.fd);
      this.fd = undefined;
    }
    this.reader.close();
    this.finished = true;
    if (this.failure) this.rowsWritten = Math.min(this.rowsWritten, this.records * this.rate);
    post({
      type: 'stopped',
      ...this.progress(),
      path: this.init.path,
      // after a failure the file holds whole records only: say what it holds, not what came in
      durationSec: this.failure ? this.records : this.rowsWritten / this.rate,
      sha256,
      error: this.failure,
      ownAnnotations: this.own,
    });
  }

  /**
   * Annotations that arrived after the last record was written go into the free space of its
   * annotations area, and what does not fit there into the records before it, last first (an EDF+
   * annotation may sit in any record; readers gather them all). Many can arrive at the end when the
   * rows ran ahead of the markers (an unpaced board on a loaded machine). Only when every record's
   * area is full does one stay in events.tsv alone, and the recording says so. Every record is whole
   * on disk by now: a failed write here leaves the recording complete and says what it left out.
   */
  private writeLateAnnotations(layout: EdfLayout): void {
    const fd = this.fd;
    if (this.pending.length === 0 || this.records === 0 || this.failure || fd === undefined) return;
    const areaBytes = layout.annotationSamples * layout.bytesPerSample;
    const areaPosition = (record: number) => layout.headerBytes + record * layout.recordBytes + layout.recordBytes - areaBytes;
    const area = new Uint8Array(areaBytes);
    const unfit: EdfAnnotation[] = [];
    let left = this.pending;
    let trouble: string | null = null;
    for (let record = this.records - 1; left.length > 0 && record >= 0; record--) {
      try {
        if (readSync(fd, area, 0, areaBytes, areaPosition(record)) !== areaBytes) break;
      } catch (error) {
        trouble = error instanceof Error ? error.message : String(error);
        break;
      }
      // a TAL ends in 0x14 0x00 and the area is zero-padded: in use up to the last non-zero byte and its 0x00
      let last = areaBytes - 1;
      while (last >= 0 && area[last] === 0) last--;
      if (last < 0) continue; // no time-keeping entry: not one of ours, left alone
      const inUse = last + 2;
      const placed = appendAnnotations(area, 0, areaBytes, inUse, left, MAX_TIMEKEEPING_BYTES);
      if (placed.used > inUse) {
        try {
          writeAll(fd, area, areaPosition(record));
        } catch (error) {
          trouble = error instanceof Error ? error.message : String(error);
          break;
        }
      }
      unfit.push(...placed.unfit);
      left = placed.overflow;
    }
    this.reportUnfit(unfit);
    if (left.length > 0) post({ type: 'notice', message: `${left.length} annotation(s) did not fit in the file${trouble ? ` (writing them failed: ${trouble})` : ''} and are only in events.tsv` });
    this.pending = [];
  }

  /** Annotations too long for any record's annotations area: kept in events.tsv, and said at once (the recording goes on). */
  private reportUnfit(unfit: readonly EdfAnnotation[]): void {
    if (unfit.length === 0) return;
    const holds = this.layout.annotationSamples * this.layout.bytesPerSample - MAX_TIMEKEEPING_BYTES;
    post({
      type: 'notice',
      message: `${unfit.length === 1 ? 'an annotation is' : `${unfit.length} annotations are`} too long for the file (${unfitExample(unfit)}, with its time over the ${holds} bytes a record holds), so only in events.tsv: keep labels shorter`,
    });
  }

  private hashFile(fd: number, size: number): string {
    const hash = createHash('sha256');
    const chunk = new Uint8Array(1 << 20);
    for (let at = 0; at < size; ) {
      const n = readSync(fd, chunk, 0, Math.min(chunk.length, size - at), at);
      if (n <= 0) break;
      hash.update(chunk.subarray(0, n));
      at += n;
    }
    return hash.digest('hex');
  }
}

let recorder: Recorder | undefined;
port.on('message', (message: ToRecorder) => {
  if (message.type === 'init' && !recorder) {
    try {
      recorder = new Recorder(message);
    } catch (error) {
      post({ type: 'error', message: describeStartError(error, message.path) });
      port.close();
      return;
    }
    post({ type: 'ready' });
    recorder.run().then(
      () => port.close(),
      (error: unknown) => post({ type: 'error', message: error instanceof Error ? error.message : String(error) }),
    );
    return;
  }
  recorder?.handle(message);
});
