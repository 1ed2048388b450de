// The cross-check: the project's Cyton emulator on a socat pty, read once by the workstation's own
// Cyton driver (`cyton`) and once by BrainFlow's Cyton driver (`brainflow:cyton`, through koffi),
// both through the engine. The emulator's data is a function of the row number k alone, and the
// stream starts and the packets drop at the same k in both runs, so the two runs can be compared
// row for row: the same 8 EEG values in µV (to float precision: BrainFlow scales with a float
// constant), the same sample-index spacing, and the same dropped-packet counts.
import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../../../electron/engine/engine.js';
import { countScaleUv } from '../../../electron/common/boards/cyton-protocol.js';
import { CytonEmulator, testCount, testRowFromCount } from '../../support/cyton-emulator.js';
import { socatAvailable } from '../../support/socat.js';
import { brainflowAvailable, waitFor } from '../../support/brainflow.js';

const SCALE = countScaleUv(24);
const START_K = 800; // the board's row when streaming starts
const DROPS: readonly (readonly [number, number])[] = [
  [950, 3],
  [1050, 7],
];
const END_K = 1150;

interface Run {
  /** k → the 8 EEG values (µV) and the sample index the engine gave the row. */
  readonly rows: Map<number, { values: Float64Array; index: number }>;
  readonly gaps: number[];
  readonly labels: string[];
}

let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await cleanup?.();
  cleanup = undefined;
});

async function run(board: string): Promise<Run> {
  // the board's clock stands still at row 0 while the driver connects, then at START_K until the
  // stream starts, so both runs start at the same row however long their handshakes took
  const real = () => performance.timeOrigin + performance.now();
  const base = real();
  let clock = () => base;
  const emulator = await CytonEmulator.start({ seed: 5, now: () => clock() });
  const engine = new Engine({ bufferSec: 10 });
  cleanup = async () => {
    await engine.dispose();
    await emulator.stop();
  };
  // the packets drop at the same rows in both runs
  for (const [k, n] of DROPS) emulator.model.dropPacketsAt(k, n);
  const descriptor = await engine.connect({ board, port: emulator.hostPath });
  const out: Run = { rows: new Map(), gaps: [], labels: descriptor.channels.map((c) => c.label) };
  const accelAt = descriptor.channels.findIndex((c) => c.type === 'accel');
  let lastK = -1;
  engine.on('raw', (chunk) => {
    for (let r = 0; r < chunk.rowCount; r++) {
      const row = chunk.data.subarray(r * chunk.channelCount, (r + 1) * chunk.channelCount);
      const k = testRowFromCount(Math.round(row[0] / SCALE));
      const values = new Float64Array(11);
      values.set(row.subarray(0, 8));
      values.set(row.subarray(accelAt, accelAt + 3), 8);
      out.rows.set(k, { values, index: chunk.firstSampleIndex + r });
      lastK = k;
    }
  });
  engine.on('gap', (g) => out.gaps.push(g.lostRows));
  // the board's clock starts at START_K when the start command reaches it (on a loaded machine it
  // may arrive a few hundred ms after engine.start() is called), so both streams begin at START_K
  let streamingSince = 0;
  clock = () => {
    if (streamingSince === 0 && !emulator.model.streaming) return base + (START_K * 1000) / 250;
    if (streamingSince === 0) streamingSince = real();
    return base + (START_K * 1000) / 250 + (real() - streamingSince);
  };
  await engine.start();
  await waitFor(() => lastK >= END_K, 15_000, `row ${END_K} from ${board}`);
  await engine.stop();
  await engine.disconnect();
  await cleanup();
  cleanup = undefined;
  return out;
}

describe.skipIf(!socatAvailable() || !brainflowAvailable())('cross-check: our Cyton driver and BrainFlow\'s on the same emulator', () => {
  it('gives the same µV row for row and the same dropped-packet counts', async () => {
    const ours = await run('cyton');
    const theirs = await run('brainflow:cyton');

    // both agree with the emulator: every value is the count it sent × 4.5 / 24 / (2^23 − 1) × 1e6
    let maxRelOurs = 0;
    let maxRelTheirs = 0;
    for (const [k, { values }] of ours.rows) for (let c = 0; c < 8; c++) maxRelOurs = Math.max(maxRelOurs, Math.abs(values[c] - testCount(k, c) * SCALE) / Math.max(1, Math.abs(values[c])));
    for (const [k, { values }] of theirs.rows) for (let c = 0; c < 8; c++) maxRelTheirs = Math.max(maxRelTheirs, Math.abs(values[c] - testCount(k, c) * SCALE) / Math.max(1, Math.abs(values[c])));
    expect(maxRelOurs).toBe(0);
    expect(maxRelTheirs).toBeLessThan(1e-6); // BrainFlow's scale is a float (single precision) constant

    const span = (r: Run) => `${Math.min(...r.rows.keys())}..${Math.max(...r.rows.keys())} (${r.rows.size} rows)`;
    console.log(`ours ${span(ours)}, BrainFlow ${span(theirs)}`);
    // row for row: the rows both received, with the same values
    const common = [...ours.rows.keys()].filter((k) => theirs.rows.has(k) && k >= START_K + 10 && k <= END_K);
    expect(common.length).toBeGreaterThan(END_K - START_K - 60);
    let maxDiff = 0;
    const accelDiffer: string[] = [];
    const accelFrom = Math.ceil(Math.max(Math.min(...ours.rows.keys()), Math.min(...theirs.rows.keys())) / 10) * 10;
    expect(accelFrom).toBeLessThan(END_K - 100);
    for (const k of common) {
      const a = ours.rows.get(k)!.values;
      const b = theirs.rows.get(k)!.values;
      for (let c = 0; c < 8; c++) maxDiff = Math.max(maxDiff, Math.abs(a[c] - b[c]) / Math.max(1, Math.abs(a[c])));
      // the accelerometer (g), sent every 10th packet (k % 10 = 0) and held in between by both
      // drivers, from the first one both runs received (a run's first row depends on how fast its
      // driver's start command reached the emulator: on a loaded machine, some rows after START_K)
      if (k >= accelFrom) for (let c = 8; c < 11; c++) if (Math.abs(a[c] - b[c]) > 1e-6) accelDiffer.push(`row ${k} axis ${c - 8}: ours ${a[c]} g, BrainFlow ${b[c]} g`);
    }
    expect(maxDiff).toBeLessThan(1e-6);
    expect(accelDiffer.slice(0, 6)).toEqual([]);

    // the dropped packets: the same gaps, and sample indices that keep counting rows through them
    expect(ours.gaps).toEqual(DROPS.map(([, n]) => n));
    expect(theirs.gaps).toEqual(DROPS.map(([, n]) => n));
    for (const r of [ours, theirs]) {
      const offsets = new Set([...r.rows].map(([k, { index }]) => k - index));
      expect(offsets.size).toBe(1);
    }
    // the dropped rows are missing from both
    for (const [k, n] of DROPS) for (let i = 0; i < n; i++) {
      expect(ours.rows.has(k + i)).toBe(false);
      expect(theirs.rows.has(k + i)).toBe(false);
    }
    console.log(`cross-check: ${common.length} common rows, max relative EEG difference ${maxDiff.toExponential(2)}, BrainFlow vs exact ${maxRelTheirs.toExponential(2)}`);
  });
});
