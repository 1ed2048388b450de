// The Cyton packet parser at its edges (found by mutation testing: npm run mutate -- boards).
// Packets are built here byte by byte from the OpenBCI facts (/work/shared/DESIGN.md §4), not with
// the project's encoder: 0xA0, sample number, 8 × 24-bit big-endian two's complement counts,
// 6 aux bytes (C0: 3 × int16 big-endian accelerometer, g = raw × 0.002 / 16; C3-C6: time-stamped,
// the last 4 aux bytes a big-endian ms counter), footer 0xC0-0xC6; µV = count × 4.5 / gain /
// (2^23 − 1) × 1e6. Daisy: odd sample numbers carry channels 1-8, the next even one 9-16.
import { describe, expect, it } from 'vitest';
import { CytonParser, packetBoardTimeMs, type CytonParserListener } from '../../../../electron/common/boards/cyton-protocol.js';

const UV_PER_COUNT_24 = (4.5 / 24 / (2 ** 23 - 1)) * 1e6;
const G_PER_COUNT = 0.002 / 16;

function int24(v: number): number[] {
  const u = v < 0 ? v + 0x1000000 : v;
  return [(u >> 16) & 0xff, (u >> 8) & 0xff, u & 0xff];
}

/** One packet, by hand. */
function pkt(sample: number, counts: readonly number[] = [], footer = 0xc0, aux: readonly number[] = [0, 0, 0, 0, 0, 0]): number[] {
  const bytes = [0xa0, sample & 0xff];
  for (let c = 0; c < 8; c++) bytes.push(...int24(counts[c] ?? sample * 10 + c));
  bytes.push(...aux, footer);
  expect(bytes).toHaveLength(33);
  return bytes;
}

const accel = (x: number, y: number, z: number): number[] => [x, y, z].flatMap((v) => [(v >> 8) & 0xff, v & 0xff]);
const bytes = (...parts: (number[] | number)[]): Uint8Array => Uint8Array.from(parts.flatMap((p) => (typeof p === 'number' ? [p] : p)));
const run = (...samples: number[]): number[] => samples.flatMap((s) => pkt(s));
const garbage = (n: number): number[] => new Array<number>(n).fill(0x42);

interface Seen {
  rows: number[][];
  batches: number[];
  events: string[];
  offsets: number[];
  skipped: number[];
  resumed: number;
}

function parserOf(options: { daisy?: boolean; maxRowsPerFlush?: number } = {}): { parser: CytonParser; seen: Seen } {
  const seen: Seen = { rows: [], batches: [], events: [], offsets: [], skipped: [], resumed: 0 };
  let width = 0;
  const listener: CytonParserListener = {
    rows(rows, n) {
      seen.batches.push(n);
      for (let r = 0; r < n; r++) {
        seen.rows.push(Array.from(rows.subarray(r * width, (r + 1) * width)));
        seen.events.push('r');
      }
    },
    lost(n) {
      seen.events.push(`l${n}`);
    },
    resumed() {
      seen.resumed++;
      seen.events.push('x');
    },
    packet(_b, _o, streamOffset) {
      seen.offsets.push(streamOffset);
    },
    skipped(b) {
      seen.skipped.push(b);
    },
  };
  const parser = new CytonParser({ daisy: options.daisy ?? false, maxRowsPerFlush: options.maxRowsPerFlush }, listener);
  width = parser.rowWidth;
  return { parser, seen };
}

function balanced(parser: CytonParser): void {
  const s = parser.stats;
  expect(s.bytesIn).toBe(33 * s.packets + s.skippedBytes + s.pendingBytes);
}

