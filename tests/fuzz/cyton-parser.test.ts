// Fuzzing the Cyton packet parser with random and mutated streams (seeded, so a failure replays):
// it never throws and never hangs; every packet it accepts starts with 0xA0 and ends with a valid
// footer 32 bytes later in the input, and every row is made of such packets; its byte and row
// counts add up; and any split of the same bytes gives the same events.
import { describe, expect, it } from 'vitest';
import { CytonParser, RESYNC_RUN_PACKETS, countScaleUv, encodeCytonPacket, type CytonParserListener } from '../../electron/common/boards/cyton-protocol.js';
import { Random } from '../../electron/common/random.js';

const SCALE = countScaleUv(24);

function validStream(rng: Random, packets: number, daisy: boolean): Uint8Array {
  const out = new Uint8Array(packets * 33);
  const counts = new Array<number>(8);
  let sn = rng.nextInt(256);
  for (let p = 0; p < packets; p++) {
    for (let c = 0; c < 8; c++) counts[c] = rng.nextInt(1 << 24) - (1 << 23);
    const aux = Array.from({ length: 6 }, () => (rng.nextFloat() < 0.5 ? 0 : rng.nextInt(256)));
    encodeCytonPacket(out, p * 33, sn, counts, 0xc0 + rng.nextInt(7), aux);
    sn = (sn + (rng.nextFloat() < 0.05 ? 1 + rng.nextInt(5) : 1)) & 0xff;
    if (daisy && rng.nextFloat() < 0.02) sn = (sn + 1) & 0xff; // break a pair now and then
  }
  return out;
}

function mutate(rng: Random, input: Uint8Array): Uint8Array {
  const bytes = Array.from(input);
  const edits = 1 + rng.nextInt(12);
  for (let e = 0; e < edits && bytes.length > 0; e++) {
    const at = rng.nextInt(bytes.length);
    switch (rng.nextInt(6)) {
      case 0: // flip a byte
        bytes[at] = rng.nextInt(256);
        break;
      case 1: // delete a run
        bytes.splice(at, 1 + rng.nextInt(40));
        break;
      case 2: // insert garbage, biased toward header and footer values
        bytes.splice(at, 0, ...Array.from({ length: 1 + rng.nextInt(50) }, () => [0xa0, 0xc0, 0xc3, 0xc6, 0xc7][rng.nextInt(5)] ?? rng.nextInt(256)));
        break;
      case 3: // duplicate a run
        bytes.splice(at, 0, ...bytes.slice(at, at + 1 + rng.nextInt(70)));
        break;
      case 4: // a footer becomes invalid
        bytes[at] = 0xc7 + rng.nextInt(9);
        break;
      default: // truncate
        bytes.length = at;
    }
  }
  return Uint8Array.from(bytes);
}

function randomBytes(rng: Random, n: number): Uint8Array {
  const pick = [0xa0, 0xc0, 0xc1, 0xc2, 0xc3, 0xc4, 0xc5, 0xc6];
  return Uint8Array.from({ length: n }, () => (rng.nextFloat() < 0.3 ? pick[rng.nextInt(pick.length)] : rng.nextInt(256)));
}

interface Run {
  events: string[];
  packets: { offset: number; sn: number; key: string }[];
  rows: number;
  lost: number;
  parser: CytonParser;
}

function keyOf(values: ArrayLike<number>, from: number): string {
  let k = '';
  for (let c = 0; c < 8; c++) k += `${Math.round(values[from + c] / SCALE)},`;
  return k;
}

function decodeKey(bytes: Uint8Array, at: number): string {
  let k = '';
  for (let c = 0; c < 8; c++) {
    const p = at + 2 + c * 3;
    k += `${((bytes[p] << 24) | (bytes[p + 1] << 16) | (bytes[p + 2] << 8)) >> 8},`;
  }
  return k;
}

function run(input: Uint8Array, daisy: boolean, rng: Random, maxPiece: number): Run {
  const result: Run = { events: [], packets: [], rows: 0, lost: 0, parser: undefined as unknown as CytonParser };
  const width = daisy ? 19 : 11;
  const listener: CytonParserListener = {
    rows(rows, n) {
      for (let r = 0; r < n; r++) {
        const first = keyOf(rows, r * width);
        result.events.push(`r${first}${daisy ? keyOf(rows, r * width + 8) : ''}|${rows[r * width + width - 3]}`);
      }
      result.rows += n;
    },
    lost(n) {
      result.events.push(`l${n}`);
      result.lost += n;
    },
    resumed() {
      result.events.push('resumed');
    },
    packet(bytes, offset, streamOffset) {
      result.packets.push({ offset: streamOffset, sn: bytes[offset + 1], key: decodeKey(bytes, offset) });
    },
  };
  const parser = new CytonParser({ daisy, maxRowsPerFlush: 1 + rng.nextInt(8) }, listener);
  result.parser = parser;
  for (let i = 0; i < input.length; ) {
    const n = 1 + rng.nextInt(maxPiece);
    parser.push(input.subarray(i, i + n));
    i += n;
  }
  return result;
}

