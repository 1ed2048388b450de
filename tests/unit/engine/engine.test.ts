import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../../../electron/engine/engine.js';

let engine: Engine;
afterEach(async () => {
  await engine.dispose();
});

describe('Engine API', () => {
  it('lists boards, connects, streams, reports status, stops and disconnects', async () => {
    engine = new Engine({ statusIntervalMs: 50 });
    expect(engine.listBoards().map((b) => b.id)).toContain('synthetic');
    expect(engine.getStatus().state).toBe('idle');
    const descriptor = await engine.connect({ board: 'synthetic', channelCount: 4, sampleRateHz: 500 });
    expect(descriptor.channels.map((c) => c.label)).toEqual(['Fp1', 'Fp2', 'C3', 'C4']);
    expect(engine.getStatus().state).toBe('connected');
    const statuses: string[] = [];
    const sub = engine.on('status', (s) => statuses.push(s.state));
    let filtered = 0;
    engine.on('filtered', (c) => (filtered += c.rowCount));
    await engine.start();
    // event-driven: until 200 rows are filtered and a timed status has gone out (bounded)
    const deadline = Date.now() + 20_000;
    while ((filtered < 200 || !statuses.includes('streaming')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    await engine.stop();
    sub.dispose();
    const s = engine.getStatus();
    expect(s.state).toBe('connected');
    expect(statuses).toContain('streaming');
    expect(s.rowsReceived).toBeGreaterThan(150);
    expect(s.rowsFiltered).toBe(s.rowsReceived);
    expect(filtered).toBe(s.rowsReceived);
    expect(s.effectiveRateHz).toBeGreaterThan(400);
    expect(s.effectiveRateHz).toBeLessThan(600);
    expect(s.deviceLostRows + s.overflowLostRows).toBe(0);
    expect(s.latencyMs.p99).toBeGreaterThan(0);
    expect(s.bufferFill).toBe(0); // stopped: every reader has caught up
    await engine.disconnect();
    expect(engine.getStatus().state).toBe('idle');
  });

  it('validates what it is sent, with messages that say what to fix', async () => {
    engine = new Engine();
    await expect(engine.connect({ board: 'synthetic', channelCount: 'lots' })).rejects.toThrow(/invalid board options: channelCount/);
    await expect(engine.connect({ board: 'nope' })).rejects.toThrow(/unknown board "nope"/);
    await expect(engine.setPipeline({ stages: [{ kind: 'lowpass', cutoffHz: -1 }] })).rejects.toThrow(/invalid pipeline/);
    await expect(engine.start()).rejects.toThrow(/no board is connected/);
    await engine.connect({ board: 'synthetic' });
    await expect(engine.connect({ board: 'synthetic' })).rejects.toThrow(/already connected/);
    await expect(engine.setPipeline({ stages: [{ kind: 'lowpass', cutoffHz: 200 }] })).rejects.toThrow(/Nyquist/);
    expect(engine.currentPipeline.stages).toEqual([]);
  });

  it('refuses to connect a board that the current filters do not fit', async () => {
    engine = new Engine();
    await engine.setPipeline({ stages: [{ kind: 'lowpass', cutoffHz: 200 }] });
    await expect(engine.connect({ board: 'synthetic', sampleRateHz: 250 })).rejects.toThrow(/do not fit this board.*Nyquist/);
  });

  it('maps a user marker stamped in host time to the sample streaming at that moment', async () => {
    engine = new Engine();
    await engine.connect({ board: 'synthetic', sampleRateHz: 1000 });
    await engine.start();
    await new Promise((r) => setTimeout(r, 300));
    const marker = engine.addMarker('eyes closed');
    const received = engine.getStatus().rowsReceived;
    await engine.stop();
    expect(marker.source).toBe('user');
    expect(Math.abs(marker.sampleIndex - received)).toBeLessThan(30);
  });
});
