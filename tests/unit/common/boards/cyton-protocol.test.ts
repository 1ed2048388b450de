import { describe, expect, it } from 'vitest';
import {
  CYTON_ACCEL_SCALE_G,
  CytonParser,
  accelAuxBytes,
  countScaleUv,
  encodeCytonPacket,
  packetBoardTimeMs,
  type CytonParserListener,
} from '../../../../electron/common/boards/cyton-protocol.js';
import { Random } from '../../../../electron/common/random.js';

type Event = { kind: 'row'; values: number[] } | { kind: 'lost'; rows: number } | { kind: 'resumed' };

/** Records everything a parser emits, in order. */
function recorder(): { events: Event[]; listener: CytonParserListener; rows(): number[][] } {
  const events: Event[] = [];
  const listener: CytonParserListener = {
    rows(rows, n) {
      const w = (listener as { width?: number }).width!;
      for (let r = 0; r < n; r++) events.push({ kind: 'row', values: Array.from(rows.subarray(r * w, (r + 1) * w)) });
    },
    lost(rows) {
      events.push({ kind: 'lost', rows });
    },
    resumed() {
      events.push({ kind: 'resumed' });
    },
  };
  return { events, listener, rows: () => events.filter((e) => e.kind === 'row').map((e) => (e as { values: number[] }).values) };
}

function makeParser(daisy = false) {
  const rec = recorder();
  const parser = new CytonParser({ daisy }, rec.listener);
  (rec.listener as { width?: number }).width = parser.rowWidth;
  return { parser, ...rec };
}