describe('Cyton parser fuzz', () => {
  it('holds its invariants on random and mutated streams', () => {
    const rng = new Random(20240611);
    // a fixed number of cases, not a time budget: a loaded machine takes longer, it does not test less
    let iterations = 0;
    let totalRows = 0;
    let totalPackets = 0;
    while (iterations < 4000) {
      iterations++;
      const daisy = rng.nextFloat() < 0.4;
      const kind = rng.nextInt(3);
      const input =
        kind === 0 ? randomBytes(rng, 1 + rng.nextInt(3000)) : kind === 1 ? mutate(rng, validStream(rng, 5 + rng.nextInt(80), daisy)) : validStream(rng, 1 + rng.nextInt(60), daisy);
      const a = run(input, daisy, rng, 1 + rng.nextInt(64));
      const s = a.parser.stats;
      // counts add up
      if (
        s.bytesIn !== input.length ||
        s.bytesIn !== 33 * s.packets + s.skippedBytes + s.pendingBytes ||
        // pending: at most a resync run being waited for, and a held candidate (one packet)
        s.pendingBytes >= (RESYNC_RUN_PACKETS + 1) * 33 ||
        s.packets !== a.packets.length ||
        s.rows !== a.rows ||
        s.lostRows !== a.lost
      ) {
        throw new Error(`iteration ${iterations}: counts do not add up: ${JSON.stringify(s)}`);
      }
      // every accepted packet is a real 0xA0 … C0-C6 window of the input
      const accepted = new Set<string>();
      for (const p of a.packets) {
        const footer = input[p.offset + 32];
        if (input[p.offset] !== 0xa0 || footer < 0xc0 || footer > 0xc6 || decodeKey(input, p.offset) !== p.key) {
          throw new Error(`iteration ${iterations}: packet at ${p.offset} is not a valid window of the input`);
        }
        accepted.add(p.key);
      }
      // every row is made of accepted packets
      for (const e of a.events) {
        if (!e.startsWith('r')) continue;
        const keys = e.slice(1, e.indexOf('|')).split(',').filter((x) => x !== '');
        for (let half = 0; half < keys.length / 8; half++) {
          if (!accepted.has(`${keys.slice(half * 8, half * 8 + 8).join(',')},`)) throw new Error(`iteration ${iterations}: a row not made of accepted packets`);
        }
      }
      // without the Daisy a packet is a row, and the lost rows are the counter's jumps
      if (!daisy) {
        let lost = 0;
        for (let i = 1; i < a.packets.length; i++) lost += (a.packets[i].sn - a.packets[i - 1].sn - 1) & 0xff;
        if (a.rows !== a.packets.length || a.lost !== lost) throw new Error(`iteration ${iterations}: rows/lost do not match the packets`);
      } else if (2 * a.rows > a.packets.length) {
        throw new Error(`iteration ${iterations}: more Daisy rows than pairs`);
      }
      // any other split gives the same events
      const b = run(input, daisy, rng, 1 + rng.nextInt(64));
      if (b.events.length !== a.events.length || b.events.some((e, i) => e !== a.events[i])) {
        expect(b.events, `iteration ${iterations}: another split`).toEqual(a.events);
      }
      totalRows += a.rows;
      totalPackets += a.packets.length;
    }
    expect(iterations).toBeGreaterThanOrEqual(1000);
    expect(totalPackets).toBeGreaterThan(1000);
    expect(totalRows).toBeGreaterThan(500);
  });

  it('gets through a megabyte of noise quickly and without rows', () => {
    const rng = new Random(7);
    const noise = Uint8Array.from({ length: 1 << 20 }, () => {
      const b = rng.nextInt(256);
      return b === 0xa0 ? 0xa1 : b;
    });
    let rows = 0;
    const parser = new CytonParser({ daisy: false }, { rows: (_r, n) => (rows += n), lost: () => {} });
    // CPU time, not wall time: what the parser costs, whatever else the machine runs
    const t0 = process.cpuUsage();
    parser.push(noise);
    const cpu = process.cpuUsage(t0);
    expect((cpu.user + cpu.system) / 1000).toBeLessThan(1000);
    expect(rows).toBe(0);
    expect(parser.stats.skippedBytes).toBe(1 << 20);
  });
});
