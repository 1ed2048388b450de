// The BDF+/EDF+ writer's data records (encodeRecord) and annotation bytes, byte for byte against
// values computed by hand from the EDF/EDF+ specification (never against the writer's own output):
//   digital = (physical − physMin) × (digMax − digMin) / (physMax − physMin) + digMin, rounded,
//   clipped to the digital range; samples little-endian two's complement, 2 bytes (EDF) or
//   3 bytes (BDF), signal after signal; then the annotations signal: the record's time-keeping TAL
//   "+onset\x14\x14\0", then "±onset[\x15duration]\x14label\x14\0" per annotation, zero-padded;
//   annotation texts are UTF-8.
import { describe, expect, it } from 'vitest';
import { appendAnnotations, EdfLayout, encodeRecord, utf8, type EdfSignalSpec, type EdfVariant } from '../../../../electron/common/formats/edf-writer.js';

function layoutOf(variant: EdfVariant, sampleRateHz: number, signals: EdfSignalSpec[], annotationBytesPerRecord?: number): EdfLayout {
  return new EdfLayout({
    variant,
    subjectCode: 'S01',
    startTime: new Date(Date.UTC(2026, 0, 2, 3, 4, 5)),
    technician: 't',
    equipment: 'e',
    sampleRateHz,
    signals,
    annotationBytesPerRecord,
  });
}

const signal = (physicalMin: number, physicalMax: number): EdfSignalSpec => ({ label: 'x', unit: 'uV', physicalMin, physicalMax });
/** ASCII text as bytes (test side: plain char codes, not the writer's utf8). */
const ascii = (text: string): number[] => Array.from(text, (ch) => ch.charCodeAt(0));
/** An output buffer pre-filled with 0xAA, so bytes the writer forgets to write show. */
const dirty = (length: number): Uint8Array => new Uint8Array(length).fill(0xaa);