describe('CytonParser: framing and hunting', () => {
  it('takes every footer C0..C6 and nothing above', () => {
    const { parser, seen } = parserOf();
    parser.push(bytes(pkt(0, [], 0xc6), pkt(1, [], 0xc5), pkt(2, [], 0xc6), pkt(3, [], 0xc6)));
    expect(seen.rows).toHaveLength(4);
    expect(parser.stats.footers).toEqual([0, 0, 0, 0, 0, 1, 3]);
    const other = parserOf();
    other.parser.push(bytes(pkt(0, [], 0xc7), pkt(1, [], 0xc7), pkt(2, [], 0xc7), pkt(3, [], 0xc7)));
    expect(other.seen.rows).toHaveLength(0);
  });

  it('once locked, a packet after a jump is judged as while hunting: the rows lost are counted once the next packets (or the end of the stream) confirm it', () => {
    // far ahead: taken as the first of a run of consistent packets
    const far = parserOf();
    far.parser.push(bytes(run(0, 1, 2, 3, 4)));
    far.parser.push(bytes(pkt(10)));
    expect(far.seen.events.join('')).toBe('rrrrr');
    far.parser.push(bytes(pkt(11), pkt(12)));
    expect(far.seen.events.join('')).toBe('rrrrrl5rrr');
    // close ahead: held, then accepted as the next packet continues it
    const near = parserOf();
    near.parser.push(bytes(run(0, 1, 2, 3, 4), pkt(6)));
    expect(near.seen.events.join('')).toBe('rrrrr');
    near.parser.push(bytes(pkt(7)));
    expect(near.seen.events.join('')).toBe('rrrrrl1rr');
    // the stream ends after the jump: taken when draining
    const end = parserOf();
    end.parser.push(bytes(run(0, 1, 2, 3, 4), pkt(10)));
    end.parser.drainPending();
    expect(end.seen.events.join('')).toBe('rrrrrl5r');
    for (const p of [far.parser, near.parser, end.parser]) balanced(p);
  });

  it('once locked, noise framed at a packet boundary is no packet: no row, no false jump', () => {
    // right after packet 41, seven noise bytes: the first 0xA0, and a footer byte 32 bytes on
    const noise = new Array<number>(33).fill(0x11);
    noise[0] = 0xa0;
    noise[1] = 0x77;
    noise[32] = 0xc0;
    const { parser, seen } = parserOf();
    parser.push(bytes(run(38, 39, 40, 41), noise.slice(0, 7)));
    parser.push(bytes(noise.slice(7), pkt(42), pkt(43), pkt(44)));
    parser.drainPending();
    expect(seen.events.join('')).toBe('rrrrrrr');
    expect(seen.rows.every((r) => r.slice(0, 8).every((v) => v !== 0x111111 * UV_PER_COUNT_24))).toBe(true);
    expect(parser.stats.lostRows).toBe(0);
    balanced(parser);
    // a held packet, then a noise frame: the noise does not judge it, the board's next packet does
    const held = parserOf();
    held.parser.push(bytes(run(7, 8, 9), 0x33, pkt(10), noise, pkt(11), pkt(12)));
    held.parser.drainPending();
    expect(held.seen.events.join('')).toBe('rrrrrr');
    expect(held.parser.stats.lostRows).toBe(0);
    balanced(held.parser);
  });

  it('while hunting, a packet continuing the counter close by (up to 3 lost) is held for the next packet; one further ahead waits for a run', () => {
    for (const [ahead, near] of [[1, true], [4, true], [5, false], [100, false]] as const) {
      const { parser, seen } = parserOf();
      parser.push(bytes(run(0, 1, 2, 3, 4)));
      parser.push(bytes(0x33, pkt(4 + ahead))); // a stray byte and the packet in one piece
      expect([ahead, seen.rows.length]).toEqual([ahead, 5]);
      expect(parser.pendingBytes).toBe(near ? 0 : 33); // held whole, or waiting for its run
      expect(parser.stats.pendingBytes).toBe(33);
      parser.push(bytes(pkt(5 + ahead)));
      expect([ahead, seen.rows.length]).toEqual([ahead, near ? 7 : 5]);
    }
  });

  it('trusts a continuing counter after up to 180 skipped bytes (four packets and a burst), not after more', () => {
    for (const [skippedBytes, near] of [[180, true], [181, false]] as const) {
      const { parser, seen } = parserOf();
      parser.push(bytes(run(0, 1, 2, 3, 4), garbage(skippedBytes), pkt(5), pkt(6)));
      expect([skippedBytes, seen.rows.length]).toEqual([skippedBytes, near ? 7 : 5]);
    }
  });

  it('trusts it only with a footer of the kind the stream has (C0 alone; C3 with C4; C5 with C6)', () => {
    for (const [last, next, near] of [[0xc0, 0xc1, false], [0xc3, 0xc4, true], [0xc4, 0xc3, true], [0xc6, 0xc5, true], [0xc4, 0xc5, false], [0xc2, 0xc2, true]] as const) {
      const { parser, seen } = parserOf();
      parser.push(bytes(pkt(0, [], last), pkt(1, [], last), pkt(2, [], last), 0x33, pkt(3, [], next), pkt(4, [], next)));
      expect([last, next, seen.rows.length]).toEqual([last, next, near ? 5 : 3]);
    }
  });

  it('a held candidate that the board\'s next packet contradicts was noise: no row, the loss counted from the packet before it', () => {
    for (const next of [5, 6, 7]) {
      // packet 4, a noise frame that reads as packet 7 (2 lost), then the board's stream goes on at `next`
      const { parser, seen } = parserOf();
      parser.push(bytes(run(0, 1, 2, 3, 4), 0x33, pkt(7, [9, 9, 9, 9, 9, 9, 9, 9])));
      parser.push(bytes(run(next, next + 1, next + 2)));
      expect(seen.events.join('')).toBe(`rrrrr${next > 5 ? `l${next - 5}` : ''}rrr`);
      expect(seen.rows.some((r) => r[0] === 9 * UV_PER_COUNT_24)).toBe(false);
      expect(parser.stats.rejectedCandidates).toBe(1);
      expect(seen.skipped).toHaveLength(1 + 33);
      balanced(parser);
    }
    // one the next packet does not contradict is taken, before it
    const { parser, seen } = parserOf();
    parser.push(bytes(run(0, 1, 2, 3, 4), 0x33, pkt(7)));
    parser.push(bytes(garbage(40), pkt(9), pkt(10)));
    expect(seen.events.join('')).toBe('rrrrrl2rl1rr');
    expect(seen.offsets.slice(5)).toEqual([166, 239, 272]);
    balanced(parser);
  });

  it('a held candidate is taken when no packet comes to judge it: at the end of a stream, or at a discontinuity', () => {
    const end = parserOf();
    end.parser.push(bytes(run(0, 1, 2, 3, 4), 0x33, pkt(6)));
    end.parser.drainPending();
    expect(end.seen.events.join('')).toBe('rrrrrl1r');
    const cut = parserOf();
    cut.parser.push(bytes(run(0, 1, 2, 3, 4), 0x33, pkt(5)));
    cut.parser.markDiscontinuity();
    expect(cut.seen.events.join('')).toBe('rrrrrr');
    const fresh = parserOf();
    fresh.parser.push(bytes(run(0, 1, 2, 3, 4), 0x33, pkt(5)));
    fresh.parser.resetSequence(); // a new stream: what was held belongs to no stream
    expect(fresh.seen.rows).toHaveLength(5);
    balanced(fresh.parser);
  });

  it('counts from sample number 0 like any other (a continuing 1, a jump from 0)', () => {
    const { parser, seen } = parserOf();
    parser.push(bytes(run(254, 255, 0)));
    parser.push(bytes(0x33, pkt(1), pkt(2)));
    expect(seen.rows).toHaveLength(5);
    const jump = parserOf();
    jump.parser.push(bytes(run(254, 255, 0)));
    jump.parser.push(bytes(pkt(3)));
    jump.parser.drainPending(); // the stream ends: no next packet to confirm it
    expect(jump.seen.events.join('')).toBe('rrrl2r');
  });

  it('waits for a run behind garbage without judging bytes it has not received', () => {
    const { parser, seen } = parserOf();
    parser.push(bytes(garbage(50), run(7, 8)));
    expect(seen.rows).toHaveLength(0);
    expect(parser.pendingBytes).toBe(66);
    parser.push(bytes(pkt(9)));
    expect(seen.rows).toHaveLength(3);
    expect(parser.stats.rejectedCandidates).toBe(0);
  });

  it('a run needs a header, a footer and the next sample number in each of its packets', () => {
    const noHeader = pkt(11);
    noHeader[0] = 0x00;
    const noFooter = pkt(11);
    noFooter[32] = 0x00;
    const wrongCounter = pkt(50);
    for (const second of [noHeader, noFooter, wrongCounter]) {
      const { parser, seen } = parserOf();
      parser.push(bytes(pkt(10), second, pkt(12)));
      expect(seen.rows).toHaveLength(0);
      expect(parser.stats.rejectedCandidates).toBeGreaterThanOrEqual(1);
    }
  });

  it('reports each accepted packet at its position in everything pushed', () => {
    const { parser, seen } = parserOf();
    parser.push(bytes(garbage(7), run(0, 1, 2)));
    parser.push(bytes(0x11, 0x22, pkt(3), garbage(3)));
    parser.push(bytes(pkt(4)));
    parser.drainPending();
    expect(seen.offsets).toEqual([7, 40, 73, 108, 144]);
    balanced(parser);
  });

  it('delivers rows in batches of maxRowsPerFlush, at least one, and never an empty batch', () => {
    const samples = Array.from({ length: 10 }, (_, i) => i);
    const batched = parserOf();
    batched.parser.push(bytes(run(...samples)));
    expect(batched.seen.batches).toEqual([10]);
    const four = parserOf({ maxRowsPerFlush: 4 });
    four.parser.push(bytes(run(...samples)));
    expect(four.seen.batches).toEqual([4, 4, 2]);
    const one = parserOf({ maxRowsPerFlush: 0 });
    one.parser.push(bytes(run(0, 1, 2)));
    expect(one.seen.batches).toEqual([1, 1, 1]);
    batched.parser.push(bytes(garbage(10)));
    batched.parser.flush();
    expect(batched.seen.batches).toEqual([10]);
  });
});

