// The engine's live loop end to end, unpaced: 60 s of data at 64 channels × 1000 Hz through the
// ring buffer and the pipeline worker; every sample arrives once, in order, with nothing lost; and a
// display reader forced to fall behind a tiny buffer: its loss counted, shown and the recording kept.
import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../../electron/engine/engine.js';
import { SyntheticEeg } from '../../electron/common/boards/synthetic.js';
import { readFileSync } from 'node:fs';
import { tempDir } from '../support/tmp.js';

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

  it('counts, shows and records a reader that cannot keep up: the display falls a buffer behind, nothing is silently wrong', async () => {
    // a paced board and a 128-row buffer; the display consumer stalls the main thread for 400 ms
    // once, so the board catches up with about 400 rows in one go while the display reader cannot
    // read: it must lose at least that catch-up less the buffer, and say so. The board pushes whole
    // 10-row chunks of the rows due by its clock, and a floor of 400 ms can fall one row short, so
    // the catch-up is at least 390 rows (CI once saw exactly 390: 262 lost)
    engine = new Engine({ bufferSec: 0.05, maxBlockRows: 16, statusIntervalMs: 0 });
    await engine.connect({ board: 'synthetic', channelCount: 8, sampleRateHz: 1000, paced: true, durationSec: 2, seed: 4 });
    const recording = await engine.startRecording({ session: { subject: 'S02', task: 'overflow' }, dataDir: tempDir('bci-overflow-') });
    let stalled = false;
    let rawRows = 0;
    let rawLost = 0;
    let rawWrong = 0;
    let filteredRows = 0;
    let filteredLost = 0;
    const reference = new SyntheticEeg({ channelCount: 8, sampleRateHz: 1000, seed: 4, mode: 'rest', mainsHz: 50 });
    const truth = new Float64Array(2000 * 8);
    reference.generate(truth, 2000);
    engine.on('raw', (chunk) => {
      rawRows += chunk.rowCount;
      rawLost += chunk.lostRows;
      // what arrives is the right data for its sample indices, whatever was lost before it
      for (let i = 0; i < chunk.rowCount * 8; i++) if (chunk.data[i] !== truth[chunk.firstSampleIndex * 8 + i]) rawWrong++;
      if (!stalled && chunk.firstSampleIndex > 500) {
        stalled = true;
        // the board's clock (performance.now), not the wall clock, which a VM may step
        const until = performance.now() + 400;
        while (performance.now() < until) {
          /* stall */
        }
      }
    });
    engine.on('filtered', (chunk) => {
      filteredRows += chunk.rowCount;
      filteredLost += chunk.lostRows;
    });
    const shown: number[] = [];
    engine.on('status', (s) => shown.push(s.overflowLostRows));
    await engine.start();
    await engine.ended();
    await engine.stop();
    const status = engine.getStatus();
    const result = await engine.stopRecording();
    expect(status.rowsReceived).toBe(2000);
    expect(rawLost).toBeGreaterThanOrEqual(390 - 128);
    expect(rawWrong).toBe(0);
    // counted: every row is either delivered or counted lost, per reader, and the total is the sum
    expect(rawRows + rawLost).toBe(2000);
    // and so on the filtered path: under load the pipeline worker's reader can be lapped while it
    // copies (a 400-row catch-up into a 128-row buffer), a read that returns no rows but loses
    // some; that loss goes with the next chunk, or a chunk of no rows at the stop (it went unsaid:
    // 1838 and 1858 of 2000 in loaded full-suite runs)
    expect(filteredRows + filteredLost).toBe(2000);
    expect(status.overflowLostRows).toBe(rawLost + filteredLost);
    // shown: the status every client gets (stop() sends it) carries the total
    expect(shown.at(-1)).toBe(status.overflowLostRows);
    // recorded: the recorder has its own reader; the file keeps every second, and whatever it lost
    // itself is zero-filled and annotated (events.tsv lists the same gaps)
    expect(result.rowsWritten).toBe(2000);
    const gapRows = readFileSync(recording.path.replace(/_eeg\.bdf$/, '_events.tsv'), 'utf8')
      .split('\n')
      .filter((line) => line.split('\t')[2] === 'gap')
      .reduce((sum, line) => sum + Number(/gap: (\d+) samples lost/.exec(line)![1]), 0);
    expect(gapRows).toBe(result.lostRows);
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
