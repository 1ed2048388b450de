// The long soak: an accelerated session of many hours (8 by default) at 64 channels × 1000 Hz,
// unpaced, with everything a clinic's day runs at once: the filter chain, a decoder in the
// pipeline worker (CSP + LDA trained here on synthetic motor imagery, a prediction every 0.1 s of
// signal), and a BDF+ recording written to disk. Resident memory is sampled at every status over
// the signal's time; the figure is its growth from the end of the first hour (buffers filled, JIT
// warm) to the end of the session, as a share of the first hour's. Measures, never asserts.

import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Engine } from '../../electron/engine/engine.js';
import { recordSyntheticMi } from './synthetic-recording.js';
import { trainDecoder } from '../../electron/engine/decoding/train.js';
import type { PipelineDescription } from '../../electron/common/contract/pipeline.js';

export interface SoakRow {
  readonly benchmark: string;
  readonly metric: string;
  readonly value: number;
  readonly unit: string;
  readonly reference?: string;
  readonly target?: string;
}

const RATE = 1000;
const CHANNELS = 64;

export async function benchLongSoak({ hours, chain }: { hours: number; chain: unknown }): Promise<SoakRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'bci-bench-soak-'));
  try {
    // the decoder: 60 s of synthetic motor imagery at the session's shape
    const training = join(dir, 'training_eeg.bdf');
    await recordSyntheticMi(training, 60, { channelCount: CHANNELS, sampleRateHz: RATE });
    const { model } = await trainDecoder({ files: [training], decoder: 'csp-lda', classes: ['left', 'right'], window: { startSec: 0.5, endSec: 2.5 }, filters: { reference: 'none', stages: [{ kind: 'bandpass', lowHz: 8, highHz: 30, order: 4 }] }, folds: 2, seed: 1 });

    const seconds = Math.round(hours * 3600);
    const engine = new Engine();
    await engine.setPipeline(chain as PipelineDescription);
    await engine.connect({ board: 'synthetic', mode: 'mi', channelCount: CHANNELS, sampleRateHz: RATE, paced: false, durationSec: seconds });
    await engine.setDecoder({ model, stepSec: 0.1 });
    const path = join(dir, 'soak_eeg.bdf');
    await engine.startRecording({ session: { subject: 'BENCH', task: 'soak' }, path });
    let predictions = 0;
    engine.on('prediction', (p) => (predictions += p.count));
    // resident size against the signal's time (hours of data delivered), and of it the main
    // thread's JS heap and array buffers (the workers' heaps are in the RSS only): where growth is
    // the two points compared (the first hour's end and the run's end) are taken after a full GC
    // (the bench runs with --expose-gc), so that they compare what is kept, not garbage not yet collected
    const gc = (globalThis as { gc?: () => void }).gc;
    const sample = (hour: number, collect = false) => {
      if (collect) gc?.();
      const m = process.memoryUsage();
      return { hour, rss: m.rss, heap: m.heapUsed, buffers: m.arrayBuffers, collected: collect && gc !== undefined };
    };
    const firstHour = Math.min(1, hours / 8);
    const samples: ReturnType<typeof sample>[] = [];
    const statusSub = engine.on('status', (status) => {
      const hour = status.rowsReceived / RATE / 3600;
      samples.push(sample(hour, hour >= firstHour && !samples.some((s) => s.collected)));
    });
    const t0 = performance.now();
    await engine.start();
    await engine.ended();
    await engine.stop();
    const wallSec = (performance.now() - t0) / 1000;
    samples.push(sample(seconds / 3600, true));
    statusSub.dispose();
    const status = engine.getStatus();
    const result = await engine.stopRecording();
    await engine.dispose();
    const fileBytes = statSync(path).size;

    const afterFirstHour = samples.find((s) => s.collected && s.hour < seconds / 3600) ?? samples[0];
    const end = samples[samples.length - 1];
    const peak = Math.max(...samples.map((s) => s.rss));
    const mib = (b: number) => b / 2 ** 20;
    const name = `long soak: ${hours} h of 64 ch × 1000 Hz unpaced, filters + csp-lda every 0.1 s + BDF+ recording`;
    return [
      { benchmark: name, metric: 'samples lost', value: status.deviceLostRows + status.overflowLostRows, unit: 'samples', target: '0' },
      { benchmark: name, metric: 'samples recorded', value: result.rowsWritten, unit: 'samples', reference: `${(fileBytes / 2 ** 30).toFixed(2)} GiB on disk`, target: String(seconds * RATE) },
      { benchmark: name, metric: 'predictions', value: predictions, unit: 'windows', target: `≈ ${Math.round(seconds * 10)}` },
      { benchmark: name, metric: 'speed', value: seconds / wallSec, unit: '× real time', reference: `${(wallSec / 60).toFixed(1)} min of wall time` },
      { benchmark: name, metric: `RSS at ${afterFirstHour.hour.toFixed(2)} h of signal`, value: mib(afterFirstHour.rss), unit: 'MiB', reference: `peak ${mib(peak).toFixed(0)} MiB, ${samples.length} samples` },
      { benchmark: name, metric: 'RSS growth from there to the end', value: (100 * (end.rss - afterFirstHour.rss)) / afterFirstHour.rss, unit: '%', reference: `${mib(end.rss - afterFirstHour.rss).toFixed(1)} MiB`, target: '< 5 %' },
      { benchmark: name, metric: 'of it, the main thread’s JS heap', value: mib(end.heap - afterFirstHour.heap), unit: 'MiB', reference: `${mib(afterFirstHour.heap).toFixed(1)} → ${mib(end.heap).toFixed(1)} MiB (both after a full GC)` },
      { benchmark: name, metric: 'of it, array buffers (main thread)', value: mib(end.buffers - afterFirstHour.buffers), unit: 'MiB', reference: `${mib(afterFirstHour.buffers).toFixed(1)} → ${mib(end.buffers).toFixed(1)} MiB` },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