describe('CytonParser: gains', () => {
  it('refuses a channel or gain that does not exist, naming the range', () => {
    const { parser } = parserOf();
    for (const channel of [-1, 8, 1.5]) expect(() => parser.setGain(channel, 24)).toThrow(`channel index must be 0..7 (got ${channel})`);
    expect(() => parser.setGain(0, 3)).toThrow('gain must be one of 1, 2, 4, 6, 8, 12, 24 (got 3)');
    expect(() => parserOf({ daisy: true }).parser.setGain(16, 24)).toThrow('channel index must be 0..15 (got 16)');
    parser.setGain(7, 1);
  });
});

describe('CytonParser: interruptions', () => {
  it('resetSequence starts a new sequence silently: held bytes skipped, no resumed(), no loss, a run needed again', () => {
    const { parser, seen } = parserOf();
    parser.push(bytes(run(0, 1, 2, 3, 4), pkt(5).slice(0, 20)));
    parser.resetSequence();
    expect(seen.skipped).toEqual(pkt(5).slice(0, 20));
    expect(parser.pendingBytes).toBe(0);
    expect(parser.discontinuityPending).toBe(false);
    parser.push(bytes(pkt(100)));
    expect(seen.rows).toHaveLength(5); // not trusted alone: hunting again
    parser.push(bytes(run(101, 102)));
    expect(seen.events.join('')).toBe('rrrrrrrr');
    expect(seen.resumed).toBe(0);
    expect(seen.offsets.slice(5)).toEqual([5 * 33 + 20, 6 * 33 + 20, 7 * 33 + 20]);
    balanced(parser);
  });

  it('markDiscontinuity: resumed() once, before the next row only', () => {
    const { parser, seen } = parserOf();
    parser.push(bytes(run(0, 1, 2)));
    parser.markDiscontinuity();
    parser.push(bytes(run(50, 51, 52, 53)));
    expect(seen.events.join('')).toBe('rrrxrrrr');
    expect(seen.resumed).toBe(1);
  });

  it('markDiscontinuity in a Daisy stream forgets the pairs before it', () => {
    const { parser, seen } = parserOf({ daisy: true });
    parser.push(bytes(run(1, 2, 3, 4, 5)));
    parser.markDiscontinuity(); // drops the held Cyton half of pair 2
    parser.push(bytes(run(101, 102, 103, 104, 105, 106)));
    expect(seen.events.join('')).toBe('rrxrrr');
  });

  it('skipPending with nothing held does nothing', () => {
    const { parser, seen } = parserOf();
    parser.push(bytes(run(0, 1, 2)));
    parser.skipPending();
    expect(seen.skipped).toEqual([]);
    expect(parser.stats.skippedBytes).toBe(0);
    parser.push(bytes(garbage(2), pkt(3), pkt(4)));
    expect(seen.offsets).toEqual([0, 33, 66, 101, 134]);
  });

  it('skipPending keeps packet positions right', () => {
    const { parser, seen } = parserOf();
    parser.push(bytes(0xa0, 0x53, 0x75, run(0, 1, 2).slice(0, 20)));
    parser.skipPending();
    parser.push(bytes(run(0, 1, 2).slice(20)));
    expect(seen.offsets).toEqual([3, 36, 69]);
    balanced(parser);
  });
});

