// A block of samples as the pipeline stages see it: planar (channel-major), so each channel's
// samples are contiguous for the filters: channel c occupies data[c·stride … c·stride + rowCount).

export interface Block {
  readonly data: Float64Array;
  readonly channelCount: number;
  /** Samples per channel in this block. */
  rowCount: number;
  /** Distance between channels in `data` (≥ rowCount; the block's capacity per channel). */
  readonly stride: number;
}

export function createBlock(channelCount: number, capacityRows: number): Block {
  return { data: new Float64Array(channelCount * capacityRows), channelCount, rowCount: 0, stride: capacityRows };
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
  block.rowCount = rowCount;
}

/** Planar block → interleaved rows (row-major). */
export function interleave(block: Block, rows: Float64Array | Float32Array): void {
  const channels = block.channelCount;
  const stride = block.stride;
  const rowCount = block.rowCount;
  const data = block.data;
  for (let c = 0; c < channels; c++) {
    const base = c * stride;
    for (let r = 0, i = c; r < rowCount; r++, i += channels) rows[i] = data[base + r];
  }
}
