// A host's listener that throws (a CLI writer on a full disk) never stops the engine nor starves
// the other listeners: every row still reaches them, and the failure is said as an error event.
import { describe, expect, it } from 'vitest';
import { Emitter } from '../../../electron/common/disposable.js';
import { Engine } from '../../../electron/engine/engine.js';

describe('a listener that throws', () => {
  it('leaves the other listeners their values; without a handler the first error is thrown after all of them', () => {
    const seen: number[] = [];
    const plain = new Emitter<number>();
    plain.on(() => {
      throw new Error('first');
    });
    plain.on((v) => seen.push(v));
    expect(() => plain.fire(1)).toThrow('first');
    expect(seen).toEqual([1]);
    const errors: unknown[] = [];
    const handled = new Emitter<number>((e) => errors.push(e));
    handled.on(() => {
      throw new Error('again');
    });
    handled.on((v) => seen.push(v));
    handled.fire(2);
    expect(seen).toEqual([1, 2]);
    expect(errors).toEqual([new Error('again')]);
  });

  it('in the engine: every row still reaches the other listeners, and each failure is an error event', async () => {
    const engine = new Engine();
    try {
      // paced: a chunk every 10 ms for 2.2 s, each one failing
      await engine.connect({ board: 'synthetic', channelCount: 4, sampleRateHz: 250, paced: true, durationSec: 2.2, seed: 5 });
      let failures = 0;
      engine.on('raw', () => {
        failures++;
        throw new Error('ENOSPC: no space left on device, write');
      });
      let rawRows = 0;
      let filteredRows = 0;
      engine.on('raw', (c) => (rawRows += c.rowCount));
      engine.on('filtered', (c) => (filteredRows += c.rowCount));
      const errors: string[] = [];
      engine.on('error', (m) => errors.push(m));
      await engine.start();
      await engine.ended();
      await engine.stop();
      expect(rawRows).toBe(550);
      expect(filteredRows).toBe(550);
      // said at once, then at most once a second with the count since (not once per chunk)
      expect(failures).toBeGreaterThan(50);
      expect(errors.length).toBeGreaterThan(1);
      expect(errors.length).toBeLessThan(failures);
      expect(errors[0]).toBe('a raw listener failed (ENOSPC: no space left on device, write); the engine and the other listeners go on');
      for (const later of errors.slice(1)) expect(later).toMatch(/^a raw listener failed \(ENOSPC.*\) \(and \d+ more failures before it\); the engine/);
      expect(engine.getStatus().lastError).toBe(errors.at(-1));
    } finally {
      await engine.dispose();
    }
  });
});
