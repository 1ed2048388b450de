import { describe, expect, it } from 'vitest';
import { SyntheticDriver } from '../../../../electron/engine/boards/synthetic.js';
import type { SampleSink } from '../../../../electron/engine/boards/driver.js';

class CountingSink implements SampleSink {
  rows = 0;
  pushes = 0;
  markers: string[] = [];
  roomRows = Infinity;
  waits = 0;
  pushRows(_rows: Float64Array, rowCount: number): void {
    this.rows += rowCount;
    this.pushes++;
  }
  reportGap(): void {}
  pushMarker(m: { label: string }): void {
    this.markers.push(m.label);
  }
  room(): number {
    return this.roomRows;
  }
  async waitForRoom(): Promise<void> {
    this.waits++;
    this.roomRows = Infinity;
  }
  reportError(): void {}
}

const base = { channelCount: 8, sampleRateHz: 250, seed: 1, mode: 'rest' as const, mainsHz: 50 as const };

describe('SyntheticDriver', () => {
  it('is paced by the host clock in 10 ms chunks', async () => {
    const driver = new SyntheticDriver({ ...base, paced: true });
    const sink = new CountingSink();
    const t0 = performance.now();
    await driver.start(sink);
    // event-driven: wait for 125 rows (half a second), then compare with the time of the last push
    // (a late timer on a loaded machine delays the catch-up, never the count against the clock)
    let lastPushMs = t0;
    const push = sink.pushRows.bind(sink);
    sink.pushRows = (rows, rowCount) => {
      push(rows, rowCount);
      lastPushMs = performance.now();
    };
    const deadline = Date.now() + 20_000;
    while (sink.rows < 125 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    await driver.stop();
    // every row due by the last push was pushed, and none that was not yet due
    const dueAtLastPush = ((lastPushMs - t0) / 1000) * 250;
    expect(sink.rows).toBeGreaterThanOrEqual(125);
    expect(sink.rows).toBeGreaterThan(dueAtLastPush - 3);
    expect(sink.rows).toBeLessThanOrEqual(dueAtLastPush + 3);
    expect(sink.rows).toBe(sink.pushes * 3); // round(250 / 100) rows in every push
  });

  it('unpaced, pushes exactly totalRows as fast as the sink has room, and then ends', async () => {
    const driver = new SyntheticDriver({ ...base, mode: 'mi', paced: false, totalRows: 10_000 });
    const sink = new CountingSink();
    sink.roomRows = 0; // readers are behind at first: the source must wait, not overrun them
    await driver.start(sink);
    await driver.ended;
    await driver.stop();
    expect(sink.waits).toBeGreaterThan(0);
    expect(sink.rows).toBe(10_000);
    expect(sink.markers.length).toBeGreaterThan(0);
    expect(new Set(sink.markers)).toEqual(new Set(['rest', 'left', 'right']));
  });

  it('refuses options it cannot honour', () => {
    expect(() => new SyntheticDriver({ ...base, channelCount: 0, paced: true })).toThrow(/channel/i);
    expect(() => new SyntheticDriver({ ...base, sampleRateHz: 5000, paced: true })).toThrow(/rate/i);
  });
});
