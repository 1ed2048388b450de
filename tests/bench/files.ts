// File-write benchmark and the flat-memory check: write throughput of the recorder path (BDF+ from
// the synthetic board, unpaced, through the recorder worker), and the peak resident memory of
// `bci convert` turning a large BDF (2 GB unless quick) into EDF+: it must stay flat, whatever the
// file's size. Measures, never asserts.

import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

export interface FileBenchResult {
  readonly writeMB: number;
  readonly writeSec: number;
  readonly writeMBps: number;
  readonly convertInputMB: number;
  readonly convertSec: number;
  readonly convertMBps: number;
  readonly convertPeakRssMB: number;
  readonly smallConvertPeakRssMB: number;
}

/** Runs a command under GNU time (Debian package "time") for its peak resident set size. */
function peakRssOf(args: string[]): { sec: number; peakMB: number } {
  const t0 = performance.now();
  const r = spawnSync('/usr/bin/time', ['-f', '%M', ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${args.join(' ')} failed: ${r.stderr}`);
  const kb = Number(r.stderr.trim().split('\n').pop());
  return { sec: (performance.now() - t0) / 1000, peakMB: kb / 1024 };
}

export function benchFiles(quick: boolean): FileBenchResult {
  const dir = mkdtempSync(join(tmpdir(), 'bci-bench-files-'));
  try {
    const bci = join(root, 'bin/bci.js');
    // write: 64 ch × 1000 Hz, BDF = 192 kB per second of data
    const seconds = quick ? 600 : 10_900; // 10 900 s ≈ 2.0 GB
    const big = join(dir, 'big.bdf');
    const t0 = performance.now();
    execFileSync(process.execPath, [bci, 'record', '--subject', 'BENCH', '--channels', '64', '--rate', '1000', '--unpaced', '--duration', String(seconds), '--out', big], { stdio: 'ignore' });
    const writeSec = (performance.now() - t0) / 1000;
    const writeMB = statSync(big).size / 2 ** 20;
    const small = join(dir, 'small.bdf');
    execFileSync(process.execPath, [bci, 'record', '--subject', 'BENCH', '--channels', '64', '--rate', '1000', '--unpaced', '--duration', '60', '--out', small], { stdio: 'ignore' });
    const smallRun = peakRssOf([process.execPath, bci, 'convert', small, join(dir, 'small.edf')]);
    const bigRun = peakRssOf([process.execPath, bci, 'convert', big, join(dir, 'big.edf')]);
    return {
      writeMB,
      writeSec,
      writeMBps: writeMB / writeSec,
      convertInputMB: writeMB,
      convertSec: bigRun.sec,
      convertMBps: writeMB / bigRun.sec,
      convertPeakRssMB: bigRun.peakMB,
      smallConvertPeakRssMB: smallRun.peakMB,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
