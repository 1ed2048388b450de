// Text plumbing under the text readers: the byte-level decimal parser gives Number()'s value, UTF-8
// decoding matches Node's, rows are split the same whatever the chunking, and bad lines are
// reported with their line number.

import { describe, expect, it } from 'vitest';
import { decodeUtf8, parseDecimal, parseNumberText } from '../../../../electron/common/formats/text-decode.js';
import { forEachRow } from '../../../../electron/common/formats/text-table.js';
import { RecordingFormatError } from '../../../../electron/common/formats/recording.js';
import { bytesSource, type ByteSource } from '../../../../electron/common/formats/source.js';
import { Random } from '../../../../electron/common/random.js';
import { text } from '../../../support/format-builders.js';

describe('parseDecimal', () => {
  it('equals Number() on decimal text of every shape', () => {
    const rng = new Random(3);
    const samples = ['0', '-0', '+7', '61379.36', '-16597.06', '0.040', '.5', '5.', '1557936053329', '1557936053.329000', '1e5', '-2.5E-3', '123456789012345678901234', '0.1234567890123456789'];
    for (let i = 0; i < 2000; i++) {
      const digits = Math.floor(rng.nextFloat() * 12);
      samples.push((rng.nextFloat() * 10 ** digits * (rng.nextFloat() < 0.5 ? -1 : 1)).toFixed(Math.floor(rng.nextFloat() * 8)));
    }
    for (const s of samples) {
      const b = text(` ${s}\r`);
      expect(parseDecimal(b, 0, b.length), s).toBe(Number(s));
    }
  });
  it('is NaN for what is not a number', () => {
    for (const s of ['', ' ', '12:00:53.329', 'abc', '1.2.3', '--1', '1e', 'NaN', '0x10']) {
      const b = text(s);
      expect(Number.isNaN(parseDecimal(b, 0, b.length)), s).toBe(true);
    }
  });
  it('parseNumberText accepts a decimal comma, rejects junk', () => {
    expect(parseNumberText(' 1,5 ')).toBe(1.5);
    expect(parseNumberText('-8092')).toBe(-8092);
    expect(Number.isNaN(parseNumberText('12abc'))).toBe(true);
  });
});

describe('decodeUtf8', () => {
  it('matches Node on valid text and replaces malformed bytes', () => {
    const s = 'Äpfel µV Ω 漢字 🧠 plain';
    expect(decodeUtf8(text(s))).toBe(s);
    const bad = new Uint8Array([0x61, 0xff, 0x62, 0xe2, 0x82, 0x63, 0xf0, 0x9f]);
    expect(decodeUtf8(bad)).toBe(Buffer.from(bad).toString('utf8'));
  });
  it('matches Node on random bytes', () => {
    const rng = new Random(9);
    for (let t = 0; t < 500; t++) {
      const b = new Uint8Array(48).map(() => (rng.nextFloat() < 0.5 ? 0x80 + rng.nextInt(0x80) : rng.nextInt(256)));
      expect(decodeUtf8(b)).toBe(Buffer.from(b).toString('utf8'));
    }
  });
});

/** A source that returns at most `max` bytes per read, to exercise chunk boundaries. */
function stingy(bytes: Uint8Array, max: number): ByteSource {
  const inner = bytesSource(bytes);
  return { size: bytes.length, read: (o, l) => inner.read(o, Math.min(l, max)) };
}

describe('forEachRow', () => {
  const file = '% header\r\n1,2,3\r\n\r\n4, 5 ,6\r\n%comment\n7,8,9\n10,11,12';
  it('splits rows the same way whatever the chunking, skipping blank and comment lines', async () => {
    for (const chunk of [1 << 20, 300]) {
      const seen: number[][] = [];
      const lines: number[] = [];
      const result = await forEachRow(bytesSource(text(file)), 0, 0x2c, 3, (v) => {
        seen.push(Array.from(v.values));
        lines.push(v.line);
      }, { chunkBytes: chunk });
      expect(seen).toEqual([
        [1, 2, 3],
        [4, 5, 6],
        [7, 8, 9],
        [10, 11, 12],
      ]);
      expect(lines).toEqual([2, 4, 6, 7]);
      expect(result.rows).toBe(4);
    }
  });
  it('handles sources that return short reads', async () => {
    let rowsSeen = 0;
    const long = Array.from({ length: 500 }, (_, i) => `${i},${i * 2},${i * 3}`).join('\n');
    await forEachRow(stingy(text(long), 700), 0, 0x2c, 3, (v) => {
      expect(v.values[1]).toBe(v.row * 2);
      rowsSeen++;
    });
    expect(rowsSeen).toBe(500);
  });
  it('drops an incomplete last line and says so', async () => {
    const r = await forEachRow(bytesSource(text('1,2,3\n4,5')), 0, 0x2c, 3, () => undefined);
    expect(r.rows).toBe(1);
    expect(r.droppedTail).toMatch(/last line \(2\) is incomplete/);
  });
  it('names the line with the wrong number of fields', async () => {
    await expect(forEachRow(bytesSource(text('1,2,3\n4,5\n6,7,8\n')), 0, 0x2c, 3, () => undefined)).rejects.toThrow(/line 2 has 2 fields, expected 3/);
  });
  it('refuses a line longer than 1 MB instead of buffering it', async () => {
    const big = new Uint8Array((1 << 20) + 10).fill(0x31);
    await expect(forEachRow(bytesSource(big), 0, 0x2c, 3, () => undefined)).rejects.toThrow(RecordingFormatError);
  });
  it('stops when asked', async () => {
    const r = await forEachRow(bytesSource(text('1\n2\n3\n4\n')), 0, 0x2c, 1, (v) => v.row < 1);
    expect(r.rows).toBe(2);
    expect(r.end).toBe(4);
  });
  it('ignores a trailing delimiter (BrainFlow ends rows with a tab)', async () => {
    const r = await forEachRow(bytesSource(text('1\t2\t\n3\t4\t\n')), 0, 0x09, 2, () => undefined);
    expect(r.rows).toBe(2);
  });
});
