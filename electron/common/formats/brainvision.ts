// BrainVision Core Data Format (Brain Products): three files side by side.
//   .vhdr  INI text: [Common Infos] DataFile, MarkerFile, DataFormat=BINARY, DataOrientation
//          MULTIPLEXED (ch1 pt1, ch2 pt1, …) or VECTORIZED (all of ch1, then ch2 …), NumberOfChannels,
//          SamplingInterval (µs); [Binary Infos] BinaryFormat INT_16 | INT_32 | UINT_16 |
//          IEEE_FLOAT_32 (little-endian unless UseBigEndianOrder=YES); [Channel Infos]
//          Ch<n>=<name>,<reference>,<resolution>,<unit> (value = raw × resolution, in unit; µV when
//          empty; "\1" stands for a comma)
//   .eeg   the samples
//   .vmrk  [Marker Infos] Mk<n>=<type>,<description>,<position (1-based)>,<size>,<channel>[,<date>]
//   .ahdr/.amrk  the same with other names (V-Amp); the data file then holds one more channel than
//          NumberOfChannels, after the declared ones, which is skipped (as MNE-Python does)
// The header is opened as the recording; the data and marker files are reached through the
// SiblingResolver (falling back to the header's own name with .eeg/.vmrk, as when a set was renamed).
// Events are labelled "type/description" as MNE-Python names them. Further "New Segment" markers
// with dates become discontinuities where the dates show time missing between segments.

import {
  clampRead,
  normalizeUnit,
  RecordingFormatError,
  sortEvents,
  totalMissingSec,
  type RecordingChannel,
  type RecordingDiscontinuity,
  type RecordingEvent,
  type RecordingInfo,
  type RecordingReader,
} from './recording.js';
import { readExact, type ByteSource, type SiblingResolver } from './source.js';
import { decodeLatin1, decodeUtf8, parseNumberText } from './text-decode.js';

const MAX_TEXT_BYTES = 64 << 20;
const MAX_CHANNELS = 65536;
const READ_BYTES = 4 << 20;

type BinaryFormat = 'INT_16' | 'INT_32' | 'UINT_16' | 'IEEE_FLOAT_32';
const FORMAT_BYTES: Record<BinaryFormat, number> = { INT_16: 2, INT_32: 4, UINT_16: 2, IEEE_FLOAT_32: 4 };

export function looksLikeBrainVisionHeader(head: Uint8Array): boolean {
  const text = decodeLatin1(head, 0, Math.min(head.length, 64)).replace(/^\ufeff|^\xef\xbb\xbf/, '');
  return /^Brain ?Vision Data Exchange Header File/i.test(text);
}

type Ini = Map<string, Map<string, string>>;

function parseIni(text: string): Ini {
  const sections: Ini = new Map();
  let current: Map<string, string> | null = null;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith(';')) continue;
    const section = /^\[(.+)\]$/.exec(line);
    if (section) {
      const name = section[1].trim().toLowerCase();
      current = name === 'comment' ? null : new Map();
      if (current) sections.set(name, current);
      continue;
    }
    if (!current) continue;
    const eq = line.indexOf('=');
    if (eq > 0) current.set(line.slice(0, eq).trim().toLowerCase(), line.slice(eq + 1).trim());
  }
  return sections;
}

async function readText(source: ByteSource, what: string): Promise<string> {
  if (source.size > MAX_TEXT_BYTES) throw new RecordingFormatError(`${what} is ${source.size} bytes: too large for a BrainVision text file`);
  const bytes = await readExact(source, 0, source.size, what);
  const head = decodeLatin1(bytes, 0, Math.min(bytes.length, 4096));
  const utf8 = /Codepage\s*=\s*UTF-?8/i.test(head) || (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf);
  return (utf8 ? decodeUtf8(bytes) : decodeLatin1(bytes)).replace(/^\ufeff/, '');
}

