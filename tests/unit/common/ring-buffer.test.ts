import { describe, expect, it } from 'vitest';
import { RingBuffer, RingReader } from '../../../electron/common/ring-buffer.js';

/** rows r = first..first+n-1, channel c holds r*10 + c */
function rows(first: number, n: number, channels: number): Float64Array {
  const out = new Float64Array(n * channels);
  for (let r = 0; r < n; r++) for (let c = 0; c < channels; c++) out[r * channels + c] = (first + r) * 10 + c;
  return out;
}

describe('RingBuffer', () => {
  it('delivers rows in order with their sample indices, across the wrap', () => {
    const ring = RingBuffer.create({ channelCount: 3, capacityRows: 10, maxReaders: 2 });
    const reader = new RingReader(ring);
    const out = new Float64Array(30);
    const idx = new Float64Array(10);
    let next = 0;
    for (let round = 0; round < 7; round++) {
      ring.write(rows(next, 4, 3), 4, next, 1000 + round);
      const n = reader.read(out, 10, idx);
      expect(n).toBe(4);
      expect(reader.lostRows).toBe(0);
      expect(reader.firstSampleIndex).toBe(next);
      expect(Array.from(out.subarray(0, 12))).toEqual(Array.from(rows(next, 4, 3)));
      expect(Array.from(idx.subarray(0, 4))).toEqual([next, next + 1, next + 2, next + 3]);
      expect(reader.lastPushTimeMs).toBe(1000 + round);
      next += 4;
    }
    expect(reader.read(out, 10)).toBe(0);
  });

  it('gives each reader its own cursor', () => {
    const ring = RingBuffer.create({ channelCount: 1, capacityRows: 16, maxReaders: 3 });
    const fast = new RingReader(ring);
    const slow = new RingReader(ring);
    const out = new Float64Array(16);
    ring.write(rows(0, 5, 1), 5, 0, 0);
    expect(fast.read(out, 16)).toBe(5);
    ring.write(rows(5, 5, 1), 5, 5, 0);
    expect(fast.read(out, 16)).toBe(5);
    expect(slow.read(out, 16)).toBe(10);
    expect(Array.from(out.subarray(0, 10))).toEqual(Array.from(rows(0, 10, 1)));
    expect(ring.maxReaderLag()).toBe(0);
  });

  it('tells a reader that fell behind exactly how many rows it lost, and gives it the newest rows intact', () => {
    const ring = RingBuffer.create({ channelCount: 2, capacityRows: 8, maxReaders: 1 });
    const reader = new RingReader(ring);
    for (let i = 0; i < 5; i++) ring.write(rows(i * 3, 3, 2), 3, i * 3, 0); // 15 rows into 8 slots
    const out = new Float64Array(16);
    const n = reader.read(out, 8);
    expect(reader.lostRows).toBe(7);
    expect(n).toBe(8);
    expect(reader.firstSampleIndex).toBe(7);
    expect(Array.from(out)).toEqual(Array.from(rows(7, 8, 2)));
    expect(reader.totalLostRows).toBe(7);
  });

  it('counts the rows a reader lost even on a read that copies nothing (no room in its buffer)', () => {
    const ring = RingBuffer.create({ channelCount: 2, capacityRows: 8, maxReaders: 1 });
    const reader = new RingReader(ring);
    for (let i = 0; i < 5; i++) ring.write(rows(i * 3, 3, 2), 3, i * 3, 0); // 15 rows into 8 slots
    expect(reader.read(new Float64Array(16), 0)).toBe(0);
    expect(reader.lostRows).toBe(7);
    expect(reader.totalLostRows).toBe(7);
    // the skip is kept: the next read gives the 8 newest rows and no second loss
    const out = new Float64Array(16);
    expect(reader.read(out, 8)).toBe(8);
    expect(reader.lostRows).toBe(0);
    expect(reader.totalLostRows).toBe(7);
    expect(reader.firstSampleIndex).toBe(7);
    expect(Array.from(out)).toEqual(Array.from(rows(7, 8, 2)));
    // an empty read with nothing lost says so (lostRows is per read)
    expect(reader.read(out, 8)).toBe(0);
    expect(reader.lostRows).toBe(0);
    expect(reader.lastPushTimeMs).toBe(0);
  });

  it('stops a read at a jump in the sample index (a device gap)', () => {
    const ring = RingBuffer.create({ channelCount: 1, capacityRows: 32, maxReaders: 1 });
    const reader = new RingReader(ring);
    ring.write(rows(0, 4, 1), 4, 0, 0);
    ring.write(rows(10, 4, 1), 4, 10, 0);
    const out = new Float64Array(32);
    expect(reader.read(out, 32)).toBe(4);
    expect(reader.firstSampleIndex).toBe(0);
    expect(reader.read(out, 32)).toBe(4);
    expect(reader.firstSampleIndex).toBe(10);
    expect(reader.lostRows).toBe(0);
  });

  it('drops rows the producer may be overwriting while a reader copies them (seqlock check)', () => {
    const ring = RingBuffer.create({ channelCount: 1, capacityRows: 8, maxReaders: 1 });
    const reader = new RingReader(ring);
    ring.write(rows(0, 8, 1), 8, 0, 0);
    // simulate a producer in the middle of writing rows 8..10 (which overwrite rows 0..2)
    Atomics.store(ring.header, 1, 11);
    const out = new Float64Array(8);
    const n = reader.read(out, 8);
    expect(n).toBe(5);
    expect(reader.lostRows).toBe(3);
    expect(reader.firstSampleIndex).toBe(3);
    expect(Array.from(out.subarray(0, 5))).toEqual([30, 40, 50, 60, 70]);
  });

  it('reports the slowest reader lag for buffer fill and source pacing', () => {
    const ring = RingBuffer.create({ channelCount: 1, capacityRows: 100, maxReaders: 4 });
    const a = new RingReader(ring);
    const b = new RingReader(ring);
    ring.write(rows(0, 30, 1), 30, 0, 0);
    const out = new Float64Array(100);
    a.read(out, 100);
    expect(ring.maxReaderLag()).toBe(30);
    b.read(out, 10);
    expect(ring.maxReaderLag()).toBe(20);
    b.close();
    expect(ring.maxReaderLag()).toBe(0);
  });

  it('shares its memory with another view (another thread attaches the same buffer)', () => {
    const ring = RingBuffer.create({ channelCount: 4, capacityRows: 64, maxReaders: 2 });
    const slot = ring.claimReaderSlot();
    const attached = RingBuffer.attach(ring.buffer);
    const reader = new RingReader(attached, { slot, cursor: ring.writtenRows });
    ring.write(rows(0, 20, 4), 20, 100, 0);
    const out = new Float64Array(4 * 64);
    expect(reader.read(out, 64)).toBe(20);
    expect(reader.firstSampleIndex).toBe(100);
    expect(ring.maxReaderLag()).toBe(0);
  });

  it('refuses impossible shapes and oversize writes with a clear message', () => {
    expect(() => RingBuffer.create({ channelCount: 0, capacityRows: 10, maxReaders: 1 })).toThrow(/channel count/);
    expect(() => RingBuffer.create({ channelCount: 1, capacityRows: 1, maxReaders: 1 })).toThrow(/capacity/);
    const ring = RingBuffer.create({ channelCount: 1, capacityRows: 4, maxReaders: 1 });
    expect(() => ring.write(new Float64Array(5), 5, 0, 0)).toThrow(/exceeds the capacity/);
    expect(() => ring.write(new Float64Array(2), 3, 0, 0)).toThrow(/need 3 values/);
    new RingReader(ring);
    expect(() => new RingReader(ring)).toThrow(/reader slots/);
  });
});