describe('CytonParser: draining the end of a stream', () => {
  /** Packets 0-4, then more than 180 bytes of garbage: the counter is no longer trusted at once. */
  function afterBurst(last = 4): ReturnType<typeof parserOf> {
    const p = parserOf();
    const first = [last - 4, last - 3, last - 2, last - 1, last].map((s) => s & 0xff);
    p.parser.push(bytes(run(...first)));
    return p;
  }

  it('accepts a held packet up to 3 ahead of the last one, and then goes on normally', () => {
    const { parser, seen } = afterBurst();
    parser.push(bytes(garbage(200), pkt(8)));
    expect(seen.rows).toHaveLength(5);
    parser.drainPending();
    expect(seen.events.join('')).toBe('rrrrrl3r');
    expect(parser.pendingBytes).toBe(0);
    expect(seen.offsets[5]).toBe(5 * 33 + 200);
    balanced(parser);
    // no longer draining: while hunting, a lone far packet waits for its run again
    parser.push(bytes(0x33, pkt(200)));
    expect(parser.pendingBytes).toBe(33);
    expect(seen.rows).toHaveLength(6);
    parser.push(bytes(run(201, 202)));
    expect(seen.offsets).toEqual([0, 33, 66, 99, 132, 365, 399, 432, 465]);
  });

  it('skips a held packet 4 or more ahead, and everything after it that is no run', () => {
    const { parser, seen } = afterBurst();
    parser.push(bytes(garbage(200), pkt(9), garbage(3)));
    parser.drainPending();
    expect(seen.rows).toHaveLength(5);
    expect(parser.pendingBytes).toBe(0);
    expect(parser.stats.skippedBytes).toBe(200 + 33 + 3);
  });

  it('counts from sample number 0 too', () => {
    const { parser, seen } = afterBurst(0);
    parser.push(bytes(garbage(200), pkt(2)));
    parser.drainPending();
    expect(seen.events.join('')).toBe('rrrrrl1r');
  });

  it('with nothing held does nothing', () => {
    const { parser, seen } = afterBurst();
    parser.drainPending();
    expect(seen.rows).toHaveLength(5);
    parser.push(bytes(pkt(5)));
    expect(seen.rows).toHaveLength(6);
  });
});

