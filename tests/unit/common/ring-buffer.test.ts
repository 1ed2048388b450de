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

  // (found by mutation testing: npm run mutate -- ring-buffer)
  it('takes shapes up to their limits and refuses one past them, before allocating', () => {
    expect(RingBuffer.create({ channelCount: 1024, capacityRows: 2, maxReaders: 64 }).maxReaders).toBe(64);
    expect(() => RingBuffer.create({ channelCount: 1025, capacityRows: 2, maxReaders: 1 })).toThrow(/channel count must be an integer 1\.\.1024, got 1025/);
    expect(() => RingBuffer.create({ channelCount: 1.5, capacityRows: 2, maxReaders: 1 })).toThrow(/channel count/);
    expect(() => RingBuffer.create({ channelCount: 1, capacityRows: 2 ** 30 + 1, maxReaders: 1 })).toThrow(/capacity must be an integer number of rows ≥ 2/);
    expect(() => RingBuffer.create({ channelCount: 1, capacityRows: 2.5, maxReaders: 1 })).toThrow(/capacity/);
    for (const maxReaders of [0, 65, 1.5]) {
      expect(() => RingBuffer.create({ channelCount: 1, capacityRows: 2, maxReaders })).toThrow(`ring buffer: maxReaders must be 1..64, got ${maxReaders}`);
    }
  });

  it('ignores a write of no rows or fewer, and says how many values a short write needed', () => {
    const ring = RingBuffer.create({ channelCount: 2, capacityRows: 4, maxReaders: 1 });
    const reader = new RingReader(ring);
    ring.write(rows(0, 2, 2), 0, 0, 0);
    ring.write(rows(0, 2, 2), -1, 0, 0);
    expect(ring.writtenRows).toBe(0);
    expect(reader.available()).toBe(0);
    expect(() => ring.write(new Float64Array(5), 3, 0, 0)).toThrow('ring buffer: 3 rows need 6 values, got 5');
  });

  it('reports the slowest reader whatever its slot', () => {
    const ring = RingBuffer.create({ channelCount: 1, capacityRows: 100, maxReaders: 3 });
    const slow = new RingReader(ring);
    const fast = new RingReader(ring);
    ring.write(rows(0, 30, 1), 30, 0, 0);
    const out = new Float64Array(100);
    fast.read(out, 20);
    expect(ring.maxReaderLag()).toBe(30);
    slow.read(out, 25);
    expect(ring.maxReaderLag()).toBe(10);
  });

  it('waits for a write (or the timeout), not less', async () => {
    const ring = RingBuffer.create({ channelCount: 1, capacityRows: 8, maxReaders: 1 });
    const t0 = performance.now();
    setTimeout(() => ring.write(rows(0, 1, 1), 1, 0, 0), 40);
    await ring.waitForWrite(ring.loadWriteLow(), 20_000);
    const waited = performance.now() - t0;
    expect(ring.writtenRows).toBe(1);
    expect(waited).toBeGreaterThanOrEqual(35);
    const t1 = performance.now();
    await ring.waitForWrite(ring.loadWriteLow(), 30);
    expect(performance.now() - t1).toBeGreaterThanOrEqual(25);
  });

  it('starts a reader live or at the oldest row kept, and tells how much is available', () => {
    const ring = RingBuffer.create({ channelCount: 1, capacityRows: 8, maxReaders: 4 });
    ring.write(rows(0, 5, 1), 5, 0, 0);
    const early = new RingReader(ring, { startAt: 'oldest' });
    expect(early.position).toBe(0);
    expect(early.available()).toBe(5);
    ring.write(rows(5, 7, 1), 7, 5, 0);
    const oldest = new RingReader(ring, { startAt: 'oldest' });
    const live = new RingReader(ring);
    expect(oldest.position).toBe(4);
    expect(oldest.available()).toBe(8);
    expect(live.position).toBe(12);
    expect(live.available()).toBe(0);
    const out = new Float64Array(8);
    expect(oldest.read(out, 8)).toBe(8);
    expect(oldest.firstSampleIndex).toBe(4);
    expect(oldest.lostRows).toBe(0);
    expect(live.read(out, 8)).toBe(0);
  });

  it('reads no more rows than its output holds, and writes indices and push times for the rows read only', () => {
    const ring = RingBuffer.create({ channelCount: 3, capacityRows: 8, maxReaders: 1 });
    const reader = new RingReader(ring);
    for (let i = 0; i < 6; i++) ring.write(rows(i, 1, 3), 1, i, 100 + i);
    const small = new Float64Array(2 * 3);
    expect(reader.read(small, 10)).toBe(2);
    expect(Array.from(small)).toEqual(Array.from(rows(0, 2, 3)));
    // across the wrap: rows 2..9 sit in slots 2..7, 0..1
    for (let i = 6; i < 10; i++) ring.write(rows(i, 1, 3), 1, i, 100 + i);
    const out = new Float64Array(8 * 3);
    const idx = new Float64Array(10).fill(-1);
    const push = new Float64Array(10).fill(-1);
    expect(reader.read(out, 8, idx, push)).toBe(8);
    expect(Array.from(idx)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, -1, -1]);
    expect(Array.from(push)).toEqual([102, 103, 104, 105, 106, 107, 108, 109, -1, -1]);
    expect(reader.lastPushTimeMs).toBe(109);
  });

  it('after dropping rows a producer was overwriting, keeps its place: multi-channel rows intact, next read right', () => {
    const ring = RingBuffer.create({ channelCount: 2, capacityRows: 8, maxReaders: 1 });
    const reader = new RingReader(ring);
    ring.write(rows(0, 8, 2), 8, 0, 0);
    Atomics.store(ring.header, 1, 11); // a producer in the middle of writing rows 8..10
    const out = new Float64Array(16);
    const idx = new Float64Array(8);
    expect(reader.read(out, 8, idx)).toBe(5);
    expect(reader.lostRows).toBe(3);
    expect(Array.from(out.subarray(0, 10))).toEqual(Array.from(rows(3, 5, 2)));
    expect(Array.from(idx.subarray(0, 5))).toEqual([3, 4, 5, 6, 7]);
    expect(reader.position).toBe(8);
    ring.write(rows(8, 3, 2), 3, 8, 0);
    expect(reader.read(out, 8)).toBe(3);
    expect(reader.firstSampleIndex).toBe(8);
    expect(reader.lostRows).toBe(0);
  });

  it('an empty read returns no push time and leaves the last sample index alone, wherever the cursor sits', () => {
    const ring = RingBuffer.create({ channelCount: 1, capacityRows: 4, maxReaders: 1 });
    const reader = new RingReader(ring);
    const out = new Float64Array(4);
    // cursor in the middle of the ring, then at slot 0 (after the wrap)
    for (const [first, count] of [[0, 3], [3, 1]] as const) {
      ring.write(rows(first, count, 1), count, 100 + first, 5000 + first);
      expect(reader.read(out, 4)).toBe(count);
      expect(reader.lastPushTimeMs).toBe(5000 + first);
      expect(reader.read(out, 4)).toBe(0);
      expect(reader.lastPushTimeMs).toBe(0);
      expect(reader.firstSampleIndex).toBe(100 + first);
      expect(reader.lostRows).toBe(0);
    }
  });

  it('a write of no rows wakes no reader waiting for data', async () => {
    const ring = RingBuffer.create({ channelCount: 1, capacityRows: 4, maxReaders: 1 });
    let woken = false;
    const waiting = ring.waitForWrite(ring.loadWriteLow(), 20_000).then(() => (woken = true));
    ring.write(rows(0, 1, 1), 0, 0, 0);
    // a notification would be delivered as the next tasks run; give them a few turns
    for (let i = 0; i < 5; i++) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(woken).toBe(false);
    ring.write(rows(0, 1, 1), 1, 0, 0);
    await waiting;
    expect(woken).toBe(true);
  });

  it('skips to live on purpose without counting a loss', () => {
    const ring = RingBuffer.create({ channelCount: 1, capacityRows: 8, maxReaders: 1 });
    const reader = new RingReader(ring);
    ring.write(rows(0, 20, 1).subarray(0, 8), 8, 0, 0);
    ring.write(rows(8, 8, 1), 8, 8, 0);
    reader.skipToLive();
    expect(reader.position).toBe(16);
    expect(ring.maxReaderLag()).toBe(0);
    ring.write(rows(16, 2, 1), 2, 16, 0);
    const out = new Float64Array(8);
    expect(reader.read(out, 8)).toBe(2);
    expect(reader.firstSampleIndex).toBe(16);
    expect(reader.totalLostRows).toBe(0);
  });
});
