// Small, explicit builders of recording bytes for the reader unit tests, the fuzz test and the
// integration tests: EDF/BDF headers and records with TALs, XDF chunks, BrainVision header/marker
// text. They write exactly what the specs say, field by field, so each test states the bytes it
// feeds the reader.

export function ascii(text: string, width: number): string {
  return text.slice(0, width).padEnd(width, ' ');
}

export interface EdfSignalSpec {
  label: string;
  unit?: string;
  physMin?: number | string;
  physMax?: number | string;
  digMin?: number | string;
  digMax?: number | string;
  spr: number | string;
  /** Digital value of sample i of record rec. */
  value?: (rec: number, i: number) => number;
  /** For annotation signals: the TAL text of a record (zero-padded). */
  tal?: (rec: number) => string;
}

export interface EdfSpec {
  variant: 'edf' | 'bdf';
  reserved?: string;
  records: number;
  recordsField?: string;
  duration: number | string;
  signals: EdfSignalSpec[];
  startDate?: string;
  startTime?: string;
  recording?: string;
  headerBytesField?: string;
  signalCountField?: string;
}

export function edfBytes(spec: EdfSpec): Uint8Array {
  const ns = spec.signals.length;
  const bps = spec.variant === 'bdf' ? 3 : 2;
  const dmin = spec.variant === 'bdf' ? -8388608 : -32768;
  const dmax = spec.variant === 'bdf' ? 8388607 : 32767;
  let h = '';
  h += spec.variant === 'bdf' ? '\xffBIOSEMI' : ascii('0', 8);
  h += ascii('X X X X', 80);
  h += ascii(spec.recording ?? 'Startdate 02-JUN-2015 X X X', 80);
  h += ascii(spec.startDate ?? '02.06.15', 8);
  h += ascii(spec.startTime ?? '10.41.57', 8);
  h += ascii(spec.headerBytesField ?? String(256 * (ns + 1)), 8);
  h += ascii(spec.reserved ?? '', 44);
  h += ascii(spec.recordsField ?? String(spec.records), 8);
  h += ascii(String(spec.duration), 8);
  h += ascii(spec.signalCountField ?? String(ns), 4);
  const isAnn = (s: EdfSignalSpec): boolean => s.label === 'EDF Annotations' || s.label === 'BDF Annotations';
  for (const s of spec.signals) h += ascii(s.label, 16);
  for (let i = 0; i < ns; i++) h += ascii('', 80);
  for (const s of spec.signals) h += ascii(s.unit ?? (isAnn(s) ? '' : 'uV'), 8);
  for (const s of spec.signals) h += ascii(String(s.physMin ?? (isAnn(s) ? -1 : dmin)), 8);
  for (const s of spec.signals) h += ascii(String(s.physMax ?? (isAnn(s) ? 1 : dmax)), 8);
  for (const s of spec.signals) h += ascii(String(s.digMin ?? dmin), 8);
  for (const s of spec.signals) h += ascii(String(s.digMax ?? dmax), 8);
  for (let i = 0; i < ns; i++) h += ascii('', 80);
  for (const s of spec.signals) h += ascii(String(s.spr), 8);
  for (let i = 0; i < ns; i++) h += ascii('', 32);
  const header = Buffer.from(h, 'latin1');
  const sprs = spec.signals.map((s) => Number(s.spr));
  const recordBytes = sprs.reduce((a, b) => a + b * bps, 0);
  const data = Buffer.alloc(Math.max(0, spec.records) * recordBytes);
  let p = 0;
  for (let r = 0; r < spec.records; r++) {
    spec.signals.forEach((s, k) => {
      const n = sprs[k];
      if (s.tal) {
        const tal = Buffer.from(s.tal(r), 'utf8');
        if (tal.length > n * bps) throw new Error(`TAL of record ${r} does not fit`);
        tal.copy(data, p);
        p += n * bps;
        return;
      }
      for (let i = 0; i < n; i++) {
        const v = s.value ? s.value(r, i) : 0;
        if (bps === 3) data.writeIntLE(v, p, 3);
        else data.writeInt16LE(v, p);
        p += bps;
      }
    });
  }
  return new Uint8Array(Buffer.concat([header, data]));
}

/** A time-keeping TAL ("+onset\x14\x14\0") followed by annotations. */
export function tal(recordOnset: number, ...annotations: { onset: number; duration?: number; texts: string[] }[]): string {
  let s = `+${recordOnset}\x14\x14\x00`;
  for (const a of annotations) {
    s += `${a.onset >= 0 ? '+' : ''}${a.onset}${a.duration !== undefined ? `\x15${a.duration}` : ''}\x14${a.texts.join('\x14')}\x14\x00`;
  }
  return s;
}

// --- XDF ---------------------------------------------------------------------------------------

function varint(n: number, width?: 1 | 4 | 8): Buffer {
  const w = width ?? (n < 256 ? 1 : n < 2 ** 32 ? 4 : 8);
  const b = Buffer.alloc(1 + w);
  b[0] = w;
  if (w === 1) b[1] = n;
  else if (w === 4) b.writeUInt32LE(n, 1);
  else b.writeBigUInt64LE(BigInt(n), 1);
  return b;
}

export function xdfChunk(tag: number, content: Uint8Array, lengthWidth?: 1 | 4 | 8): Buffer {
  const t = Buffer.alloc(2);
  t.writeUInt16LE(tag);
  return Buffer.concat([varint(content.length + 2, lengthWidth), t, content]);
}

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n);
  return b;
}