function baseName(name: string): string {
  return name.replace(/\.[^./\\]*$/, '');
}

async function resolveSibling(sibling: SiblingResolver | undefined, names: string[], what: string): Promise<{ source: ByteSource; name: string }> {
  if (!sibling) throw new RecordingFormatError(`BrainVision: the ${what} (${names[0]}) is a separate file and no way to open it was given`);
  for (const name of names) {
    try {
      return { source: await sibling(name), name };
    } catch {
      // try the next candidate
    }
  }
  throw new RecordingFormatError(`BrainVision: the ${what} ${names.map((n) => `"${n}"`).join(' or ')} was not found beside the header`);
}

/** "YYYYMMDDhhmmssuuuuuu" → Date (UTC, as MNE reads it). */
function parseMarkerDate(text: string): Date | null {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{6})$/.exec(text.trim());
  if (!m) return null;
  const ms = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]) + Number(m[7]) / 1000;
  return Number.isFinite(ms) && +m[1] > 1900 ? new Date(ms) : null;
}

export class BrainVisionReader implements RecordingReader {
  readonly info: RecordingInfo;

  private constructor(
    private readonly data: ByteSource,
    private readonly format: BinaryFormat,
    private readonly bigEndian: boolean,
    private readonly vectorized: boolean,
    private readonly resolutions: Float64Array,
    info: RecordingInfo,
    /** Channels stored per sample in the data file: one more than declared in a .ahdr set. */
    private readonly stored: number = info.channels.length,
  ) {
    this.info = info;
  }

