// A block of samples as the pipeline stages see it: planar (channel-major), so each channel's
// samples are contiguous for the filters: channel c occupies data[c·stride … c·stride + frames).

export interface Block {
  readonly data: Float64Array;
  readonly channelCount: number;
  /** Samples per channel in this block. */
  frames: number;
  /** Distance between channels in `data` (≥ frames; the block's capacity per channel). */
  readonly stride: number;
}

export function createBlock(channelCount: number, capacityFrames: number): Block {
  return { data: new Float64Array(channelCount * capacityFrames), channelCount, frames: 0, stride: capacityFrames };
}

/** Interleaved rows (row-major) → planar block. */
export function deinterleave(rows: Float64Array, rowCount: number, block: Block): void {
  const channels = block.channelCount;
  const stride = block.stride;
  const data = block.data;
  for (let c = 0; c < channels; c++) {
    const base = c * stride;
    for (let r = 0, i = c; r < rowCount; r++, i += channels) data[base + r] = rows[i];
  }
  block.frames = rowCount;
}

/** Planar block → interleaved rows (row-major). */
export function interleave(block: Block, rows: Float64Array | Float32Array): void {
  const channels = block.channelCount;
  const stride = block.stride;
  const frames = block.frames;
  const data = block.data;
  for (let c = 0; c < channels; c++) {
    const base = c * stride;
    for (let r = 0, i = c; r < frames; r++, i += channels) rows[i] = data[base + r];
  }
}
