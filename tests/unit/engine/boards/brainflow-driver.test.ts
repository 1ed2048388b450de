// The BrainFlow driver against a stand-in for BrainFlow's library (what the library answers is
// scripted): BrainFlow's matrix becomes rows of the descriptor's channels, a jump in the package
// counter a gap before the row after it, BrainFlow's timestamp row the rows' arrival time, its
// marker row board markers except the workstation's own, and a failing read one sentence.
import { describe, expect, it } from 'vitest';
import { BrainflowDriver } from '../../../../electron/engine/boards/brainflow.js';
import { Acquisition } from '../../../../electron/engine/acquisition.js';
import { RingBuffer } from '../../../../electron/common/ring-buffer.js';
import { brainflowLayout } from '../../../../electron/common/boards/brainflow-boards.js';
import type { BrainflowLibrary } from '../../../../native/brainflow.js';
import type { SampleSink } from '../../../../electron/engine/boards/driver.js';

// 6 BrainFlow rows: counter, 2 EEG, timestamp, marker, and one the workstation leaves out (none here)
const { descriptor, map } = brainflowLayout('brainflow:test', 'Test', { name: 'Test', sampling_rate: 100, num_rows: 5, package_num_channel: 0, eeg_channels: [1, 2], timestamp_channel: 3, marker_channel: 4 });

/** Samples as [counter, eeg1, eeg2, timestampSec, marker]; `reads` is handed out one read at a time. */
function scriptedLibrary(reads: number[][][], failWith?: number) {
  const inserted: number[] = [];
  const library = {
    prepare: async () => 0,
    start: async () => 0,
    stop: async () => 0,
    release: async () => 0,
    count: (_id: number, _p: string, out: Int32Array) => {
      out[0] = failWith !== undefined ? 1 : (reads[0]?.length ?? 0);
      return 0;
    },
    data: async (_id: number, _p: string, n: number, out: Float64Array) => {
      if (failWith !== undefined) return failWith;
      const samples = reads.shift()!;
      for (let s = 0; s < n; s++) for (let r = 0; r < 5; r++) out[r * n + s] = samples[s][r];
      return 0;
    },
    insertMarker: (_id: number, _p: string, value: number) => {
      inserted.push(value);
      return 0;
    },
  };
  return { library: library as unknown as BrainflowLibrary, inserted };
}

class Sink implements SampleSink {
  rows: number[][] = [];
  arrivals: (number | undefined)[] = [];
  gaps: { at: number; lost: number }[] = [];
  markers: { sampleIndex: number; label: string }[] = [];
  errors: string[] = [];
  pushRows(rows: Float64Array, n: number, lastRowHostMs?: number): void {
    for (let r = 0; r < n; r++) this.rows.push(Array.from(rows.subarray(r * 2, r * 2 + 2)));
    this.arrivals.push(lastRowHostMs);
  }
  reportGap(lost: number): void {
    this.gaps.push({ at: this.rows.length, lost });
  }
  pushMarker(marker: { sampleIndex: number; label: string }): void {
    this.markers.push(marker);
  }
  room(): number {
    return Infinity;
  }
  async waitForRoom(): Promise<void> {}
  reportError(message: string): void {
    this.errors.push(message);
  }
}

const waitFor = async (condition: () => boolean) => {
  for (let i = 0; i < 500 && !condition(); i++) await new Promise((r) => setTimeout(r, 5));
  expect(condition()).toBe(true);
};

describe('BrainFlow driver', () => {
  it('turns BrainFlow\'s matrix into rows, counter jumps into gaps, timestamps into arrival times, markers into board markers', async () => {
    const t = 1_800_000_000; // Unix seconds, as BrainFlow stamps
    const { library, inserted } = scriptedLibrary([
      [
        [254, 1, -1, t, 0],
        [255, 2, -2, t + 0.01, 0],
        [2, 3, -3, t + 0.04, 0], // 0 and 1 lost (the counter wraps at 255)
      ],
      [
        [3, 4, -4, t + 0.05, 0],
        [4, 5, -5, t + 0.06, 7], // another program's marker
      ],
    ]);
    const driver = new BrainflowDriver({ library, boardId: -1, descriptor, map, params: {} });
    const sink = new Sink();
    await driver.prepare();
    await driver.start(sink);
    await waitFor(() => sink.rows.length >= 3);
    driver.insertMarker('stimulus');
    expect(inserted).toEqual([1]);
    await waitFor(() => sink.rows.length >= 5);
    await driver.stop();
    expect(sink.rows).toEqual([[1, -1], [2, -2], [3, -3], [4, -4], [5, -5]]);
    expect(sink.gaps).toEqual([{ at: 2, lost: 2 }]);
    // arrival of each push's last row: BrainFlow's timestamp (wall clock) on the engine's clock
    const wallToHost = performance.timeOrigin + performance.now() - Date.now();
    expect(Math.abs(sink.arrivals[0]! - ((t + 0.01) * 1000 + wallToHost))).toBeLessThan(50);
    expect(Math.abs(sink.arrivals[1]! - ((t + 0.04) * 1000 + wallToHost))).toBeLessThan(50);
    // a marker the workstation did not insert: a board marker at its row's sample index (rows + lost before it)
    expect(sink.markers).toEqual([{ sampleIndex: 6, label: '7' }]);
  });

  it('does not repeat the workstation\'s own marker when it comes back in BrainFlow\'s marker row', async () => {
    const { library } = scriptedLibrary([[[0, 1, 1, 1, 0]], [[1, 2, 2, 1, 1]], [[2, 3, 3, 1, 2]]]);
    const driver = new BrainflowDriver({ library, boardId: -1, descriptor, map, params: {} });
    const sink = new Sink();
    await driver.prepare();
    await driver.start(sink);
    await waitFor(() => sink.rows.length >= 1);
    driver.insertMarker('left'); // code 1
    await waitFor(() => sink.rows.length >= 3);
    await driver.stop();
    // 1 was ours (recorded by the engine already); 2 was never inserted by us
    expect(sink.markers.map((m) => m.label)).toEqual(['2']);
  });

  it('says a failing read once, in a sentence, not at every poll', async () => {
    const { library } = scriptedLibrary([], 15);
    const driver = new BrainflowDriver({ library, boardId: -1, descriptor, map, params: {} });
    const sink = new Sink();
    await driver.prepare();
    await driver.start(sink);
    await new Promise((r) => setTimeout(r, 100));
    await driver.release();
    expect(sink.errors).toEqual(['Test (BrainFlow) is not connected in BrainFlow (no session): connect it first (BrainFlow error 15 BOARD_NOT_CREATED_ERROR while trying to read)']);
  });

  it('feeds the clock model with the arrival time the driver gives, not the push\'s', () => {
    const ring = RingBuffer.create({ channelCount: 2, capacityRows: 1024, maxReaders: 2 });
    const acq = new Acquisition({ emit: () => undefined, hasListeners: () => false }, new BrainflowDriver({ library: scriptedLibrary([]).library, boardId: -1, descriptor, map, params: {} }), descriptor, ring, 64);
    const base = performance.timeOrigin + performance.now() - 10_000;
    for (let k = 0; k < 20; k++) acq.pushRows(new Float64Array(20), 10, base + k * 100);
    expect(acq.lastPushMs).toBe(base + 1900);
    // 10 rows per 100 ms: the fit says 100 Hz and maps row 0 to about the base time
    expect(acq.clock.sampleAtTime(base + 1000)).toBeCloseTo(109, 0);
  });
});
