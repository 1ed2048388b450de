// The display filters on a real Cyton stream (the emulator over a socat pty, the real serialport
// binding, the engine and its pipeline worker): a 1-40 Hz band-pass filters the 8 EEG channels, and
// the accelerometer channels of the filtered stream are the raw ones, bit for bit (gravity stays).
import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../../../electron/engine/engine.js';
import { CytonEmulator } from '../../support/cyton-emulator.js';
import { socatAvailable } from '../../support/socat.js';
import { waitFor } from '../../support/brainflow.js';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

describe.skipIf(!socatAvailable())('filters on the Cyton over a pty', () => {
  it('band-passes the EEG channels and passes the accelerometer through unfiltered', async () => {
    const emulator = await CytonEmulator.start({});
    const engine = new Engine({ bufferSec: 5 });
    cleanup.push(async () => {
      await engine.dispose();
      await emulator.stop();
    });
    const descriptor = await engine.connect({ board: 'cyton', port: emulator.hostPath });
    const types = descriptor.channels.map((c) => c.type);
    const accel = types.flatMap((t, i) => (t === 'accel' ? [i] : []));
    const eeg = types.flatMap((t, i) => (t === 'eeg' ? [i] : []));
    expect(accel).toHaveLength(3);
    expect(eeg).toHaveLength(8);
    await engine.setPipeline({ stages: [{ kind: 'bandpass', lowHz: 1, highHz: 40, order: 4 }] });
    // the status (and a recording's SoftwareFilters, from the same description) says where it applies
    expect(engine.getStatus().pipeline).toBe('band-pass 1-40 Hz order 4 (filters without a channel list: on the 8 ExG channels of 11)');
    const width = descriptor.channels.length;
    const ROWS = 400;
    const raw = new Float64Array(ROWS * width).fill(Number.NaN);
    const filtered = new Float64Array(ROWS * width).fill(Number.NaN);
    let rawRows = 0;
    let filteredRows = 0;
    const keep = (into: Float64Array, c: { firstSampleIndex: number; rowCount: number; data: Float64Array }) => {
      for (let r = 0; r < c.rowCount; r++) {
        const s = c.firstSampleIndex + r;
        if (s < ROWS) into.set(c.data.subarray(r * width, (r + 1) * width), s * width);
      }
      return c.rowCount;
    };
    engine.on('raw', (c) => (rawRows += keep(raw, c)));
    engine.on('filtered', (c) => (filteredRows += keep(filtered, c)));
    await engine.start();
    await waitFor(() => rawRows >= ROWS && filteredRows >= ROWS, 20_000, `${ROWS} raw and filtered rows`);
    await engine.stop();

    let accelSame = 0;
    let accelMoving = 0;
    let eegChanged = 0;
    for (let s = 0; s < ROWS; s++) {
      for (const c of accel) {
        const a = raw[s * width + c];
        const b = filtered[s * width + c];
        expect(Number.isNaN(a)).toBe(false);
        if (Object.is(a, b)) accelSame++;
        if (s > 0 && a !== raw[(s - 1) * width + c]) accelMoving++;
      }
      for (const c of eeg) if (raw[s * width + c] !== filtered[s * width + c]) eegChanged++;
    }
    expect(accelSame).toBe(ROWS * accel.length); // every accelerometer value, bit for bit
    expect(accelMoving).toBeGreaterThan(10); // readings arrive (25 a second), so this is not a constant passing by chance
    expect(eegChanged).toBeGreaterThan(0.9 * ROWS * eeg.length); // the EEG is filtered
  });
});
