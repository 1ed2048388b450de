// Pipeline stages follow the `process(input, output)` / `reset()` contract (as Timeflux and
// BCI2000 filters do); input and output may be the same block. This file holds the stage contract,
// the common average reference, and the design of a filter stage from its description (its
// sections and its key); the filter stages themselves run fused in filter-bank.ts.

import type { Block } from './block.js';
import type { StageDescription } from '../contract/pipeline.js';
import { butterSos } from '../dsp/butter.js';
import { notchSos } from '../dsp/notch.js';
import { cascadeSos } from '../dsp/sos.js';

export interface Stage {
  /** Identifies the stage's design (not its channel set): equal keys mean equal filters. */
  readonly key: string;
  process(input: Block, output: Block): void;
  reset(): void;
}

function copyChannel(input: Block, output: Block, c: number): void {
  if (input === output) return;
  const from = c * input.stride;
  output.data.set(input.data.subarray(from, from + input.rowCount), c * output.stride);
}

/** Common average reference over the channels marked in `eegMask`. */
export class CommonAverageStage implements Stage {
  readonly key = 'car';
  private readonly mean: Float64Array;

  constructor(
    private readonly eegMask: Uint8Array,
    capacityRows: number,
  ) {
    this.mean = new Float64Array(capacityRows);
  }

  process(input: Block, output: Block): void {
    const rowCount = input.rowCount;
    const mean = this.mean.length >= rowCount ? this.mean : new Float64Array(rowCount);
    mean.fill(0, 0, rowCount);
    let n = 0;
    for (let c = 0; c < input.channelCount; c++) {
      if (!this.eegMask[c]) continue;
      n++;
      const base = c * input.stride;
      for (let i = 0; i < rowCount; i++) mean[i] += input.data[base + i];
    }
    if (n > 0) for (let i = 0; i < rowCount; i++) mean[i] /= n;
    for (let c = 0; c < input.channelCount; c++) {
      const inBase = c * input.stride;
      const outBase = c * output.stride;
      if (!this.eegMask[c] || n === 0) {
        copyChannel(input, output, c);
        continue;
      }
      for (let i = 0; i < rowCount; i++) output.data[outBase + i] = input.data[inBase + i] - mean[i];
    }
    output.rowCount = rowCount;
  }

  reset(): void {}
}

/** The second-order sections a stage description stands for, at this sampling rate. */
export function stageSos(s: StageDescription, sampleRateHz: number): Float64Array {
  switch (s.kind) {
    case 'notch': {
      const parts: Float64Array[] = [];
      for (let k = 1; k <= s.harmonics + 1; k++) {
        const f = s.frequencyHz * k;
        if (f >= sampleRateHz / 2) break;
        parts.push(notchSos(f, s.q, sampleRateHz));
      }
      return cascadeSos(...parts);
    }
    case 'highpass':
    case 'lowpass':
      return butterSos(s.order, s.cutoffHz, s.kind, sampleRateHz);
    case 'bandpass':
    case 'bandstop':
      return butterSos(s.order, [s.lowHz, s.highHz], s.kind, sampleRateHz);
  }
}

/** The design key of a stage: two stages with the same key filter identically. */
export function stageKey(s: StageDescription): string {
  switch (s.kind) {
    case 'notch':
      return `notch:${s.frequencyHz}:${s.q}:${s.harmonics}`;
    case 'highpass':
    case 'lowpass':
      return `${s.kind}:${s.cutoffHz}:${s.order}`;
    case 'bandpass':
    case 'bandstop':
      return `${s.kind}:${s.lowHz}:${s.highHz}:${s.order}`;
  }
}