describe('CytonParser: Daisy pairs', () => {
  const events = (samples: number[]): string => {
    const { parser, seen } = parserOf({ daisy: true });
    parser.push(bytes(run(...samples)));
    parser.drainPending(); // the stream ends there
    return seen.events.join('');
  };

  it('decodes all 16 channels of a pair, each from its own 3 bytes', () => {
    const { parser, seen } = parserOf({ daisy: true });
    const cyton = [1, -1, 8388607, -8388608, 0x123456, -0x123456, 7, -7];
    const daisy = [100, -100, 200, -200, 300, -300, 400, -400];
    parser.push(bytes(pkt(1, cyton), pkt(2, daisy), pkt(3)));
    expect(seen.rows).toHaveLength(1);
    expect(seen.rows[0].slice(0, 16)).toEqual([...cyton, ...daisy].map((c) => c * UV_PER_COUNT_24));
  });

  it('a stream that starts at a later pair loses nothing', () => {
    expect(events([21, 22, 23, 24, 25, 26])).toBe('rrr');
  });

  // (a parser trusts a stream after three consecutive sample numbers: each case starts with them)
  it('a Cyton half without its Daisy half is one lost row, pair 0 after the wrap too', () => {
    expect(events([1, 2, 3, 5, 6])).toBe('rl1r'); // pair 1's Daisy half missing
    expect(events([253, 254, 255, 0, 1, 3, 4])).toBe('rrl1r'); // pair 0's
  });

  it('a jump between pairs is counted once, including when the next Daisy half is missing too', () => {
    expect(events([255, 0, 1, 2, 7, 8])).toBe('rrl2r'); // pairs 1 and 2 missing
    // pairs 2 and 3, then pair 4's Daisy half: its Cyton half (9), one packet before another jump,
    // has no run behind it and is not taken, so pair 4 is lost with them; the stream's last two
    // packets (pair 5) are taken when it ends
    expect(events([1, 2, 3, 4, 9, 11, 12])).toBe('rrl3r');
  });

  it('a Daisy half without its Cyton half is a lost row', () => {
    expect(events([255, 0, 1, 2, 4, 5, 6])).toBe('rrl1r'); // pair 1's Cyton half missing
    // a held Cyton half, then another pair's Daisy half: both rows lost, nothing made of the two
    expect(events([255, 0, 1, 4, 5, 6])).toBe('rl1l1r');
    expect(events([1, 2, 3, 4, 5, 8, 9, 10])).toBe('rrl1l1r');
  });

  it('reports a loss when it is confirmed, not when the next pair comes (the stream may end there)', () => {
    expect(events([1, 2, 3, 4, 6])).toBe('rrl1'); // pair 2's Cyton half missing
    expect(events([1, 2, 3, 4, 5, 8])).toBe('rrl1l1'); // pair 2's Daisy half, pair 3's Cyton half
    expect(events([1, 2, 3, 4, 9])).toBe('rrl2'); // pairs 2 and 3, pair 4's Cyton half held
  });

  it('ignores a repeat of a pair already made into a row', () => {
    expect(events([255, 0, 1, 2, 2, 3, 4])).toBe('rrr');
    expect(events([1, 2, 3, 4, 4, 5, 6])).toBe('rrr');
  });
});