describe('EDF/BDF data records (encodeRecord)', () => {
  it('scales, offsets and writes 2-byte little-endian samples signal after signal, then the time-keeping TAL zero-padded', () => {
    // signal 0: physical −32768…32767 → digital = physical; signal 1: physical 0…6553.5 →
    // digital = physical × 65535 / 6553.5 − 32768 = physical × 10 − 32768
    const layout = layoutOf('edf', 3, [signal(-32768, 32767), signal(0, 6553.5)], 20);
    expect(layout.recordBytes).toBe(2 * (2 * 3 + 10));
    const rows = Float64Array.from([
      1, 0, // row 0: signal 0, signal 1
      -2, 6553.5,
      258.4, 3277,
    ]);
    const out = dirty(layout.recordBytes);
    const { clipped, overflow, annotationBytesUsed } = encodeRecord(layout, rows, 12, [], out);
    expect(clipped).toBe(0);
    expect(overflow).toEqual([]);
    const keeping = ascii('+12\x14\x14\x00');
    expect(annotationBytesUsed).toBe(keeping.length);
    expect(Array.from(out)).toEqual([
      0x01, 0x00, 0xfe, 0xff, 0x02, 0x01, // 1, −2, 258 (0x0102)
      0x00, 0x80, 0xff, 0x7f, 0x02, 0x00, // −32768, 32767, 2
      ...keeping, ...new Array(20 - keeping.length).fill(0),
    ]);
  });

  it('writes 3-byte little-endian two\'s complement in BDF, with the annotations after the data', () => {
    const layout = layoutOf('bdf', 4, [signal(-8388608, 8388607)], 30); // digital = physical
    const out = dirty(layout.recordBytes);
    expect(out.length).toBe(3 * 4 + 30);
    const { clipped, annotationBytesUsed } = encodeRecord(layout, Float64Array.from([0x123456, -1, -0x123456, -8388608]), 0, [
      { onsetSec: 0.5, durationSec: 0, label: 'go' },
    ], out);
    expect(clipped).toBe(0);
    const area = ascii('+0\x14\x14\x00+0.5\x14go\x14\x00');
    expect(annotationBytesUsed).toBe(area.length);
    expect(Array.from(out)).toEqual([
      0x56, 0x34, 0x12, 0xff, 0xff, 0xff, 0xaa, 0xcb, 0xed, 0x00, 0x00, 0x80,
      ...area, ...new Array(30 - area.length).fill(0),
    ]);
  });

  it('clips to the digital range and counts only what it clipped; NaN (no data) is written as 0, not counted', () => {
    const layout = layoutOf('edf', 7, [signal(-32768, 32767)], 10);
    const out = dirty(layout.recordBytes);
    const { clipped } = encodeRecord(layout, Float64Array.from([32767, 32768, -32768, -32769, Number.NaN, 1e9, Number.NEGATIVE_INFINITY]), 1, [], out);
    expect(clipped).toBe(4);
    expect(Array.from(out.subarray(0, 14))).toEqual([0xff, 0x7f, 0xff, 0x7f, 0x00, 0x80, 0x00, 0x80, 0x00, 0x00, 0xff, 0x7f, 0x00, 0x80]);

    const bdf = layoutOf('bdf', 4, [signal(-8388608, 8388607)], 9);
    const bout = dirty(bdf.recordBytes);
    expect(encodeRecord(bdf, Float64Array.from([8388607, 8388608, Number.NaN, -8388609]), 1, [], bout).clipped).toBe(2);
    expect(Array.from(bout.subarray(0, 12))).toEqual([0xff, 0xff, 0x7f, 0xff, 0xff, 0x7f, 0x00, 0x00, 0x00, 0x00, 0x00, 0x80]);
  });

  it('a Cyton-like range (±187 500 µV, BDF): one step is 375 000 / 16 777 215 µV', () => {
    const layout = layoutOf('bdf', 2, [signal(-187500, 187500)], 6);
    const out = dirty(layout.recordBytes);
    // physMin → digMin, physMax → digMax
    encodeRecord(layout, Float64Array.from([-187500, 187500]), 0, [], out);
    expect(Array.from(out.subarray(0, 6))).toEqual([0x00, 0x00, 0x80, 0xff, 0xff, 0x7f]);
    // 1000 µV: (1000 + 187500) × 16777215 / 375000 − 8388608 = 44738.74 → 44739 = 0x00aec3
    encodeRecord(layout, Float64Array.from([1000, -1000]), 0, [], out);
    // −1000 µV: 186500 × 16777215 / 375000 − 8388608 = −44739.74 → −44740 = 0xff513c
    expect(Array.from(out.subarray(0, 6))).toEqual([0xc3, 0xae, 0x00, 0x3c, 0x51, 0xff]);
  });

  it('an annotation that fills the area exactly is written; the next one goes to the next record', () => {
    const layout = layoutOf('edf', 1, [signal(-32768, 32767)], 20);
    const out = dirty(layout.recordBytes);
    // "+1\x14\x14\0" is 5 bytes; "+1.5\x14abcdefgh\x14\0" is 15: 20 in all, the whole area
    const next = { onsetSec: 1.75, durationSec: 0, label: 'x' };
    const { overflow, annotationBytesUsed } = encodeRecord(layout, Float64Array.from([0]), 1, [{ onsetSec: 1.5, durationSec: 0, label: 'abcdefgh' }, next], out);
    expect(annotationBytesUsed).toBe(20);
    expect(overflow).toEqual([next]);
    expect(Array.from(out.subarray(2))).toEqual(ascii('+1\x14\x14\x00+1.5\x14abcdefgh\x14\x00'));
    // one byte longer fits no record of this layout: returned apart (unfit), not carried on
    const { overflow: longer, unfit, annotationBytesUsed: used } = encodeRecord(layout, Float64Array.from([0]), 1, [{ onsetSec: 1.5, durationSec: 0, label: 'abcdefghi' }], out);
    expect(used).toBe(5);
    expect(longer).toEqual([]);
    expect(unfit.map((a) => a.label)).toEqual(['abcdefghi']);
    expect(Array.from(out.subarray(2))).toEqual([...ascii('+1\x14\x14\x00'), ...new Array(15).fill(0)]);
  });

  it('writes durations, negative onsets with "-", and whole seconds without a decimal point', () => {
    const layout = layoutOf('edf', 1, [signal(-32768, 32767)], 80);
    const out = dirty(layout.recordBytes);
    const { overflow, annotationBytesUsed } = encodeRecord(layout, Float64Array.from([0]), 10, [
      { onsetSec: 10.25, durationSec: 2, label: 'a' },
      { onsetSec: -0.125, durationSec: 0.000125, label: 'b' },
      { onsetSec: 100, durationSec: 0.5, label: 'c' },
    ], out);
    expect(overflow).toEqual([]);
    const text = '+10\x14\x14\x00+10.25\x152\x14a\x14\x00-0.125\x150.000125\x14b\x14\x00+100\x150.5\x14c\x14\x00';
    expect(annotationBytesUsed).toBe(text.length);
    expect(Array.from(out.subarray(2))).toEqual([...ascii(text), ...new Array(80 - text.length).fill(0)]);
  });
});