  /** `header` is the .vhdr; `headerName` its file name (for the fallback sibling names). */
  static async open(header: ByteSource, sibling: SiblingResolver | undefined, headerName = 'recording.vhdr'): Promise<BrainVisionReader> {
    const text = await readText(header, 'BrainVision header');
    if (!/^\s*Brain ?Vision Data Exchange Header File/i.test(text)) throw new RecordingFormatError('not a BrainVision header: it does not start with "Brain Vision Data Exchange Header File"');
    const ini = parseIni(text);
    const common = ini.get('common infos');
    if (!common) throw new RecordingFormatError('BrainVision header: no [Common Infos] section');
    const notes: string[] = [];
    const dataFormat = (common.get('dataformat') ?? 'BINARY').toUpperCase();
    if (dataFormat !== 'BINARY') throw new RecordingFormatError(`BrainVision header: DataFormat=${dataFormat} is not supported (BINARY only): export the data as binary`);
    const dataType = (common.get('datatype') ?? 'TIMEDOMAIN').toUpperCase();
    if (dataType !== 'TIMEDOMAIN') throw new RecordingFormatError(`BrainVision header: DataType=${dataType} is not supported (TIMEDOMAIN only)`);
    const orientation = (common.get('dataorientation') ?? 'MULTIPLEXED').toUpperCase();
    if (orientation !== 'MULTIPLEXED' && orientation !== 'VECTORIZED') throw new RecordingFormatError(`BrainVision header: DataOrientation=${orientation} is neither MULTIPLEXED nor VECTORIZED`);
    const nText = common.get('numberofchannels') ?? '';
    const nch = Number(nText);
    if (!Number.isInteger(nch) || nch < 1 || nch > MAX_CHANNELS) throw new RecordingFormatError(`BrainVision header: NumberOfChannels "${nText}" is not a channel count`);
    // the .ahdr/.amrk variant (V-Amp): the data file holds one more channel than the header declares,
    // after the declared ones; it is not read (as MNE does)
    const ahdr = /\.ahdr$/i.test(headerName);
    const stored = ahdr ? nch + 1 : nch;
    if (ahdr) notes.push('BrainVision .ahdr set: the data file holds one undeclared channel after the declared ones; it is skipped.');
    const intervalText = common.get('samplinginterval') ?? '';
    const intervalUs = parseNumberText(intervalText);
    if (!(intervalUs > 0) || !Number.isFinite(intervalUs)) throw new RecordingFormatError(`BrainVision header: SamplingInterval "${intervalText}" is not a positive number of microseconds`);
    const rate = 1e6 / intervalUs;
    const binary = ini.get('binary infos');
    const formatText = (binary?.get('binaryformat') ?? 'INT_16').toUpperCase();
    if (!(formatText in FORMAT_BYTES)) throw new RecordingFormatError(`BrainVision header: BinaryFormat=${formatText} is not supported (${Object.keys(FORMAT_BYTES).join(', ')})`);
    const format = formatText as BinaryFormat;
    const bigEndian = (binary?.get('usebigendianorder') ?? 'NO').toUpperCase() === 'YES';
    const channelInfos = ini.get('channel infos');
    if (!channelInfos) throw new RecordingFormatError('BrainVision header: no [Channel Infos] section');

    const resolutions = new Float64Array(nch);
    const labels: string[] = [];
    const units: string[] = [];
    for (let c = 0; c < nch; c++) {
      const entry = channelInfos.get(`ch${c + 1}`);
      if (entry === undefined) throw new RecordingFormatError(`BrainVision header: channel ${c + 1} of ${nch} has no Ch${c + 1}= line in [Channel Infos]`);
      const parts = entry.split(',').map((p) => p.replace(/\\1/g, ','));
      const resText = parts[2]?.trim() ?? '';
      const res = resText === '' ? 1 : parseNumberText(resText);
      if (!Number.isFinite(res) || res === 0) throw new RecordingFormatError(`BrainVision header: Ch${c + 1} resolution "${resText}" is not a number`);
      resolutions[c] = res;
      labels.push(parts[0].trim() || `Ch${c + 1}`);
      units.push(normalizeUnit(parts[3] ?? '') || 'uV');
    }

    // data file
    const dataName = common.get('datafile') ?? '';
    const data = await resolveSibling(sibling, [...new Set([dataName, `${baseName(headerName)}.eeg`].filter((n) => n !== ''))], 'data file');
    if (data.name !== dataName) notes.push(`The data file "${dataName}" named in the header was not found; read "${data.name}" instead.`);
    const bytesPerValue = FORMAT_BYTES[format];
    const rowBytes = stored * bytesPerValue;
    const sampleCount = Math.floor(data.source.size / rowBytes);
    const extra = data.source.size - sampleCount * rowBytes;
    if (extra) notes.push(`${extra} bytes at the end of the data file do not make a whole sample and are ignored.`);
    if (sampleCount === 0) throw new RecordingFormatError(`BrainVision: the data file "${data.name}" holds no whole sample (${data.source.size} bytes, ${rowBytes} per sample)`);

    // markers
    const events: RecordingEvent[] = [];
    const discontinuities: RecordingDiscontinuity[] = [];
    let startTime: Date | null = null;
    const markerName = common.get('markerfile') ?? '';
    let markers: { source: ByteSource; name: string } | null = null;
    try {
      markers = await resolveSibling(sibling, [...new Set([markerName, `${baseName(headerName)}.${ahdr ? 'amrk' : 'vmrk'}`, `${baseName(headerName)}.vmrk`].filter((n) => n !== ''))], 'marker file');
    } catch (error) {
      notes.push(`No markers: ${(error as Error).message}.`);
    }
    if (markers) {
      const mk = parseIni(await readText(markers.source, 'BrainVision marker file')).get('marker infos');
      if (!mk) notes.push('The marker file has no [Marker Infos] section: no events.');
      const raw: { pos: number; size: number; label: string }[] = [];
      const segments: { pos: number; date: Date }[] = [];
      let malformed = 0;
      for (const [key, value] of mk ?? []) {
        if (!/^mk\d+$/.test(key)) continue;
        const parts = value.split(',').map((p) => p.replace(/\\1/g, ','));
        const pos = Number(parts[2]);
        const size = parts[3] === undefined || parts[3].trim() === '' ? 0 : Number(parts[3]);
        if (!Number.isInteger(pos) || !Number.isFinite(size) || size < 0) {
          malformed++;
          continue;
        }
        const type = parts[0].trim();
        raw.push({ pos, size, label: `${type}/${parts[1] ?? ''}` });
        if (type.toLowerCase() === 'new segment' && parts[5]) {
          const date = parseMarkerDate(parts[5]);
          if (date) segments.push({ pos, date });
        }
      }
      if (malformed) notes.push(`${malformed} malformed markers were skipped.`);
      segments.sort((a, b) => a.pos - b.pos);
      if (segments.length && segments[0].pos <= 1) startTime = segments[0].date;
      let missing = 0;
      for (let i = 1; i < segments.length; i++) {
        const prev = segments[i - 1];
        const expected = prev.date.getTime() / 1000 + (segments[i].pos - prev.pos) / rate;
        const gap = segments[i].date.getTime() / 1000 - expected;
        if (gap > 0.5 / rate && segments[i].pos > 1) {
          discontinuities.push({ onsetSec: (segments[i].pos - 1) / rate + missing, sampleIndex: segments[i].pos - 1, missingSec: gap });
          missing += gap;
        }
      }
      const countNew = raw.filter((m) => m.label.toLowerCase().startsWith('new segment/')).length;
      if (countNew > 1) notes.push(`${countNew} "New Segment" markers: the data were recorded in ${countNew} segments.`);
      for (const m of raw) {
        const row = m.pos - 1;
        let before = 0;
        for (const d of discontinuities) if (d.sampleIndex <= row) before += d.missingSec;
        events.push({ onsetSec: row / rate + before, durationSec: m.size / rate, label: m.label });
      }
    }

    const channels: RecordingChannel[] = labels.map((label, c) => {
      const unit = units[c];
      const res = resolutions[c];
      const [lo, hi] = format === 'INT_16' ? [-32768, 32767] : format === 'UINT_16' ? [0, 65535] : format === 'INT_32' ? [-2147483648, 2147483647] : [NaN, NaN];
      return {
        label,
        type: unit === 'uV' || unit === 'mV' || unit === 'V' || unit === 'nV' ? 'eeg' : 'misc',
        unit,
        sampleRateHz: rate,
        physicalMin: Math.min(lo * res, hi * res),
        physicalMax: Math.max(lo * res, hi * res),
      };
    });
    const info: RecordingInfo = {
      format: 'brainvision',
      channels,
      sampleRateHz: rate,
      rowChannels: channels.map((_, i) => i),
      sampleCount,
      durationSec: sampleCount / rate + totalMissingSec(discontinuities),
      startTime,
      events: sortEvents(events),
      discontinuities,
      notes,
    };
    const reader = new BrainVisionReader(data.source, format, bigEndian, orientation === 'VECTORIZED', resolutions, info, stored);
    if (format === 'IEEE_FLOAT_32') await reader.measureFloatRanges();
    return reader;
  }