describe('CytonParser: accelerometer and board time', () => {
  it('takes a C0 reading when any one axis is non-zero', () => {
    const { parser, seen } = parserOf();
    parser.push(bytes(pkt(0, [], 0xc0, accel(5, 0, 0)), pkt(1, [], 0xc0, accel(0, 7, 0)), pkt(2, [], 0xc0, accel(0, 0, -9)), pkt(3, [], 0xc0, accel(0, 0, 0))));
    expect(seen.rows.map((r) => r.slice(8).map((g) => Math.round(g / G_PER_COUNT)))).toEqual([
      [5, 0, 0],
      [0, 7, 0],
      [0, 0, -9],
      [0, 0, -9],
    ]);
  });

  it('takes an axis from C3 and C4 packets only (sample number mod 10 = 7, 8, 9)', () => {
    const { parser, seen } = parserOf();
    const aux = (v: number) => [(v >> 8) & 0xff, v & 0xff, 0, 0, 0, 1];
    parser.push(bytes(pkt(7, [], 0xc3, aux(11)), pkt(8, [], 0xc4, aux(22)), pkt(9, [], 0xc5, aux(33)), pkt(17, [], 0xc6, aux(44)), pkt(18, [], 0xc1, aux(55)), pkt(19, [], 0xc2, aux(66))));
    expect(seen.rows.map((r) => r.slice(8).map((g) => Math.round(g / G_PER_COUNT)))).toEqual([
      [11, 0, 0],
      [11, 22, 0],
      [11, 22, 0],
      [11, 22, 0],
      [11, 22, 0],
      [11, 22, 0],
    ]);
  });

  it('reads the board time of C3..C6 packets only', () => {
    const time = [0, 0, 0x01, 0x02, 0x03, 0x04]; // 0x01020304 ms
    const at = (footer: number) => packetBoardTimeMs(bytes(pkt(1, [], footer, time)), 0);
    expect([0xc0, 0xc1, 0xc2, 0xc3, 0xc4, 0xc5, 0xc6, 0xc7].map(at)).toEqual([undefined, undefined, undefined, 0x01020304, 0x01020304, 0x01020304, 0x01020304, undefined]);
    expect(packetBoardTimeMs(bytes(pkt(1, [], 0xc6, [0, 0, 0xff, 0xff, 0xff, 0xff])), 0)).toBe(0xffffffff);
  });
});
