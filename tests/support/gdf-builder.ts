// GDF 1.x and 2.x files written field by field from the specification (Schlögl, "GDF - A general
// data format for biomedical signals", and BioSig's reference implementation's layout), for the
// GDF reader's tests: the fixed header, the per-signal header, records of one data type, and the
// event table (mode 1 or 3).

export interface GdfSignalSpec {
  label: string;
  /** GDF 1: the unit text; GDF 2: the unit code (4275 µV, 4274 mV, 512 none). */
  unit?: string;
  unitCode?: number;
  physMin: number;
  physMax: number;
  digMin: number;
  digMax: number;
  spr: number;
  /** Digital value of sample i of record rec. */
  value: (rec: number, i: number) => number;
}

export interface GdfEventSpec {
  /** 1-based sample position at the event rate. */
  pos: number;
  typ: number;
  chn?: number;
  dur?: number;
}

export interface GdfSpec {
  version: '1.25' | '2.20' | '2.51';
  /** int16 = 3, int32 = 5, float32 = 16, float64 = 17 */
  type: 3 | 5 | 16 | 17;
  records: number;
  /** Record duration as numerator/denominator (GDF < 2.21) or seconds (2.51). */
  duration: [number, number];
  signals: GdfSignalSpec[];
  events?: GdfEventSpec[];
  eventMode?: 1 | 3;
  eventRate?: number;
  /** GDF 2 tag 1: descriptions of user event codes (index = code). */
  eventDescriptions?: string[];
  /** Override fields, for corrupt-header tests. */
  recordsField?: number;
}

const BYTES = { 3: 2, 5: 4, 16: 4, 17: 8 } as const;

function put(buf: Buffer, at: number, s: string, width: number): void {
  buf.write(s.slice(0, width), at, 'latin1');
}

export function gdfBytes(spec: GdfSpec): Uint8Array {
  const ns = spec.signals.length;
  const v2 = spec.version !== '1.25';
  let tags = Buffer.alloc(0);
  if (v2 && spec.eventDescriptions) {
    const body = Buffer.from(spec.eventDescriptions.join('\0') + '\0\0', 'latin1');
    const word = Buffer.alloc(4);
    word.writeUInt32LE(1 + (body.length << 8));
    tags = Buffer.concat([word, body]);
    const padded = Math.ceil((tags.length + 4) / 256) * 256; // room for the end tag (0)
    tags = Buffer.concat([tags, Buffer.alloc(padded - tags.length)]);
  }
  const headerBytes = 256 * (ns + 1) + tags.length;
  const h = Buffer.alloc(256 * (ns + 1));
  put(h, 0, `GDF ${spec.version}`, 8);
  if (v2) {
    put(h, 8, 'X X', 66);
    put(h, 88, 'test recording', 64);
    // 2016-03-01 12:00:00 UTC: days since 0000-01-00 in 2^-32 day units
    const days = 719529 + Date.UTC(2016, 2, 1, 12) / 86400000;
    h.writeUInt32LE(Math.floor(days), 172);
    h.writeUInt32LE(Math.round((days - Math.floor(days)) * 2 ** 32), 168);
    h.writeUInt16LE(headerBytes / 256, 184);
  } else {
    put(h, 8, 'X X', 80);
    put(h, 88, 'test recording', 80);
    put(h, 168, '2016030112000000', 16);
    h.writeBigInt64LE(BigInt(headerBytes), 184);
  }
  h.writeBigInt64LE(BigInt(spec.recordsField ?? spec.records), 236);
  if (spec.version === '2.51') h.writeDoubleLE(spec.duration[0] / spec.duration[1], 244);
  else {
    h.writeUInt32LE(spec.duration[0], 244);
    h.writeUInt32LE(spec.duration[1], 248);
  }
  if (v2) h.writeUInt16LE(ns, 252);
  else h.writeUInt32LE(ns, 252);
  const at = (field: number, width: number, i: number): number => 256 + field * ns + width * i;
  spec.signals.forEach((s, i) => {
    put(h, at(0, 16, i), s.label, 16);
    if (v2) {
      put(h, at(96, 6, i), s.unit ?? '', 6);
      h.writeUInt16LE(s.unitCode ?? 0, at(102, 2, i));
      h.writeDoubleLE(s.digMin, at(120, 8, i));
      h.writeDoubleLE(s.digMax, at(128, 8, i));
    } else {
      put(h, at(96, 8, i), s.unit ?? '', 8);
      h.writeBigInt64LE(BigInt(s.digMin), at(120, 8, i));
      h.writeBigInt64LE(BigInt(s.digMax), at(128, 8, i));
    }
    h.writeDoubleLE(s.physMin, at(104, 8, i));
    h.writeDoubleLE(s.physMax, at(112, 8, i));
    h.writeUInt32LE(s.spr, at(216, 4, i));
    h.writeUInt32LE(spec.type, at(220, 4, i));
  });
  const bps = BYTES[spec.type];
  const recordBytes = spec.signals.reduce((a, s) => a + s.spr * bps, 0);
  const data = Buffer.alloc(spec.records * recordBytes);
  let p = 0;
  for (let r = 0; r < spec.records; r++) {
    for (const s of spec.signals) {
      for (let i = 0; i < s.spr; i++, p += bps) {
        const v = s.value(r, i);
        if (spec.type === 3) data.writeInt16LE(v, p);
        else if (spec.type === 5) data.writeInt32LE(v, p);
        else if (spec.type === 16) data.writeFloatLE(v, p);
        else data.writeDoubleLE(v, p);
      }
    }
  }
  const parts = [h, tags, data];
  const ev = spec.events;
  if (ev) {
    const mode = spec.eventMode ?? 3;
    const rate = spec.eventRate ?? 0;
    const head = Buffer.alloc(8);
    head[0] = mode;
    if (spec.version === '1.25') {
      head.writeUIntLE(rate, 1, 3);
      head.writeUInt32LE(ev.length, 4);
    } else {
      head.writeUIntLE(ev.length, 1, 3);
      head.writeFloatLE(rate, 4);
    }
    const pos = Buffer.alloc(4 * ev.length);
    const typ = Buffer.alloc(2 * ev.length);
    const chn = Buffer.alloc(2 * ev.length);
    const dur = Buffer.alloc(4 * ev.length);
    ev.forEach((e, k) => {
      pos.writeUInt32LE(e.pos, 4 * k);
      typ.writeUInt16LE(e.typ, 2 * k);
      chn.writeUInt16LE(e.chn ?? 0, 2 * k);
      dur.writeUInt32LE(e.dur ?? 0, 4 * k);
    });
    parts.push(head, pos, typ);
    if (mode === 3) parts.push(chn, dur);
  }
  return new Uint8Array(Buffer.concat(parts));
}
