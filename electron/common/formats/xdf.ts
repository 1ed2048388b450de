// XDF (Lab Streaming Layer recordings, LabRecorder) reader over a ByteSource: a RecordingReader
// whose rows come from one stream of the file and whose events come from its marker streams.
//
// Open walks the whole file once and keeps no samples (xdf-scan.ts: the chunk layout, and for each
// numeric stream a table of blocks, ≤ 1024 samples inside one chunk with the sums of their time
// stamps; each stream's clock offsets; the marker streams' stamps and texts). Time stamps are then
// made pyxdf-like (xdf-clock.ts: clock offsets with reset handling, then a least-squares line per
// unbroken run) from the block sums. The main stream (numeric, regular, most channels) gives the
// rows; its breaks become discontinuities; every string stream (and numeric irregular streams
// named like markers) gives events, placed in recording time. Reads go back to the file through
// the block table, a few MB at a time.

import {
  clampRead,
  normalizeUnit,
  RecordingFormatError,
  sortEvents,
  totalMissingSec,
  type RecordingChannel,
  type RecordingChannelType,
  type RecordingEvent,
  type RecordingInfo,
  type RecordingReader,
} from './recording.js';
import { readExact, type ByteSource } from './source.js';
import { dejitteredTimeline, synchronizeClocks } from './xdf-clock.js';
import { getter, INT_RANGE, MAX_MARKERS, READ_BYTES, scanXdf, type XdfStream } from './xdf-scan.js';
import { xmlText } from './xml-lite.js';

function channelType(text: string, streamType: string): RecordingChannelType {
  const t = (text || streamType).toLowerCase();
  if (t.startsWith('eeg')) return 'eeg';
  if (t.startsWith('emg')) return 'emg';
  if (t.startsWith('ecg') || t.startsWith('ekg')) return 'ecg';
  if (t.startsWith('eog')) return 'eog';
  if (t.startsWith('acc')) return 'accel';
  if (t.startsWith('aux')) return 'aux';
  if (/trig|stim|marker/.test(t)) return 'stim';
  return 'misc';
}

function parseHeaderDate(text: string | undefined): Date | null {
  if (!text) return null;
  const iso = text.trim().replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
  const ms = Date.parse(iso);
  return Number.isFinite(ms) ? new Date(ms) : null;
}

export class XdfReader implements RecordingReader {
  readonly info: RecordingInfo;

  private constructor(
    private readonly source: ByteSource,
    private readonly main: XdfStream,
    info: RecordingInfo,
  ) {
    this.info = info;
  }

  static async open(source: ByteSource): Promise<XdfReader> {
    const { streams, fileHeader, notes } = await scanXdf(source);
    if (streams.size === 0) throw new RecordingFormatError('the XDF file has no streams');
    const candidates = [...streams.values()].filter((s) => s.format !== 'string' && s.nominalRateHz > 0 && s.samples > 0);
    if (candidates.length === 0) throw new RecordingFormatError('the XDF file has no regularly sampled numeric stream with samples: nothing to read as rows');
    candidates.sort((a, b) => b.channelCount - a.channelCount || b.samples - a.samples);
    const main = candidates[0];
    const markerStreams = [...streams.values()].filter((s) => s !== main && s.keepsMarkers);
    const ignored = [...streams.values()].filter((s) => s !== main && !s.keepsMarkers);
    notes.unshift(`XDF: ${streams.size} streams; rows from "${main.name}" (${main.type || 'no type'}, ${main.channelCount} channels, ${main.nominalRateHz} Hz, ${main.format})${markerStreams.length ? `; events from ${markerStreams.map((m) => `"${m.name}"`).join(', ')}` : ''}.`);
    if (ignored.length) notes.push(`Other streams not read: ${ignored.map((s) => `"${s.name}" (${s.channelCount} ch, ${s.nominalRateHz} Hz)`).join(', ')}.`);

    // clock synchronisation, then jitter removal: the time line that breaks and events are placed on
    notes.push(...(await synchronizeClocks(source, main, markerStreams)));
    const timeline = dejitteredTimeline(main);
    notes.push(...timeline.notes);
    const { discontinuities } = timeline;
    const rate = main.nominalRateHz;

    // events from the marker streams, in recording time
    const events: RecordingEvent[] = [];
    for (const m of markerStreams) {
      const prefix = markerStreams.length > 1 ? `${m.name}: ` : '';
      for (let i = 0; i < m.markerStamps.length; i++) {
        events.push({ onsetSec: timeline.toRecordingSec(m.markerStamps[i]), durationSec: 0, label: prefix + m.markerLabels[i] });
      }
      if (m.samples > m.markerStamps.length) notes.push(`Stream "${m.name}": only the first ${MAX_MARKERS} markers were read.`);
    }

    const intRange = INT_RANGE[main.format];
    const streamIsEeg = /^eeg$/i.test(main.type);
    let assumedUv = false;
    const channels: RecordingChannel[] = main.labels.map((label, c) => {
      const type = channelType(main.channelTypes[c], main.type);
      let unit = normalizeUnit(main.units[c]);
      if (!unit && (type === 'eeg' || streamIsEeg)) {
        unit = 'uV';
        assumedUv = true;
      }
      let lo = intRange ? intRange[0] : main.min[c];
      let hi = intRange ? intRange[1] : main.max[c];
      if (!Number.isFinite(lo) || !Number.isFinite(hi)) {
        lo = -1;
        hi = 1;
      } else if (lo === hi) {
        lo -= 1;
        hi += 1;
      }
      return { label, type: type === 'stim' ? 'misc' : type, unit, sampleRateHz: rate, physicalMin: lo, physicalMax: hi };
    });
    if (assumedUv) notes.push('Channel units are not stated in the stream header: µV assumed for EEG channels.');
    const info: RecordingInfo = {
      format: 'xdf',
      channels,
      sampleRateHz: rate,
      rowChannels: channels.map((_, i) => i),
      sampleCount: main.samples,
      durationSec: main.samples / rate + totalMissingSec(discontinuities),
      startTime: parseHeaderDate(xmlText(fileHeader ?? undefined, 'datetime')),
      events: sortEvents(events),
      discontinuities,
      notes,
    };
    return new XdfReader(source, main, info);
  }