  /** Float data declare no range: one pass over the file for the observed range. */
  private async measureFloatRanges(): Promise<void> {
    const nch = this.info.channels.length;
    const chunkRows = Math.max(1, Math.floor(READ_BYTES / (nch * 4)));
    const buf = new Float64Array(chunkRows * nch);
    const min = new Float64Array(nch).fill(Infinity);
    const max = new Float64Array(nch).fill(-Infinity);
    for (let start = 0; start < this.info.sampleCount; start += chunkRows) {
      const n = await this.readRows(start, chunkRows, buf);
      for (let i = 0; i < n * nch; i++) {
        const c = i % nch;
        const v = buf[i];
        if (v < min[c]) min[c] = v;
        if (v > max[c]) max[c] = v;
      }
    }
    this.info.channels.forEach((ch, c) => {
      let lo = Number.isFinite(min[c]) ? min[c] : -1;
      let hi = Number.isFinite(max[c]) ? max[c] : 1;
      if (lo === hi) {
        lo -= 1;
        hi += 1;
      }
      ch.physicalMin = lo;
      ch.physicalMax = hi;
    });
  }

  private decode(view: DataView, p: number): number {
    const le = !this.bigEndian;
    switch (this.format) {
      case 'INT_16':
        return view.getInt16(p, le);
      case 'UINT_16':
        return view.getUint16(p, le);
      case 'INT_32':
        return view.getInt32(p, le);
      default:
        return view.getFloat32(p, le);
    }
  }

