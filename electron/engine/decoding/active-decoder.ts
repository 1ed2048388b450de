// The decoder running on an acquisition, seen from the engine: it takes the worker's prediction
// chunks (dropping those of a decoder that has since been replaced), measures their latency,
// remembers the last prediction, writes an annotation into the recording each time the predicted
// class changes (when asked), and says what it has done for the status.

import { RollingPercentiles } from '../../common/rolling-stats.js';
import type { DecoderInfo, DecoderStatus } from '../../common/contract/decoding.js';
import type { PredictionChunk } from '../../common/contract/worker-messages.js';
import type { Percentiles } from '../../common/contract/status.js';
import { argmax } from '../../common/decoding/metrics.js';
import type { PredictionEvent } from '../engine-events.js';

/** Where an annotation goes (the recording in progress, if any). */
export type Annotate = (sampleIndex: number, label: string) => void;

export class ActiveDecoder {
  readonly latency = new RollingPercentiles();
  private predictions = 0;
  private last: DecoderStatus['last'] = null;
  private lastClass = -1;

  constructor(
    readonly info: DecoderInfo,
    readonly generation: number,
  ) {}

  /** The worker's chunk as an engine event, or undefined when it belongs to an earlier decoder. */
  accept(chunk: PredictionChunk, annotate: Annotate | undefined): PredictionEvent | undefined {
    if (chunk.generation !== this.generation || chunk.count === 0) return undefined;
    const K = chunk.classCount;
    const classes = this.info.classes;
    for (let i = 0; i < chunk.count; i++) {
      this.latency.record(chunk.latencyMs[i]);
      const predicted = argmax(chunk.probabilities, i * K, K);
      if (predicted !== this.lastClass) {
        this.lastClass = predicted;
        if (this.info.annotate) annotate?.(chunk.firstSampleIndex + i * chunk.strideRows, `prediction: ${classes[predicted]}`);
      }
    }
    const lastIndex = chunk.count - 1;
    const lastClass = argmax(chunk.probabilities, lastIndex * K, K);
    this.last = { sampleIndex: chunk.firstSampleIndex + lastIndex * chunk.strideRows, className: classes[lastClass], probability: chunk.probabilities[lastIndex * K + lastClass] };
    this.predictions += chunk.count;
    return {
      firstSampleIndex: chunk.firstSampleIndex,
      strideRows: chunk.strideRows,
      count: chunk.count,
      classes,
      probabilities: chunk.probabilities,
      latencyMs: chunk.latencyMs,
      postedAtMs: chunk.postedAtMs,
    };
  }

  status(percentiles: (p: RollingPercentiles) => Percentiles): DecoderStatus {
    return { kind: this.info.kind, classes: this.info.classes, predictions: this.predictions, latencyMs: percentiles(this.latency), last: this.last };
  }
}
