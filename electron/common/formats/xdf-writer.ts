// XDF writing (the Lab Streaming Layer's file format, as LabRecorder writes it), over byte arrays:
// the magic, and each chunk as [length-bytes count][length][tag][content] (little-endian): the file
// header (XML), stream headers (stream id + XML), samples (stream id, a variable-length count, then
// per sample an 8-byte timestamp and the values: double64, or strings as length + UTF-8), clock
// offsets and stream footers (first/last timestamp, sample count, the offsets). Pure: the engine
// writes the bytes (engine/files/export.ts).

import { utf8 } from './edf-writer.js';

export const XDF_MAGIC = new Uint8Array([0x58, 0x44, 0x46, 0x3a]); // "XDF:"

const TAG = { fileHeader: 1, streamHeader: 2, samples: 3, clockOffset: 4, boundary: 5, streamFooter: 6 } as const;

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A varlen length: 1, 4 or 8 bytes after a byte saying which. */
function varLength(n: number): Uint8Array {
  if (n < 256) return Uint8Array.of(1, n);
  if (n < 2 ** 32) {
    const b = new Uint8Array(5);
    b[0] = 4;
    new DataView(b.buffer).setUint32(1, n, true);
    return b;
  }
  const b = new Uint8Array(9);
  b[0] = 8;
  new DataView(b.buffer).setBigUint64(1, BigInt(n), true);
  return b;
}

function chunk(tag: number, content: Uint8Array): Uint8Array {
  const length = varLength(content.length + 2);
  const out = new Uint8Array(length.length + 2 + content.length);
  out.set(length, 0);
  out[length.length] = tag & 0xff;
  out[length.length + 1] = tag >> 8;
  out.set(content, length.length + 2);
  return out;
}

function withStreamId(streamId: number, body: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + body.length);
  new DataView(out.buffer).setUint32(0, streamId, true);
  out.set(body, 4);
  return out;
}


export function xdfFileHeader(datetime: string | null): Uint8Array {
  return chunk(TAG.fileHeader, utf8(`<?xml version="1.0"?><info><version>1.0</version>${datetime ? `<datetime>${escapeXml(datetime)}</datetime>` : ''}</info>`));
}

export interface XdfChannel {
  readonly label: string;
  readonly unit: string;
  readonly type: string;
}

export interface XdfStreamHeader {
  readonly name: string;
  readonly type: string;
  readonly channelFormat: 'double64' | 'string';
  readonly nominalRateHz: number;
  readonly sourceId: string;
  readonly channels: readonly XdfChannel[];
}

export function xdfStreamHeader(streamId: number, h: XdfStreamHeader): Uint8Array {
  const channels = h.channels.map((c) => `<channel><label>${escapeXml(c.label)}</label><unit>${escapeXml(c.unit)}</unit><type>${escapeXml(c.type)}</type></channel>`).join('');
  const xml =
    `<?xml version="1.0"?><info><name>${escapeXml(h.name)}</name><type>${escapeXml(h.type)}</type><channel_count>${h.channels.length}</channel_count>` +
    `<nominal_srate>${h.nominalRateHz}</nominal_srate><channel_format>${h.channelFormat}</channel_format><source_id>${escapeXml(h.sourceId)}</source_id>` +
    `<created_at>0</created_at><desc><channels>${channels}</channels></desc></info>`;
  return chunk(TAG.streamHeader, withStreamId(streamId, utf8(xml)));
}

/** A samples chunk of `count` rows of double64 values, each with its timestamp (s). */
export function xdfNumericSamples(streamId: number, rows: Float64Array, count: number, channelCount: number, timestampOf: (row: number) => number): Uint8Array {
  const n = varLength(count);
  const body = new Uint8Array(n.length + count * (1 + 8 + 8 * channelCount));
  body.set(n, 0);
  const view = new DataView(body.buffer);
  let at = n.length;
  for (let r = 0; r < count; r++) {
    body[at] = 8;
    view.setFloat64(at + 1, timestampOf(r), true);
    at += 9;
    for (let c = 0; c < channelCount; c++, at += 8) view.setFloat64(at, rows[r * channelCount + c], true);
  }
  return chunk(TAG.samples, withStreamId(streamId, body));
}

/** A samples chunk of one-channel strings (markers), each with its timestamp (s). */
export function xdfStringSamples(streamId: number, samples: readonly { readonly timestamp: number; readonly value: string }[]): Uint8Array {
  const parts: Uint8Array[] = [varLength(samples.length)];
  for (const s of samples) {
    const ts = new Uint8Array(9);
    ts[0] = 8;
    new DataView(ts.buffer).setFloat64(1, s.timestamp, true);
    const text = utf8(s.value);
    parts.push(ts, varLength(text.length), text);
  }
  const body = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    body.set(p, at);
    at += p.length;
  }
  return chunk(TAG.samples, withStreamId(streamId, body));
}

/** A clock offset measurement: at collection time (s), the stream's clock was `offsetSec` from the recorder's. */
export function xdfClockOffset(streamId: number, collectionTimeSec: number, offsetSec: number): Uint8Array {
  const body = new Uint8Array(16);
  const view = new DataView(body.buffer);
  view.setFloat64(0, collectionTimeSec, true);
  view.setFloat64(8, offsetSec, true);
  return chunk(TAG.clockOffset, withStreamId(streamId, body));
}

export function xdfStreamFooter(streamId: number, firstTimestamp: number, lastTimestamp: number, sampleCount: number, offsets: readonly { readonly time: number; readonly value: number }[]): Uint8Array {
  const xml =
    `<?xml version="1.0"?><info><first_timestamp>${firstTimestamp}</first_timestamp><last_timestamp>${lastTimestamp}</last_timestamp>` +
    `<sample_count>${sampleCount}</sample_count><clock_offsets>${offsets.map((o) => `<offset><time>${o.time}</time><value>${o.value}</value></offset>`).join('')}</clock_offsets></info>`;
  return chunk(TAG.streamFooter, withStreamId(streamId, utf8(xml)));
}
