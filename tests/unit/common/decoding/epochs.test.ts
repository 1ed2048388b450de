// Epoching by sample index: which events become epochs, rejections counted by reason, and epochs
// cut from rows streaming past in any chunking equal to the rows themselves.
import { describe, expect, it } from 'vitest';
import { EpochCutter, planEpochs, railLimits, windowRows, type EpochSource } from '../../../../electron/common/decoding/epochs.js';
import { createBlock, deinterleave } from '../../../../electron/common/pipeline/block.js';

const RATE = 100;

function source(overrides: Partial<EpochSource> = {}): EpochSource {
  return {
    sampleRateHz: RATE,
    rowCount: 2000,
    events: [
      { row: 100, label: 'left' },
      { row: 300, label: 'right' },
      { row: 500, label: 'rest' },
      { row: 700, label: 'left' },
      { row: 900, label: ' right ' },
    ],
    discontinuityRows: [],
    lostSpans: [],
    ...overrides,
  };
}

describe('windowRows', () => {
  it('rounds the window to whole rows relative to the event', () => {
    expect(windowRows({ startSec: 0.5, endSec: 2.5 }, 250)).toEqual({ offsetRows: 125, rowCount: 500 });
    expect(windowRows({ startSec: -0.2, endSec: 0.8 }, 100)).toEqual({ offsetRows: -20, rowCount: 100 });
    expect(() => windowRows({ startSec: 1, endSec: 1 }, 100)).toThrow(/must end after it starts/);
  });
});

describe('planEpochs', () => {
  it('takes the events of the classes (labels trimmed), ignores the others', () => {
    const plan = planEpochs(source(), ['left', 'right'], { startSec: 0.5, endSec: 2.5 });
    expect(plan.planned.map((p) => [p.firstRow, p.label])).toEqual([
      [150, 0],
      [350, 1],
      [750, 0],
      [950, 1],
    ]);
    expect(plan.eventsPerClass).toEqual([2, 2]);
    expect(plan.rowCount).toBe(200);
    expect(plan.rejected).toEqual({ gap: 0, 'lost-rows': 0, railed: 0, incomplete: 0 });
  });

  it('rejects and counts epochs off either end, across a gap, or over lost rows', () => {
    const plan = planEpochs(
      source({
        rowCount: 1100,
        events: [
          { row: 10, label: 'left' }, // starts before row 0
          { row: 300, label: 'right' }, // a discontinuity at 400 falls inside [200, 500)
          { row: 600, label: 'left' }, // lost rows 650-660 inside [500, 800)
          { row: 800, label: 'right' }, // fine: [700, 1000)
          { row: 1000, label: 'left' }, // ends past 1100
          { row: 1100, label: 'right' },
        ],
        discontinuityRows: [400],
        lostSpans: [{ firstRow: 650, endRow: 660 }],
      }),
      ['left', 'right'],
      { startSec: -1, endSec: 2 },
    );
    expect(plan.planned.map((p) => p.eventRow)).toEqual([800]);
    expect(plan.rejected).toEqual({ gap: 1, 'lost-rows': 1, railed: 0, incomplete: 3 });
    expect(plan.eventsPerClass).toEqual([3, 3]);
  });

  it('an epoch starting on the first row after a gap touches it; one ending just before does not', () => {
    const win = { startSec: 0, endSec: 1 };
    expect(planEpochs(source({ events: [{ row: 400, label: 'a' }], discontinuityRows: [400] }), ['a', 'b'], win).rejected.gap).toBe(1);
    expect(planEpochs(source({ events: [{ row: 300, label: 'a' }], discontinuityRows: [400] }), ['a', 'b'], win).rejected.gap).toBe(0);
  });
});

describe('EpochCutter', () => {
  const channels = 3;
  const rows = 1200;
  const data = new Float64Array(rows * channels).map((_, i) => Math.sin(i * 0.37) * 100 + (i % channels));

  function cut(chunking: number[], rails: ReturnType<typeof railLimits> | null, raw = data) {
    const plan = planEpochs(source({ rowCount: rows }), ['left', 'right'], { startSec: -0.5, endSec: 1.5 });
    const cutter = new EpochCutter(plan.planned, channels, plan.rowCount, rails);
    const block = createBlock(channels, 512);
    let at = 0;
    let i = 0;
    while (at < rows) {
      const n = Math.min(chunking[i++ % chunking.length], rows - at);
      const slice = raw.subarray(at * channels, (at + n) * channels);
      deinterleave(slice, n, block);
      cutter.push(block, slice, at);
      at += n;
    }
    return { plan, result: cutter.finish() };
  }

  it('gives planar epochs equal to the rows, whatever the chunking', () => {
    const { plan, result } = cut([7, 300, 1, 64], null);
    expect(result.epochs.length).toBe(plan.planned.length);
    plan.planned.forEach((p, e) => {
      for (let c = 0; c < channels; c++) for (let r = 0; r < plan.rowCount; r++) expect(result.epochs[e][c * plan.rowCount + r]).toBe(data[(p.firstRow + r) * channels + c]);
    });
    const other = cut([512], null).result;
    expect(other.epochs).toEqual(result.epochs);
    expect(result.labels).toEqual([0, 1, 0, 1]);
  });

  it('rejects epochs with a channel at the edge of its physical range, and counts them', () => {
    const railed = data.slice();
    railed[(320 + 5) * channels + 1] = 999; // in the second epoch [250, 450)
    const rails = railLimits([
      { physicalMin: -1000, physicalMax: 1000 },
      { physicalMin: -1000, physicalMax: 1000 },
      { physicalMin: -1000, physicalMax: 1000 },
    ]);
    const { result } = cut([100], rails, railed);
    expect(result.railed).toBe(1);
    expect(result.labels).toEqual([0, 0, 1]);
    expect(cut([100], rails).result.railed).toBe(0);
  });
});
