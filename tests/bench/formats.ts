// File-read benchmark: for each EDF/BDF recording in ../shared/data (and one larger synthetic BDF
// written here), the time our reader takes to open the file and read every sample of every channel,
// against MNE-Python's read_raw_edf/read_raw_bdf(preload=True) on the same file in the same run
// (timed inside Python, so interpreter start-up is not counted). Measures, never asserts, never
// prints: `npm run bench` shows and stores the rows.

import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openRecording } from '../../electron/engine/files/open-recording.js';
import { Random } from '../../electron/common/random.js';

export interface FormatBenchRow {
  readonly file: string;
  readonly bytes: number;
  /** Seconds to open and read the whole file once (median of repeats). */
  readonly oursSec: number;
  /** Same for MNE-Python, NaN when MNE is not installed. */
  readonly mneSec: number;
  /** oursSec / mneSec: below 1 means faster than MNE. */
  readonly ratio: number;
  readonly oursMBps: number;
  readonly mneMBps: number;
}

const PYTHON = '/usr/bin/python3';
const DEFAULT_DATA = fileURLToPath(new URL('../../../shared/data/', import.meta.url));

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Opens the file and reads every sample: the rows in blocks, the other channels one by one. */
async function readWhole(path: string): Promise<void> {
  const r = await openRecording(path);
  try {
    const { sampleCount, rowChannels, channels, sampleRateHz } = r.info;
    const width = rowChannels.length;
    const block = Math.max(1, Math.min(sampleCount, Math.ceil(sampleRateHz * 10)));
    const out = new Float64Array(block * Math.max(1, width));
    for (let s = 0; s < sampleCount; s += block) await r.readRows(s, block, out);
    for (let c = 0; c < channels.length; c++) {
      if (rowChannels.includes(c)) continue;
      const n = Math.round((channels[c].sampleRateHz / sampleRateHz) * sampleCount);
      const buf = new Float64Array(Math.max(1, n));
      await r.readChannel(c, 0, n, buf);
    }
  } finally {
    await r.close();
  }
}

async function timeOurs(path: string, minSec: number): Promise<number> {
  await readWhole(path); // warm-up (JIT, page cache)
  const times: number[] = [];
  const t0 = performance.now();
  while (times.length < 3 || (performance.now() - t0) / 1000 < minSec) {
    const t = performance.now();
    await readWhole(path);
    times.push((performance.now() - t) / 1000);
    if (times.length >= 200) break;
  }
  return median(times);
}

const MNE_SCRIPT = `
import json, sys, time
import mne
mne.set_log_level('ERROR')
req = json.load(sys.stdin)
out = []
for f in req['files']:
    read = mne.io.read_raw_bdf if f.lower().endswith('.bdf') else mne.io.read_raw_edf
    read(f, preload=True)
    times = []
    t0 = time.perf_counter()
    while len(times) < 3 or (time.perf_counter() - t0 < req['minSec'] and len(times) < 200):
        t = time.perf_counter()
        raw = read(f, preload=True)
        raw.get_data()
        times.append(time.perf_counter() - t)
    times.sort()
    out.append(times[len(times) // 2])
json.dump(out, sys.stdout)
`;

function timeMne(files: string[], minSec: number): number[] {
  try {
    execFileSync(PYTHON, ['-c', 'import mne'], { stdio: 'ignore' });
  } catch {
    return files.map(() => NaN);
  }
  const answer = execFileSync(PYTHON, ['-c', MNE_SCRIPT], { input: JSON.stringify({ files, minSec }), encoding: 'utf8', maxBuffer: 1 << 20 });
  return JSON.parse(answer) as number[];
}

/** A BDF of random 24-bit samples: 64 channels at 2048 Hz, 1 s records (≈ 0.4 MB/s of recording). */
function writeSyntheticBdf(path: string, seconds: number): void {
  const ns = 64;
  const spr = 2048;
  const field = (s: string, w: number): string => s.slice(0, w).padEnd(w, ' ');
  let h = '\xffBIOSEMI' + field('X X X X', 80) + field('Startdate 01-JAN-2024 X X X', 80) + '01.01.2411.00.00' + field(String(256 * (ns + 1)), 8) + field('24BIT', 44) + field(String(seconds), 8) + field('1', 8) + field(String(ns), 4);
  const each = (f: (i: number) => string, w: number): string => Array.from({ length: ns }, (_, i) => field(f(i), w)).join('');
  h += each((i) => `EEG${i}`, 16) + each(() => '', 80) + each(() => 'uV', 8) + each(() => '-262144', 8) + each(() => '262143', 8) + each(() => '-8388608', 8) + each(() => '8388607', 8) + each(() => '', 80) + each(() => String(spr), 8) + each(() => '', 32);
  const header = Buffer.from(h, 'latin1');
  const data = Buffer.alloc(seconds * ns * spr * 3);
  const rng = new Random(17);
  for (let i = 0; i < data.length; i += 4) data.writeUInt32LE(Math.floor(rng.nextFloat() * 0x1_0000_0000) >>> 0, Math.min(i, data.length - 4));
  writeFileSync(path, Buffer.concat([header, data]));
}

export async function benchFormats(options: { quick?: boolean; dataDir?: string } = {}): Promise<FormatBenchRow[]> {
  const dataDir = options.dataDir ?? DEFAULT_DATA;
  const minSec = options.quick ? 0.2 : 1;
  const files: string[] = [];
  for (const dir of ['mne-python/edf', 'physionet-eegmmidb-S001']) {
    const folder = join(dataDir, dir);
    if (!existsSync(folder)) continue;
    for (const name of readdirSync(folder).sort()) if (/\.(edf|bdf)$/i.test(name)) files.push(join(folder, name));
  }
  const tmp = mkdtempSync(join(tmpdir(), 'bci-bench-formats-'));
  try {
    const synthetic = join(tmp, 'synthetic-64ch-2048Hz.bdf');
    writeSyntheticBdf(synthetic, options.quick ? 20 : 120);
    files.push(synthetic);
    const ours: number[] = [];
    for (const f of files) ours.push(await timeOurs(f, minSec));
    const mne = timeMne(files, minSec);
    return files.map((f, i) => {
      const bytes = statSync(f).size;
      return {
        file: f.startsWith(dataDir) ? f.slice(dataDir.length) : `(generated) ${f.split('/').pop()}`,
        bytes,
        oursSec: ours[i],
        mneSec: mne[i],
        ratio: ours[i] / mne[i],
        oursMBps: bytes / 1e6 / ours[i],
        mneMBps: bytes / 1e6 / mne[i],
      };
    });
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