  readRows(start: number, count: number, out: Float64Array): Promise<number> {
    const n = clampRead(this.info.sampleCount, start, count, out, this.main.channelCount);
    return this.readSamples(start, n, out, -1).then(() => n);
  }

  readChannel(channel: number, start: number, count: number, out: Float64Array): Promise<number> {
    if (!Number.isInteger(channel) || channel < 0 || channel >= this.main.channelCount) {
      throw new RangeError(`channel ${channel} does not exist (the stream has ${this.main.channelCount})`);
    }
    const n = clampRead(this.info.sampleCount, start, count, out, 1);
    return this.readSamples(start, n, out, channel).then(() => n);
  }

  /** Samples [start, start+n) of all channels (channel −1) or one, from the blocks that hold them. */
  private async readSamples(start: number, n: number, out: Float64Array, channel: number): Promise<void> {
    if (n === 0) return;
    const s = this.main;
    const blocks = s.blocks;
    const end = start + n;
    const nch = s.channelCount;
    const width = channel < 0 ? nch : 1;
    const valueBytes = nch * s.valueBytes;
    const vb = s.valueBytes;
    const get = getter(s.format);
    // the block holding `start`
    let lo = 0;
    let hi = blocks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (blocks.first(mid) <= start) lo = mid;
      else hi = mid - 1;
    }
    let bi = lo;
    while (bi < blocks.length && blocks.first(bi) < end) {
      const span = await this.span(bi, end);
      const view = new DataView(span.bytes.buffer, span.bytes.byteOffset, span.bytes.byteLength);
      let k = bi;
      for (; k <= span.last && blocks.first(k) < end; k++) {
        let p = blocks.pos(k) - span.pos;
        const first = blocks.first(k);
        const count = blocks.count(k);
        for (let i = 0; i < count; i++) {
          const flag = span.bytes[p];
          if (flag !== 0 && flag !== 8) throw new RecordingFormatError(`XDF stream ${s.id}: the file changed since it was opened`);
          const row = first + i;
          if (row >= start && row < end) {
            const q = p + 1 + flag;
            const o = (row - start) * width;
            if (channel < 0) for (let c = 0; c < nch; c++) out[o + c] = get(view, q + c * vb);
            else out[o] = get(view, q + channel * vb);
          }
          p += 1 + flag + valueBytes;
        }
      }
      bi = k;
    }
  }

  /** The last byte span read: blocks [first, last] of the main stream. */
  private cached: { first: number; last: number; pos: number; bytes: Uint8Array } | null = null;

  /**
   * Bytes holding block `bi` and the blocks after it, up to READ_BYTES in one read (the chunk
   * headers and other streams' chunks between them included); kept for the next read.
   */
  private async span(bi: number, end: number): Promise<{ first: number; last: number; pos: number; bytes: Uint8Array }> {
    const c = this.cached;
    if (c && bi >= c.first && bi <= c.last) return c;
    const blocks = this.main.blocks;
    const pos = blocks.pos(bi);
    let last = bi;
    // read ahead past `end` too (sequential replay), as long as the span stays within READ_BYTES
    while (last + 1 < blocks.length && blocks.end(last + 1) - pos <= READ_BYTES && (blocks.first(last + 1) < end || blocks.end(last + 1) - pos <= READ_BYTES / 4)) last++;
    const bytes = await readExact(this.source, pos, blocks.end(last) - pos, `XDF stream ${this.main.id} samples`);
    this.cached = { first: bi, last, pos, bytes };
    return this.cached;
  }
}

export function openXdf(source: ByteSource): Promise<XdfReader> {
  return XdfReader.open(source);
}
