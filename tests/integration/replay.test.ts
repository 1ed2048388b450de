// Replay: a recording from ../shared/data through the live pipeline, bit-identical at 1×, 16×
// and max, and from run to run; events arrive as markers at their sample.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Engine } from '../../electron/engine/engine.js';
import { bciSync } from '../support/bci.js';
import { tempDir } from '../support/tmp.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const FILE = join(root, '..', 'shared', 'data', 'mne-python', 'edf', 'test.edf');

async function replay(speed: number | 'max') {
  const engine = new Engine();
  await engine.setPipeline({ reference: 'car', stages: [{ kind: 'notch', frequencyHz: 50 }, { kind: 'bandpass', lowHz: 1, highHz: 40, order: 4 }] });
  const descriptor = await engine.connect({ board: 'playback', file: FILE, speed });
  const channels = descriptor.channels.length;
  const chunks: { first: number; data: Float64Array }[] = [];
  const markers: string[] = [];
  engine.on('filtered', (c) => chunks.push({ first: c.firstSampleIndex, data: c.data }));
  engine.on('marker', (m) => markers.push(`${m.sampleIndex}:${m.label}`));
  const t0 = performance.now();
  await engine.start();
  await engine.ended();
  await engine.stop();
  const wallSec = (performance.now() - t0) / 1000;
  const status = engine.getStatus();
  await engine.dispose();
  const rows = chunks.reduce((n, c) => n + c.data.length / channels, 0);
  const out = new Float64Array(rows * channels);
  let next = 0;
  for (const c of chunks) {
    expect(c.first).toBe(next);
    out.set(c.data, c.first * channels);
    next = c.first + c.data.length / channels;
  }
  return { out, markers, rows, wallSec, status, rate: descriptor.sampleRateHz, descriptor };
}

describe('replay through the live pipeline', () => {
  it('plays a file from ../shared/data with its own channels, rate and events', async () => {
    const r = await replay('max');
    expect(r.descriptor.sampleRateHz).toBe(512);
    expect(r.descriptor.channels.length).toBeGreaterThan(100);
    expect(r.rows).toBe(6 * 512);
    expect(r.markers.length).toBeGreaterThan(0);
    expect(r.status.deviceLostSamples + r.status.overflowLostSamples).toBe(0);
  });

  it('gives bit-identical output and markers at 1×, 16× and max, and from run to run', async () => {
    const max1 = await replay('max');
    const max2 = await replay('max');
    const fast = await replay(16);
    const real = await replay(1);
    expect(real.wallSec).toBeGreaterThan(5.5); // really paced at 1×
    expect(fast.wallSec).toBeLessThan(2);
    for (const other of [max2, fast, real]) {
      expect(other.out.length).toBe(max1.out.length);
      expect(Buffer.from(other.out.buffer).equals(Buffer.from(max1.out.buffer))).toBe(true);
      expect(other.markers).toEqual(max1.markers);
    }
  }, 30_000);

  it('`bci replay` writes the pipeline output and an events sidecar', () => {
    const dir = tempDir('bci-replay-');
    const out = join(dir, 'filtered.csv');
    const text = bciSync(['replay', FILE, '--speed', 'max', '--bandpass', '8-30', '--out', out]);
    expect(text).toMatch(/3072 samples received/);
    expect(text).toMatch(/replay speed +[0-9.]+ × real time/);
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    expect(lines.length).toBe(3073);
    expect(lines[1].startsWith('0,0.000000,')).toBe(true);
    const events = readFileSync(join(dir, 'filtered_events.tsv'), 'utf8').trim().split('\n');
    expect(events[0]).toBe('onset\tduration\ttrial_type\tvalue\tsample');
    expect(events.length).toBeGreaterThan(1);
  });
});

describe('playback transport', () => {
  it('pauses, resumes and seeks in either direction without stalling', async () => {
    const engine = new Engine();
    await engine.connect({ board: 'playback', file: join(root, '..', 'shared', 'data', 'physionet-eegmmidb-S001', 'S001R03.edf'), speed: 1 });
    await engine.start();
    const position = () => engine.getStatus().playback!.positionSec;
    await new Promise((r) => setTimeout(r, 400));
    expect(position()).toBeGreaterThan(0.2);
    await engine.configureBoard('seek 60');
    await new Promise((r) => setTimeout(r, 600));
    expect(position()).toBeGreaterThan(60.3); // moving on from the new place at once, no stall
    expect(position()).toBeLessThan(61.2);
    await engine.configureBoard('seek 10');
    await new Promise((r) => setTimeout(r, 500));
    expect(position()).toBeGreaterThan(10.2);
    expect(position()).toBeLessThan(11);
    await engine.configureBoard('pause');
    const paused = position();
    await new Promise((r) => setTimeout(r, 400));
    expect(position()).toBe(paused);
    expect(engine.getStatus().playback!.playing).toBe(false);
    await engine.configureBoard('resume');
    await new Promise((r) => setTimeout(r, 400));
    expect(position()).toBeGreaterThan(paused + 0.2);
    await expect(engine.configureBoard('speed 99')).rejects.toThrow(/0\.25 to 16/);
    await expect(engine.configureBoard('warp')).rejects.toThrow(/unknown playback command/);
    await engine.dispose();
  });
});
