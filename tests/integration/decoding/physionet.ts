// Shared by the decoding proofs: the imagined left/right fist epochs of PhysioNet EEGMMIDB subject
// S001 (runs 04 and 08, annotations T1/T2), read with the project's reader, band-passed 8-30 Hz
// by the project's causal Pipeline on the continuous signal (order 4, in 32-row blocks as the
// online path runs it), cut 1.0-2.0 s after each onset by sample index; a seeded stratified
// k-fold split computed here and handed to Python as is; and epochs written for Python as raw
// little-endian float64.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openRecording } from '../../../electron/engine/files/open-recording.js';
import { rowOfRecordingTime } from '../../../electron/common/formats/recording.js';
import { Pipeline } from '../../../electron/common/pipeline/pipeline.js';
import { createBlock } from '../../../electron/common/pipeline/block.js';
import { Random } from '../../../electron/common/random.js';
import type { EpochSet } from '../../../electron/common/decoding/decoder.js';
import { dataFile } from '../formats/reference.js';

export const RUNS = ['S001R04.edf', 'S001R08.edf'];
export const CLASSES = ['T1', 'T2'];
const WINDOW_SEC = [1.0, 2.0] as const;
const BLOCK_ROWS = 32;

export interface ImageryEpochs extends EpochSet {
  readonly channelLabels: readonly string[];
  /** Which run each epoch comes from (index into RUNS). */
  readonly runOfEpoch: Int32Array;
}

/** Reads, filters and epochs the two runs. */
export async function loadImageryEpochs(classes: readonly string[] = CLASSES): Promise<ImageryEpochs> {
  const epochs: Float64Array[] = [];
  const labels: number[] = [];
  const runs: number[] = [];
  let channelCount = 0;
  let sampleRateHz = 0;
  let channelLabels: string[] = [];
  let rowCount = 0;
  for (const [run, name] of RUNS.entries()) {
    const reader = await openRecording(dataFile('physionet-eegmmidb-S001', name));
    try {
      const { info } = reader;
      channelCount = info.rowChannels.length;
      sampleRateHz = info.sampleRateHz;
      channelLabels = info.rowChannels.map((c) => info.channels[c].label);
      const total = info.sampleCount;
      const rows = new Float64Array(total * channelCount);
      await reader.readRows(0, total, rows);
      // the continuous signal through the live filter, block by block
      const pipeline = new Pipeline({ reference: 'none', stages: [{ kind: 'bandpass', lowHz: 8, highHz: 30, order: 4 }] }, { sampleRateHz, channelCount, channelTypes: new Array<string>(channelCount).fill('eeg'), maxBlockRows: BLOCK_ROWS });
      const block = createBlock(channelCount, BLOCK_ROWS);
      const planar = new Float64Array(total * channelCount); // channel c at c·total
      for (let start = 0; start < total; start += BLOCK_ROWS) {
        const n = Math.min(BLOCK_ROWS, total - start);
        for (let c = 0; c < channelCount; c++) for (let r = 0; r < n; r++) block.data[c * BLOCK_ROWS + r] = rows[(start + r) * channelCount + c];
        block.rowCount = n;
        pipeline.process(block);
        for (let c = 0; c < channelCount; c++) planar.set(block.data.subarray(c * BLOCK_ROWS, c * BLOCK_ROWS + n), c * total + start);
      }
      const from = Math.round(WINDOW_SEC[0] * sampleRateHz);
      const to = Math.round(WINDOW_SEC[1] * sampleRateHz);
      rowCount = to - from;
      for (const event of info.events) {
        const label = classes.indexOf(event.label);
        if (label < 0) continue;
        const onset = rowOfRecordingTime(info, event.onsetSec);
        if (onset + to > total) continue;
        const epoch = new Float64Array(channelCount * rowCount);
        for (let c = 0; c < channelCount; c++) epoch.set(planar.subarray(c * total + onset + from, c * total + onset + to), c * rowCount);
        epochs.push(epoch);
        labels.push(label);
        runs.push(run);
      }
    } finally {
      await reader.close();
    }
  }
  return { channelCount, rowCount, sampleRateHz, epochs, labels: Int32Array.from(labels), classes, channelLabels, runOfEpoch: Int32Array.from(runs) };
}

/**
 * Stratified k-fold assignment: each class's epochs shuffled with a seeded generator
 * (Fisher-Yates), then dealt to folds 0, 1, …, k−1 in turn. Returns the fold of every epoch.
 */
export function stratifiedFolds(labels: Int32Array, k: number, seed: number): Int32Array {
  const random = new Random(seed);
  const folds = new Int32Array(labels.length);
  const classCount = Math.max(...labels) + 1;
  let next = 0;
  for (let c = 0; c < classCount; c++) {
    const members: number[] = [];
    labels.forEach((y, i) => {
      if (y === c) members.push(i);
    });
    for (let i = members.length - 1; i > 0; i--) {
      const j = random.nextInt(i + 1);
      [members[i], members[j]] = [members[j], members[i]];
    }
    // continue dealing where the previous class stopped, so fold sizes differ by at most one
    for (const m of members) folds[m] = next++ % k;
  }
  return folds;
}

/** The epochs of `set` in `indices`, as an EpochSet. */
export function subset(set: EpochSet, indices: readonly number[]): EpochSet {
  return { ...set, epochs: indices.map((i) => set.epochs[i]), labels: Int32Array.from(indices, (i) => set.labels[i]) };
}

/** Writes the epochs as raw little-endian float64, epoch-major then channel-major (numpy shape (n, channels, rows)). */
export function writeEpochs(dir: string, set: EpochSet, name = 'epochs.f64'): string {
  const all = new Float64Array(set.epochs.length * set.channelCount * set.rowCount);
  set.epochs.forEach((e, i) => all.set(e, i * e.length));
  const path = join(dir, name);
  writeFileSync(path, new Uint8Array(all.buffer));
  return path;
}

export function accuracy(predicted: ArrayLike<number>, truth: ArrayLike<number>): number {
  let right = 0;
  for (let i = 0; i < truth.length; i++) if (predicted[i] === truth[i]) right++;
  return right / truth.length;
}
