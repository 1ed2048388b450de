// The quality monitor's added cost in the pipeline worker at 64 channels × 1 kHz: the time it
// takes per second of data, beside the filters the worker runs anyway (notch 50 Hz + band-pass
// 1-40 Hz order 4, the same data, the same 32-row chunks) in the same run. Measures, never asserts.

import { QualityMonitor } from '../../electron/common/quality/quality-monitor.js';
import { Pipeline } from '../../electron/common/pipeline/pipeline.js';
import { createBlock, deinterleave } from '../../electron/common/pipeline/block.js';
import { pipelineSchema } from '../../electron/common/contract/pipeline.js';
import { SyntheticEeg, SYNTHETIC_DEFAULTS } from '../../electron/common/boards/synthetic.js';

export interface QualityBenchResult {
  readonly monitorMsPerSec: number;
  readonly filtersMsPerSec: number;
  readonly realTimeFraction: number;
}

export function benchQuality(quick: boolean): QualityBenchResult {
  const channels = 64;
  const rate = 1000;
  const chunk = 32;
  const seconds = quick ? 20 : 60;
  const rows = new Float64Array(seconds * rate * channels);
  new SyntheticEeg({ ...SYNTHETIC_DEFAULTS, channelCount: channels, sampleRateHz: rate, seed: 3 }).generate(rows, seconds * rate);
  const monitor = new QualityMonitor({ sampleRateHz: rate, channelCount: channels, eegMask: new Uint8Array(channels).fill(1), fullScale: new Array<number>(channels).fill(187_500), maxBlockRows: chunk });
  const pipeline = new Pipeline(pipelineSchema.parse({ stages: [{ kind: 'notch', frequencyHz: 50 }, { kind: 'bandpass', lowHz: 1, highHz: 40, order: 4 }] }), { sampleRateHz: rate, channelCount: channels, channelTypes: new Array<string>(channels).fill('eeg'), maxBlockRows: chunk });
  const block = createBlock(channels, chunk);
  const total = seconds * rate;
  // warm up both, then time each over the whole span (median of 3 passes)
  const time = (run: () => void): number => {
    const passes: number[] = [];
    for (let p = 0; p < 3; p++) {
      const t0 = performance.now();
      run();
      passes.push(performance.now() - t0);
    }
    return passes.sort((a, b) => a - b)[1];
  };
  let index = 0;
  const monitorMs = time(() => {
    for (let r = 0; r < total; r += chunk) {
      monitor.push(rows.subarray(r * channels, (r + chunk) * channels), chunk, index);
      index += chunk;
      monitor.take();
    }
  });
  const filtersMs = time(() => {
    for (let r = 0; r < total; r += chunk) {
      deinterleave(rows.subarray(r * channels, (r + chunk) * channels), chunk, block);
      pipeline.process(block);
    }
  });
  return { monitorMsPerSec: monitorMs / seconds, filtersMsPerSec: filtersMs / seconds, realTimeFraction: monitorMs / seconds / 1000 };
}