function packet(sample: number, counts: number[], footer = 0xc0, aux?: number[]): Uint8Array {
  const p = new Uint8Array(33);
  encodeCytonPacket(p, 0, sample, counts, footer, aux);
  return p;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const counts = (k: number) => Array.from({ length: 8 }, (_, c) => ((k * 1000 + c * 77) % 16_000_000) - 8_000_000);

/** A stream of n packets from sample number `first`, with the given sample numbers skipped. */
function stream(n: number, skip: Set<number> = new Set(), first = 0): Uint8Array {
  const parts: Uint8Array[] = [];
  for (let k = 0; k < n; k++) {
    if (skip.has(k)) continue;
    const accel = k % 10 === 0 ? accelAuxBytes(100 + k, -200 - k, 300) : undefined;
    parts.push(packet((first + k) & 0xff, counts(k), 0xc0, accel));
  }
  return concat(parts);
}

describe('CytonParser: packets', () => {
  it('decodes 24-bit two\'s complement big-endian counts to µV at gain 24', () => {
    const { parser, rows } = makeParser();
    const values = [0, 1, -1, 0x7fffff, -0x800000, 123456, -654321, 42];
    parser.push(packet(7, values));
    parser.push(packet(8, values));
    expect(parser.stats.packets).toBe(0); // the very first packets wait for a run of three
    parser.push(packet(9, values));
    expect(parser.stats.packets).toBe(3);
    const got = rows();
    expect(got).toHaveLength(3);
    const scale = countScaleUv(24);
    expect(scale).toBeCloseTo(0.02235174, 7);
    got[0].slice(0, 8).forEach((v, c) => expect(v).toBeCloseTo(values[c] * scale, 9));
    expect(got[0][3]).toBeCloseTo(187500, 0); // full scale at gain 24
  });

  it('follows the per-channel gain', () => {
    const { parser, rows } = makeParser();
    parser.setGain(2, 8);
    parser.setGain(7, 1);
    parser.push(stream(3));
    const [row] = rows();
    expect(row[2]).toBeCloseTo(counts(0)[2] * ((4.5 / 8 / (2 ** 23 - 1)) * 1e6), 9);
    expect(row[7]).toBeCloseTo(counts(0)[7] * ((4.5 / 1 / (2 ** 23 - 1)) * 1e6), 9);
    expect(row[0]).toBeCloseTo(counts(0)[0] * countScaleUv(24), 9);
    expect(() => parser.setGain(0, 3)).toThrow(/gain must be one of/);
    expect(() => parser.setGain(8, 24)).toThrow(/channel index/);
  });

  it('gives the same rows for every split of the stream into pieces of 1..40 bytes', () => {
    const skip = new Set([5, 6, 40]);
    const noisy = concat([new Uint8Array([1, 2, 0xa0, 3]), stream(30, skip), Uint8Array.of(0xa0, 0xc0, 7), stream(30, new Set(), 30)]);
    const reference = makeParser();
    reference.parser.push(noisy);
    const expected = reference.events;
    expect(reference.rows().length).toBeGreaterThan(50);
    for (let piece = 1; piece <= 40; piece++) {
      const p = makeParser();
      for (let i = 0; i < noisy.length; i += piece) p.parser.push(noisy.subarray(i, i + piece));
      expect(p.events, `piece size ${piece}`).toEqual(expected);
    }
    const rng = new Random(9);
    for (let trial = 0; trial < 200; trial++) {
      const p = makeParser();
      for (let i = 0; i < noisy.length; ) {
        const n = 1 + rng.nextInt(40);
        p.parser.push(noisy.subarray(i, i + n));
        i += n;
      }
      expect(p.events).toEqual(expected);
    }
  });

  it('reports jumps in the sample counter as lost rows, before the next row; a wrap is not a jump', () => {
    const { parser, events } = makeParser();
    parser.push(stream(300, new Set([10, 11, 12, 200]), 250));
    const lost = events.filter((e) => e.kind === 'lost');
    expect(lost).toEqual([
      { kind: 'lost', rows: 3 },
      { kind: 'lost', rows: 1 },
    ]);
    const firstLost = events.findIndex((e) => e.kind === 'lost');
    expect(events.slice(0, firstLost).filter((e) => e.kind === 'row')).toHaveLength(10);
    expect(parser.stats.rows).toBe(296);
    expect(parser.stats.lostRows).toBe(4);
  });

  it('resynchronises after garbage and never turns a packet without a valid footer into a row', () => {
    const { parser, rows } = makeParser();
    const good = stream(3);
    const bad = packet(3, counts(3), 0xc7); // invalid footer
    const badFooter = packet(3, counts(3), 0x00);
    const garbage = Uint8Array.from({ length: 50 }, (_, i) => (i % 7 === 0 ? 0xa0 : (i * 37) & 0xff));
    parser.push(concat([garbage, good, bad, badFooter, garbage, stream(3, new Set(), 4)]));
    const got = rows();
    expect(got).toHaveLength(6);
    const s = parser.stats;
    expect(s.bytesIn).toBe(33 * s.packets + s.skippedBytes + s.pendingBytes);
  });

  it('costs a dropped byte only the packet it touched', () => {
    const { parser, rows, events } = makeParser();
    const full = stream(20);
    const damaged = concat([full.subarray(0, 33 * 5 + 10), full.subarray(33 * 5 + 11)]); // packet 5 loses a byte
    parser.push(damaged);
    expect(rows()).toHaveLength(19);
    expect(events.filter((e) => e.kind === 'lost')).toEqual([{ kind: 'lost', rows: 1 }]);
  });

  it('while hunting, waits for a run of three consistent packets unless the sample number continues close by (then for the next packet only)', () => {
    const { parser, rows } = makeParser();
    const s = stream(6);
    parser.push(Uint8Array.of(0x11, 0x22)); // skipped: hunting
    parser.push(s.subarray(0, 66)); // no predecessor: wait for a run of three
    expect(rows()).toHaveLength(0);
    parser.push(s.subarray(66, 99));
    expect(rows()).toHaveLength(3);
    parser.push(s.subarray(99, 132)); // locked: immediate
    expect(rows()).toHaveLength(4);
    parser.push(Uint8Array.of(0x33)); // a stray byte → hunting again
    parser.push(s.subarray(132, 165)); // continues the sample number one byte later: held for the next packet to judge
    expect(rows()).toHaveLength(4);
    expect(parser.stats.pendingBytes).toBe(33);
    parser.push(s.subarray(165, 198)); // the board's stream goes on after it: it was a packet
    expect(rows()).toHaveLength(6);
    expect(parser.stats.rejectedCandidates).toBe(0);
  });

  it('yields no rows from random bytes, counts the framed candidates it refuses, and loses nothing of a stream around noise', () => {
    const rng = new Random(5);
    const noise = new Uint8Array(2 << 20);
    for (let i = 0; i < noise.length; i++) noise[i] = rng.nextInt(256);
    // plant candidates that frame a packet (header and footer) without a run behind them
    for (let at = 1000; at + 40 < noise.length; at += 4096) {
      noise[at] = 0xa0;
      noise[at + 32] = 0xc0;
    }
    const { parser, rows, events } = makeParser();
    parser.push(noise);
    expect(rows()).toHaveLength(0);
    expect(events).toEqual([]);
    expect(parser.stats.rejectedCandidates).toBeGreaterThanOrEqual(500);
    // a real stream, noise in the middle, the stream goes on: only the packets the noise replaced are lost
    const p2 = makeParser();
    p2.parser.push(concat([stream(100), noise.subarray(0, 1 << 16), stream(100, new Set(), 120)]));
    expect(p2.rows()).toHaveLength(200);
    expect(p2.events.filter((e) => e.kind === 'lost')).toEqual([{ kind: 'lost', rows: 20 }]);
  });

  it('gives up held bytes on request (skipPending), then finds packets behind them', () => {
    const skipped: number[] = [];
    const rec = recorder();
    const parser = new CytonParser({ daisy: false }, { ...rec.listener, skipped: (b) => skipped.push(b) });
    (rec.listener as { width?: number }).width = parser.rowWidth;
    const s = stream(3);
    parser.push(concat([Uint8Array.of(0xa0, 0x53, 0x75), s.subarray(0, 20)]));
    expect(parser.pendingBytes).toBe(23);
    parser.skipPending(); // the stray header goes; 0x53 0x75 are skipped by the rescan; the packet start stays
    expect(skipped).toEqual([0xa0, 0x53, 0x75]);
    expect(parser.pendingBytes).toBe(20);
    parser.push(s.subarray(20));
    expect(rec.rows()).toHaveLength(3);
    const st = parser.stats;
    expect(st.bytesIn).toBe(33 * st.packets + st.skippedBytes + st.pendingBytes);
  });

  it('holds the last non-zero accelerometer reading (C0) and ignores raw aux (C1)', () => {
    const { parser, rows } = makeParser();
    parser.push(
      concat([
        packet(0, counts(0), 0xc0, [0, 0, 0, 0, 0, 0]),
        packet(1, counts(1), 0xc0, accelAuxBytes(1000, -2000, 16000)),
        packet(2, counts(2), 0xc0, [0, 0, 0, 0, 0, 0]),
        packet(3, counts(3), 0xc1, [1, 2, 3, 4, 5, 6]),
        packet(4, counts(4), 0xc0, accelAuxBytes(-1, 0, 1)),
        packet(5, counts(5)),
      ]),
    );
    const got = rows().map((r) => r.slice(8));
    expect(got[0]).toEqual([0, 0, 0]);
    const g = (v: number) => v * CYTON_ACCEL_SCALE_G;
    expect(got[1]).toEqual([g(1000), g(-2000), g(16000)]);
    expect(got[2]).toEqual(got[1]);
    expect(got[3]).toEqual(got[1]);
    expect(got[4]).toEqual([g(-1), 0, g(1)]);
    expect(g(16000)).toBeCloseTo(2.0, 9);
  });

  it('takes one accelerometer axis per time-stamped packet (C3/C4: sample number mod 10 = 7, 8, 9) and exposes the board time', () => {
    const packets: Uint8Array[] = [];
    for (let k = 0; k < 12; k++) {
      const axisValue = k % 10 === 7 ? 100 : k % 10 === 8 ? 200 : k % 10 === 9 ? 300 : 0;
      const t = 1_000_000 + k * 4;
      const aux = [(axisValue >> 8) & 0xff, axisValue & 0xff, (t >>> 24) & 0xff, (t >> 16) & 0xff, (t >> 8) & 0xff, t & 0xff];
      packets.push(packet(k, counts(k), k === 0 ? 0xc3 : 0xc4, aux));
    }
    const times: number[] = [];
    const rec = recorder();
    const parser = new CytonParser({ daisy: false }, { ...rec.listener, packet: (b, o) => times.push(packetBoardTimeMs(b, o)!) });
    (rec.listener as { width?: number }).width = parser.rowWidth;
    parser.push(concat(packets));
    const got = rec.rows().map((r) => r.slice(8).map((v) => Math.round(v / CYTON_ACCEL_SCALE_G)));
    expect(got[6]).toEqual([0, 0, 0]);
    expect(got[7]).toEqual([100, 0, 0]);
    expect(got[9]).toEqual([100, 200, 300]);
    expect(got[11]).toEqual([100, 200, 300]);
    expect(times[0]).toBe(1_000_000);
    expect(times[11]).toBe(1_000_044);
    expect(parser.stats.footers[3]).toBe(1);
    expect(parser.stats.footers[4]).toBe(11);
  });

  it('after markDiscontinuity, calls resumed() before the next row instead of counting', () => {
    const { parser, events } = makeParser();
    parser.push(stream(5));
    parser.push(stream(1).subarray(0, 20)); // half a packet, then the link drops
    parser.markDiscontinuity();
    parser.push(stream(5, new Set(), 100));
    const kinds = events.map((e) => e.kind);
    expect(kinds.filter((k) => k === 'lost')).toEqual([]);
    expect(kinds.indexOf('resumed')).toBe(5);
    expect(kinds.filter((k) => k === 'row')).toHaveLength(10);
    const s = parser.stats;
    expect(s.bytesIn).toBe(33 * s.packets + s.skippedBytes + s.pendingBytes);
  });
});

describe('CytonParser: Daisy', () => {
  /** Packets for rows r0..r0+n-1: Cyton half (sample 2r+1) then Daisy half (2r+2). */
  function daisyStream(rowsWanted: number[], options: { dropCyton?: Set<number>; dropDaisy?: Set<number> } = {}): Uint8Array {
    const parts: Uint8Array[] = [];
    for (const r of rowsWanted) {
      if (!options.dropCyton?.has(r)) parts.push(packet((2 * r + 1) & 0xff, counts(2 * r)));
      if (!options.dropDaisy?.has(r)) parts.push(packet((2 * r + 2) & 0xff, counts(2 * r + 1)));
    }
    return concat(parts);
  }

  it('pairs odd (channels 1-8) and even (9-16) sample numbers into 16-channel rows, across the wrap', () => {
    const { parser, rows, events } = makeParser(true);
    expect(parser.rowWidth).toBe(19);
    const range = Array.from({ length: 300 }, (_, i) => i); // pairs 0..299: wraps twice
    parser.push(daisyStream(range));
    const got = rows();
    expect(got).toHaveLength(300);
    expect(events.filter((e) => e.kind === 'lost')).toEqual([]);
    const scale = countScaleUv(24);
    got.forEach((row, r) => {
      expect(row[0]).toBeCloseTo(counts(2 * r)[0] * scale, 9);
      expect(row[8]).toBeCloseTo(counts(2 * r + 1)[0] * scale, 9);
      expect(row[15]).toBeCloseTo(counts(2 * r + 1)[7] * scale, 9);
    });
  });

  it('loses the whole row when one half is missing, and counts whole missing pairs', () => {
    const { parser, rows, events } = makeParser(true);
    const range = Array.from({ length: 40 }, (_, i) => i);
    const missingPairs = new Set([20, 21]);
    parser.push(daisyStream(range.filter((r) => !missingPairs.has(r)), { dropDaisy: new Set([5]), dropCyton: new Set([9]) }));
    expect(rows()).toHaveLength(36);
    const lost = events.filter((e) => e.kind === 'lost').reduce((n, e) => n + (e as { rows: number }).rows, 0);
    expect(lost).toBe(4);
    expect(parser.stats.rows + parser.stats.lostRows).toBe(40);
    // order: the row before pair 5 is pair 4, then one lost, then pair 6
    const seq = events.map((e) => (e.kind === 'row' ? 'r' : e.kind === 'lost' ? `l${e.rows}` : 'x')).join('');
    expect(seq.startsWith('rrrrrl1rrrl1rrrrrrrrrrl2r')).toBe(true);
  });

  it('starts cleanly on a Daisy half (the tail of a pair sent before we listened)', () => {
    const { parser, rows, events } = makeParser(true);
    const full = daisyStream([0, 1, 2, 3]);
    parser.push(full.subarray(33)); // starts at pair 0's Daisy half
    expect(rows()).toHaveLength(3);
    expect(events.filter((e) => e.kind === 'lost')).toEqual([]);
  });
});

describe('CytonParser: the end of a stream', () => {
  it('drainPending accepts held packets that continue the counter (the run they waited for will not come) and nothing else', () => {
    const { parser, rows } = makeParser();
    const s = stream(8);
    parser.push(s.subarray(0, 33 * 5)); // packets 0-4
    parser.push(new Uint8Array(200).fill(0x42)); // a long burst of garbage: hunting, too far for an immediate accept
    parser.push(s.subarray(33 * 6, 33 * 8)); // packets 6, 7 (5 lost): no run of three behind them
    expect(rows()).toHaveLength(5);
    parser.drainPending();
    expect(rows()).toHaveLength(7);
    expect(parser.stats.lostRows).toBe(1);
    const noise = makeParser();
    noise.parser.push(concat([Uint8Array.of(0xa0), new Uint8Array(31), Uint8Array.of(0xc0)]));
    noise.parser.drainPending();
    expect(noise.rows()).toHaveLength(0);
  });
});
