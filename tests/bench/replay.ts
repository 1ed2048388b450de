// Replay benchmark: recordings through the filter pipeline on one core (reader → pipeline, no
// threads), in multiples of real time: the 64-channel PhysioNet files in ../shared/data, and a
// synthetic hour at 16 channels × 250 Hz written here first. Also the whole engine (playback
// board, ring buffer, pipeline worker) on the synthetic hour. Measures, never asserts.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openRecording } from '../../electron/engine/files/open-recording.js';
import { Pipeline } from '../../electron/common/pipeline/pipeline.js';
import { createBlock, deinterleave } from '../../electron/common/pipeline/block.js';
import { pipelineSchema } from '../../electron/common/contract/pipeline.js';
import { Engine } from '../../electron/engine/engine.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const CHAIN = pipelineSchema.parse({ stages: [{ kind: 'notch', frequencyHz: 50 }, { kind: 'bandpass', lowHz: 1, highHz: 40, order: 4 }] });

export interface ReplayBenchRow {
  readonly file: string;
  readonly path: 'reader + pipeline, one core' | 'engine (playback board, worker)';
  readonly recordingSec: number;
  readonly wallSec: number;
  readonly timesRealTime: number;
}

async function pipelineOnly(path: string): Promise<{ recordingSec: number; wallSec: number }> {
  const reader = await openRecording(path);
  try {
    const info = reader.info;
    const width = info.rowChannels.length;
    const blockRows = 4096;
    const pipeline = new Pipeline(CHAIN, { sampleRateHz: info.sampleRateHz, channelCount: width, channelTypes: info.rowChannels.map((c) => info.channels[c].type), maxBlockRows: blockRows });
    const rows = new Float64Array(blockRows * width);
    const block = createBlock(width, blockRows);
    const t0 = performance.now();
    for (let at = 0; at < info.sampleCount; ) {
      const got = await reader.readRows(at, Math.min(blockRows, info.sampleCount - at), rows);
      deinterleave(rows, got, block);
      pipeline.process(block);
      at += got;
    }
    return { recordingSec: info.sampleCount / info.sampleRateHz, wallSec: (performance.now() - t0) / 1000 };
  } finally {
    await reader.close();
  }
}

async function throughEngine(path: string): Promise<{ recordingSec: number; wallSec: number }> {
  const engine = new Engine();
  await engine.setPipeline(CHAIN);
  const d = await engine.connect({ board: 'playback', file: path, speed: 'max' });
  const t0 = performance.now();
  await engine.start();
  await engine.ended();
  await engine.stop();
  const wallSec = (performance.now() - t0) / 1000;
  const received = engine.getStatus().rowsReceived;
  await engine.dispose();
  return { recordingSec: received / d.sampleRateHz, wallSec };
}

export async function benchReplay(quick: boolean): Promise<ReplayBenchRow[]> {
  const out: ReplayBenchRow[] = [];
  const physionet = join(root, '..', 'shared', 'data', 'physionet-eegmmidb-S001');
  for (const name of readdirSync(physionet).filter((f) => f.endsWith('.edf')).sort()) {
    const r = await pipelineOnly(join(physionet, name));
    out.push({ file: `${name} (64 ch × 160 Hz)`, path: 'reader + pipeline, one core', ...r, timesRealTime: r.recordingSec / r.wallSec });
  }
  const dir = mkdtempSync(join(tmpdir(), 'bci-bench-replay-'));
  try {
    const hourSec = quick ? 600 : 3600;
    const file = join(dir, 'hour.bdf');
    execFileSync(process.execPath, [join(root, 'bin/bci.js'), 'record', '--subject', 'BENCH', '--channels', '16', '--rate', '250', '--unpaced', '--duration', String(hourSec), '--out', file], { stdio: 'ignore' });
    const label = `synthetic ${hourSec / 60} min (16 ch × 250 Hz, BDF)`;
    const a = await pipelineOnly(file);
    out.push({ file: label, path: 'reader + pipeline, one core', ...a, timesRealTime: a.recordingSec / a.wallSec });
    const b = await throughEngine(file);
    out.push({ file: label, path: 'engine (playback board, worker)', ...b, timesRealTime: b.recordingSec / b.wallSec });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return out;
}