  async readRows(start: number, count: number, out: Float64Array): Promise<number> {
    const nch = this.info.channels.length;
    const n = clampRead(this.info.sampleCount, start, count, out, nch);
    if (n === 0) return 0;
    if (this.vectorized) {
      for (let c = 0; c < nch; c++) await this.readVector(c, start, n, out, c, nch);
      return n;
    }
    await this.readMultiplexed(start, n, out, undefined);
    return n;
  }

  async readChannel(channel: number, start: number, count: number, out: Float64Array): Promise<number> {
    const nch = this.info.channels.length;
    if (!Number.isInteger(channel) || channel < 0 || channel >= nch) throw new RangeError(`channel ${channel} does not exist (the file has ${nch})`);
    const n = clampRead(this.info.sampleCount, start, count, out, 1);
    if (n === 0) return 0;
    if (this.vectorized) {
      await this.readVector(channel, start, n, out, 0, 1);
      return n;
    }
    await this.readMultiplexed(start, n, out, channel);
    return n;
  }

  /** Multiplexed files: rows [start, start + n), every channel interleaved into out, or one channel. */
  private async readMultiplexed(start: number, n: number, out: Float64Array, channel: number | undefined): Promise<void> {
    const nch = this.info.channels.length;
    const bpv = FORMAT_BYTES[this.format];
    const rowBytes = this.stored * bpv;
    const perRead = Math.max(1, Math.floor(READ_BYTES / rowBytes));
    for (let r = start; r < start + n; r += perRead) {
      const rows = Math.min(perRead, start + n - r);
      const bytes = await readExact(this.data, r * rowBytes, rows * rowBytes, 'BrainVision data');
      const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      if (channel === undefined) {
        const base = (r - start) * nch;
        if (this.stored === nch) for (let i = 0; i < rows * nch; i++) out[base + i] = this.decode(view, i * bpv) * this.resolutions[i % nch];
        else for (let i = 0; i < rows; i++) for (let c = 0; c < nch; c++) out[base + i * nch + c] = this.decode(view, i * rowBytes + c * bpv) * this.resolutions[c];
      } else {
        for (let i = 0; i < rows; i++) out[r - start + i] = this.decode(view, i * rowBytes + channel * bpv) * this.resolutions[channel];
      }
    }
  }

  /** Vectorized files: one channel's run of samples, into out[outStart + k·stride]. */
  private async readVector(channel: number, start: number, n: number, out: Float64Array, outStart: number, stride: number): Promise<void> {
    const bpv = FORMAT_BYTES[this.format];
    const perRead = Math.floor(READ_BYTES / bpv);
    const base = channel * this.info.sampleCount * bpv;
    for (let r = start; r < start + n; r += perRead) {
      const rows = Math.min(perRead, start + n - r);
      const bytes = await readExact(this.data, base + r * bpv, rows * bpv, 'BrainVision data');
      const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      for (let i = 0; i < rows; i++) out[outStart + (r - start + i) * stride] = this.decode(view, i * bpv) * this.resolutions[channel];
    }
  }
}

export function openBrainVision(header: ByteSource, sibling: SiblingResolver | undefined, headerName?: string): Promise<BrainVisionReader> {
  return BrainVisionReader.open(header, sibling, headerName);
}
