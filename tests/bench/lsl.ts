// LSL benchmarks (`npm run bench -- --only lsl`), over the real liblsl on this machine only (an
// lsl_api.cfg with ResolveScope = machine): the outlets' cost at 64 channels × 1 kHz (raw and
// filtered published, an independent C inlet pulling the raw stream in another process; CPU of
// the engine's process against the same run without outlets), and the latency from a sample pushed
// by another process to its filtered row leaving the worker (the LSL board, p50/p99).
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Engine } from '../../electron/engine/engine.js';
import { packageRoot } from '../../electron/engine/paths.js';

export interface LslBench {
  readonly channels: number;
  readonly rateHz: number;
  readonly samplesPerSec: number;
  readonly cpuWithPercent: number;
  readonly cpuWithoutPercent: number;
  readonly latencyP50Ms: number;
  readonly latencyP99Ms: number;
  readonly latencyRows: number;
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : Number.NaN;
}

async function cpuOf(seconds: number, lsl: boolean, peer: string, name: string): Promise<{ cpuPercent: number; samplesPerSec: number }> {
  const engine = new Engine({ statusIntervalMs: 0 });
  try {
    if (lsl) engine.setLslOutlets({ raw: true, filtered: true, name });
    await engine.connect({ board: 'synthetic', channelCount: 64, sampleRateHz: 1000 });
    const consumer = lsl ? spawn(peer, ['inlet', name, String(seconds * 1000 + 2000)], { stdio: 'ignore' }) : undefined;
    await engine.start();
    await new Promise((r) => setTimeout(r, 1500));
    const pushed0 = engine.lslOutletsState.outlets.find((o) => o.kind === 'raw')?.samplesPushed ?? 0;
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    await new Promise((r) => setTimeout(r, seconds * 1000));
    const cpu = process.cpuUsage(cpu0);
    const elapsedSec = (performance.now() - t0) / 1000;
    const pushed = (engine.lslOutletsState.outlets.find((o) => o.kind === 'raw')?.samplesPushed ?? 0) - pushed0;
    consumer?.kill('SIGKILL');
    return { cpuPercent: ((cpu.user + cpu.system) / 1e6 / elapsedSec) * 100, samplesPerSec: pushed / elapsedSec };
  } finally {
    await engine.dispose();
  }
}

export async function benchLsl(options: { seconds?: number } = {}): Promise<LslBench> {
  const seconds = options.seconds ?? 5;
  const dir = mkdtempSync(join(tmpdir(), 'bci-bench-lsl-'));
  const before = process.env.LSLAPICFG;
  try {
    writeFileSync(join(dir, 'lsl_api.cfg'), '[multicast]\nResolveScope = machine\nKnownPeers = {127.0.0.1}\n\n[ports]\nIPv6 = disable\n');
    process.env.LSLAPICFG = join(dir, 'lsl_api.cfg');
    const lib = join(packageRoot(), 'node_modules/lsl.js/prebuilt');
    const peer = join(dir, 'lsl-peer');
    execFileSync('cc', ['-O2', '-o', peer, join(packageRoot(), 'tests/support/lsl-peer.c'), `-L${lib}`, '-l:liblsl64.so', `-Wl,-rpath,${dirname(join(lib, 'x'))}`, '-lm']);
    const name = `bench-${process.pid}`;
    const without = await cpuOf(seconds, false, peer, name);
    const withLsl = await cpuOf(seconds, true, peer, name);

    // a sample pushed in another process → its filtered row leaving the worker, through the LSL board
    const source = `${name}-src`;
    const sender = spawn(peer, ['outlet', source, '64', '1000', String(seconds + 30), source, '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve) => sender.stdout.on('data', (d: Buffer) => d.toString().includes('READY') && resolve()));
    const engine = new Engine({ statusIntervalMs: 0 });
    const latencies: number[] = [];
    try {
      await engine.setPipeline({ stages: [{ kind: 'bandpass', lowHz: 1, highHz: 40, order: 4 }, { kind: 'notch', frequencyHz: 50 }] });
      await engine.connect({ board: 'lsl', lslStream: source });
      let warm = false;
      engine.on('filtered', (chunk) => {
        if (!warm) return;
        const last = chunk.firstSampleIndex + chunk.rowCount - 1;
        latencies.push(performance.timeOrigin + performance.now() - engine.sampleTimeMs(last));
      });
      await engine.start();
      await new Promise((r) => setTimeout(r, 1500));
      warm = true;
      await new Promise((r) => setTimeout(r, seconds * 1000));
      warm = false;
    } finally {
      await engine.dispose();
      sender.kill('SIGKILL');
    }
    latencies.sort((a, b) => a - b);
    return {
      channels: 64,
      rateHz: 1000,
      samplesPerSec: withLsl.samplesPerSec,
      cpuWithPercent: withLsl.cpuPercent,
      cpuWithoutPercent: without.cpuPercent,
      latencyP50Ms: percentile(latencies, 50),
      latencyP99Ms: percentile(latencies, 99),
      latencyRows: latencies.length,
    };
  } finally {
    if (before === undefined) delete process.env.LSLAPICFG;
    else process.env.LSLAPICFG = before;
    rmSync(dir, { recursive: true, force: true });
  }
}