describe('BDF+/EDF+ annotation texts', () => {
  it('encodes labels as UTF-8, byte for byte (1 to 4 bytes at each boundary)', () => {
    const cases: [string, number[]][] = [
      ['\x7f', [0x7f]],
      ['\u0080', [0xc2, 0x80]],
      ['é', [0xc3, 0xa9]],
      ['\u07ff', [0xdf, 0xbf]],
      ['\u0800', [0xe0, 0xa0, 0x80]],
      ['€', [0xe2, 0x82, 0xac]],
      ['\uffff', [0xef, 0xbf, 0xbf]],
      ['\u{10000}', [0xf0, 0x90, 0x80, 0x80]],
      ['😀', [0xf0, 0x9f, 0x98, 0x80]],
      ['\u{10ffff}', [0xf4, 0x8f, 0xbf, 0xbf]],
    ];
    for (const [text, bytes] of cases) expect([text, Array.from(utf8(text))]).toEqual([text, bytes]);
    // and as Node encodes them (an independent encoder)
    for (const [text] of cases) expect(Array.from(utf8(text))).toEqual(Array.from(Buffer.from(text, 'utf8')));
  });

  it('writes a non-ASCII label in a TAL byte for byte and counts its bytes, not its characters, against the area', () => {
    // "+2\x14" (3) + "Fréquence €" (11 characters, 14 bytes) + "\x14\0" (2) = 19 bytes
    const entry = [...ascii('+2\x14'), 0x46, 0x72, 0xc3, 0xa9, 0x71, 0x75, 0x65, 0x6e, 0x63, 0x65, 0x20, 0xe2, 0x82, 0xac, 0x14, 0x00];
    expect(entry.length).toBe(19);
    const area = dirty(25);
    const { overflow, used } = appendAnnotations(area, 3, 19, 0, [{ onsetSec: 2, durationSec: 0, label: 'Fréquence €' }]);
    expect(overflow).toEqual([]);
    expect(used).toBe(19);
    expect(Array.from(area)).toEqual([0xaa, 0xaa, 0xaa, ...entry, 0xaa, 0xaa, 0xaa]);
    // one byte short of room: handed back, nothing written (after another entry, for a later
    // record; in an empty area, as one no record holds)
    const short = dirty(25);
    expect(appendAnnotations(short, 3, 19, 1, [{ onsetSec: 2, durationSec: 0, label: 'Fréquence €' }]).overflow).toHaveLength(1);
    expect(appendAnnotations(short, 3, 18, 0, [{ onsetSec: 2, durationSec: 0, label: 'Fréquence €' }]).unfit).toHaveLength(1);
    expect(short.every((b) => b === 0xaa)).toBe(true);
  });

  it('replaces every control character (0x00-0x1f) in a label by a space and keeps the rest', () => {
    const area = new Uint8Array(64);
    const { used } = appendAnnotations(area, 0, 64, 0, [{ onsetSec: 3, durationSec: 0, label: 'a\x00b\x01c\x09d\x0ae\x14f\x15g\x1fh i~' }]);
    expect(Array.from(area.subarray(0, used))).toEqual(ascii('+3\x14a b c d e f g h i~\x14\x00'));
  });

  it('appends after what the area already holds, at the area\'s place in the record', () => {
    const out = dirty(40);
    const { used, overflow } = appendAnnotations(out, 10, 24, 5, [{ onsetSec: 4, durationSec: 1.5, label: 'z' }, { onsetSec: 5, durationSec: 0, label: 'y' }]);
    // 5 + "+4\x151.5\x14z\x14\0" (10) = 15; + "+5\x14y\x14\0" (6) = 21 ≤ 24
    expect(overflow).toEqual([]);
    expect(used).toBe(21);
    expect(Array.from(out.subarray(15, 31))).toEqual(ascii('+4\x151.5\x14z\x14\x00+5\x14y\x14\x00'));
    expect(out.subarray(0, 15).every((b) => b === 0xaa)).toBe(true);
    expect(out.subarray(31).every((b) => b === 0xaa)).toBe(true);
  });
});