export function xdfFile(...chunks: Uint8Array[]): Uint8Array {
  return new Uint8Array(Buffer.concat([Buffer.from('XDF:'), ...chunks]));
}

export function xdfFileHeader(xml = '<?xml version="1.0"?><info><version>1.0</version></info>'): Buffer {
  return xdfChunk(1, Buffer.from(xml));
}

export interface XdfStreamSpec {
  name: string;
  type: string;
  channelCount: number;
  rate: number;
  format: 'float32' | 'double64' | 'int8' | 'int16' | 'int32' | 'int64' | 'string';
  labels?: string[];
  units?: string[];
}

export function xdfStreamHeader(id: number, s: XdfStreamSpec): Buffer {
  const channels = s.labels
    ? `<desc><channels>${s.labels.map((l, i) => `<channel><label>${l}</label>${s.units ? `<unit>${s.units[i]}</unit>` : ''}<type>EEG</type></channel>`).join('')}</channels></desc>`
    : '<desc/>';
  const xml = `<?xml version="1.0"?><info><name>${s.name}</name><type>${s.type}</type><channel_count>${s.channelCount}</channel_count><nominal_srate>${s.rate}</nominal_srate><channel_format>${s.format}</channel_format>${channels}</info>`;
  return xdfChunk(2, Buffer.concat([u32(id), Buffer.from(xml)]));
}

export function xdfSamples(id: number, format: XdfStreamSpec['format'], samples: { t?: number; values: (number | string)[] }[], countWidth: 1 | 4 | 8 = 4): Buffer {
  const parts: Buffer[] = [u32(id), varint(samples.length, countWidth)];
  for (const s of samples) {
    if (s.t === undefined) parts.push(Buffer.from([0]));
    else {
      const b = Buffer.alloc(9);
      b[0] = 8;
      b.writeDoubleLE(s.t, 1);
      parts.push(b);
    }
    for (const v of s.values) {
      if (format === 'string') {
        const text = Buffer.from(String(v));
        parts.push(varint(text.length), text);
        continue;
      }
      const size = { float32: 4, double64: 8, int8: 1, int16: 2, int32: 4, int64: 8 }[format];
      const b = Buffer.alloc(size);
      const n = Number(v);
      if (format === 'float32') b.writeFloatLE(n);
      else if (format === 'double64') b.writeDoubleLE(n);
      else if (format === 'int8') b.writeInt8(n);
      else if (format === 'int16') b.writeInt16LE(n);
      else if (format === 'int32') b.writeInt32LE(n);
      else b.writeBigInt64LE(BigInt(n));
      parts.push(b);
    }
  }
  return xdfChunk(3, Buffer.concat(parts));
}

export function xdfClockOffset(id: number, time: number, value: number): Buffer {
  const b = Buffer.alloc(20);
  b.writeUInt32LE(id, 0);
  b.writeDoubleLE(time, 4);
  b.writeDoubleLE(value, 12);
  return xdfChunk(4, b);
}

export const XDF_BOUNDARY = Buffer.from([0x43, 0xa5, 0x46, 0xdc, 0xcb, 0xf5, 0x41, 0x0f, 0xb3, 0x0e, 0xd5, 0x46, 0x73, 0x83, 0xcb, 0xe4]);

export function xdfBoundary(): Buffer {
  return xdfChunk(5, XDF_BOUNDARY);
}

export function xdfFooter(id: number, xml: string): Buffer {
  return xdfChunk(6, Buffer.concat([u32(id), Buffer.from(xml)]));
}

// --- BrainVision -------------------------------------------------------------------------------

export function vhdr(opts: { channels: string[]; intervalUs: number; format?: string; orientation?: string; dataFile?: string; markerFile?: string }): Uint8Array {
  const lines = [
    'Brain Vision Data Exchange Header File Version 1.0',
    '; comment',
    '',
    '[Common Infos]',
    'Codepage=UTF-8',
    `DataFile=${opts.dataFile ?? 'rec.eeg'}`,
    `MarkerFile=${opts.markerFile ?? 'rec.vmrk'}`,
    'DataFormat=BINARY',
    `DataOrientation=${opts.orientation ?? 'MULTIPLEXED'}`,
    `NumberOfChannels=${opts.channels.length}`,
    `SamplingInterval=${opts.intervalUs}`,
    '',
    '[Binary Infos]',
    `BinaryFormat=${opts.format ?? 'INT_16'}`,
    '',
    '[Channel Infos]',
    ...opts.channels.map((c, i) => `Ch${i + 1}=${c}`),
    '',
    '[Comment]',
    'free text = with equals',
  ];
  return new Uint8Array(Buffer.from(lines.join('\r\n'), 'utf8'));
}

export function vmrk(markers: string[]): Uint8Array {
  const lines = ['Brain Vision Data Exchange Marker File, Version 1.0', '', '[Common Infos]', 'Codepage=UTF-8', 'DataFile=rec.eeg', '', '[Marker Infos]', ...markers.map((m, i) => `Mk${i + 1}=${m}`)];
  return new Uint8Array(Buffer.from(lines.join('\n'), 'utf8'));
}

export function text(s: string): Uint8Array {
  return new Uint8Array(Buffer.from(s, 'utf8'));
}
