// The engine's live loop end to end, unpaced: 60 s of data at 64 channels × 1000 Hz through the
// ring buffer and the pipeline worker; every sample arrives once, in order, with nothing lost.
import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../../electron/engine/engine.js';
import { SyntheticEeg } from '../../electron/common/boards/synthetic.js';

let engine: Engine | undefined;
afterEach(async () => {
  await engine?.dispose();
  engine = undefined;
});

describe('engine, unpaced synthetic board', () => {
  it('delivers every one of 60 s × 64 channels × 1000 Hz samples once, in order, with no loss', async () => {
    engine = new Engine({ bufferSec: 5 });
    await engine.connect({ board: 'synthetic', channelCount: 64, sampleRateHz: 1000, paced: false, durationSec: 60, seed: 3 });
    let expectedIndex = 0;
    let rows = 0;
    let outOfOrder = 0;
    let lostRows = 0;
    // raw stream: compare a fingerprint with an independent generator run
    const reference = new SyntheticEeg({ channelCount: 64, sampleRateHz: 1000, seed: 3, mode: 'rest', mainsHz: 50 });
    const refRows = new Float64Array(1024 * 64);
    let rawMismatches = 0;
    let rawRows = 0;
    engine.on('raw', (chunk) => {
      if (chunk.firstSampleIndex !== rawRows) rawMismatches++;
      reference.generate(refRows, chunk.rowCount);
      for (let i = 0; i < chunk.rowCount * 64; i++) if (chunk.data[i] !== refRows[i]) rawMismatches++;
      rawRows += chunk.rowCount;
    });
    engine.on('filtered', (chunk) => {
      if (chunk.firstSampleIndex !== expectedIndex) outOfOrder++;
      expectedIndex = chunk.firstSampleIndex + chunk.rowCount;
      rows += chunk.rowCount;
      lostRows += chunk.lostRows;
      expect(chunk.data.length).toBe(chunk.rowCount * 64);
    });
    await engine.setPipeline({ reference: 'car', stages: [{ kind: 'notch', frequencyHz: 50 }, { kind: 'bandpass', lowHz: 1, highHz: 40, order: 4 }, { kind: 'highpass', cutoffHz: 0.5, order: 2 }] });
    await engine.start();
    await engine.ended();
    await engine.stop();
    const status = engine.getStatus();
    expect(outOfOrder).toBe(0);
    expect(lostRows).toBe(0);
    expect(rows).toBe(60_000);
    expect(rawRows).toBe(60_000);
    expect(rawMismatches).toBe(0);
    expect(status.rowsReceived).toBe(60_000);
    expect(status.rowsFiltered).toBe(60_000);
    expect(status.deviceLostRows).toBe(0);
    expect(status.overflowLostRows).toBe(0);
    expect(status.latencyMs.p50).toBeGreaterThan(0);
  });

  it('counts a reader that cannot keep up as overflow, never as silently wrong data', async () => {
    engine = new Engine({ bufferSec: 0.5, maxBlockRows: 64 });
    await engine.connect({ board: 'synthetic', channelCount: 8, sampleRateHz: 1000, paced: false, durationSec: 20 });
    let blocked = false;
    let rows = 0;
    engine.on('raw', (chunk) => {
      rows += chunk.rowCount;
      // a display consumer that stalls the main thread once for long enough to fall a buffer behind
      if (!blocked && chunk.firstSampleIndex > 1000) {
        blocked = true;
        const until = Date.now() + 30;
        while (Date.now() < until) {
          /* stall */
        }
      }
    });
    await engine.start();
    await engine.ended();
    await engine.stop();
    const status = engine.getStatus();
    // raw rows + their overflow account for every sample
    expect(rows + status.overflowLostRows).toBe(status.rowsReceived);
  });

  it('changes filters while running without losing a sample, leaving other channels alone', async () => {
    const run = async (change: boolean) => {
      const e = new Engine({ maxBlockRows: 50 });
      await e.setPipeline({ stages: [{ kind: 'bandpass', lowHz: 1, highHz: 40, order: 4 }] });
      await e.connect({ board: 'synthetic', channelCount: 4, sampleRateHz: 250, paced: false, durationSec: 40, seed: 9 });
      const out = new Float64Array(10_000 * 4);
      let rows = 0;
      let changed = false;
      e.on('filtered', (chunk) => {
        out.set(chunk.data, chunk.firstSampleIndex * 4);
        rows += chunk.rowCount;
        if (change && !changed && rows >= 2000) {
          changed = true;
          // add a notch on channel 2 only, while the data flows
          void e.setPipeline({ stages: [{ kind: 'bandpass', lowHz: 1, highHz: 40, order: 4 }, { kind: 'notch', frequencyHz: 50, channels: [2] }] });
        }
      });
      await e.start();
      await e.ended();
      await e.stop();
      await e.dispose();
      return { out, rows };
    };
    const plain = await run(false);
    const changed = await run(true);
    expect(changed.rows).toBe(10_000);
    let sameOthers = true;
    let differs2 = false;
    for (let r = 0; r < 10_000; r++) {
      for (const c of [0, 1, 3]) if (plain.out[r * 4 + c] !== changed.out[r * 4 + c]) sameOthers = false;
      if (plain.out[r * 4 + 2] !== changed.out[r * 4 + 2]) differs2 = true;
    }
    expect(sameOthers).toBe(true);
    expect(differs2).toBe(true);
  });
});
