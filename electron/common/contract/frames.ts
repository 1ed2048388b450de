// Binary frames: the data plane between a host (Electron main, `bci serve`) and the renderer,
// identical over an Electron MessagePort and a WebSocket. Sample frames carry rows of samples;
// prediction frames carry a decoder's class probabilities, one row per prediction, with the sample
// index of the last row of the window it was made on. Little-endian:
//
//   offset  size  field
//   0       1     magic 0xB1
//   1       1     version (1)
//   2       1     kind (1 raw, 2 filtered, 3 prediction)
//   3       1     reserved (0)
//   4       2     channelCount (1..1024): channels, or classes for a prediction frame
//   6       2     strideRows: sample indices between consecutive rows (1 for samples, the decoder's
//                 step for predictions; 0, as written before predictions existed, reads as 1)
//   8       4     sampleCount (rows, ≤ MAX_FRAME_ROWS)
//   12      4     lostRows (rows the host's reader lost just before this frame; 0 for predictions)
//   16      8     firstSampleIndex (float64, an integer): row r is at firstSampleIndex + r·strideRows
//   24      4·n·c Float32 payload, rows interleaved (row r, channel c at r·channelCount + c); for a
//                 prediction frame the probability of class c (in the model's class order)

export const FRAME_MAGIC = 0xb1;
export const FRAME_VERSION = 1;
export const FRAME_HEADER_BYTES = 24;
export const MAX_FRAME_ROWS = 65536;
export const MAX_FRAME_CHANNELS = 1024;

export const FrameKind = { raw: 1, filtered: 2, prediction: 3 } as const;
export const MAX_FRAME_STRIDE_ROWS = 65535;
export type FrameKindName = keyof typeof FrameKind;

export interface SampleFrame {
  readonly kind: FrameKindName;
  readonly channelCount: number;
  readonly sampleCount: number;
  readonly lostRows: number;
  readonly firstSampleIndex: number;
  /** Sample indices between consecutive rows: 1 for samples, the decoder's step for predictions. */
  readonly strideRows: number;
  /** sampleCount × channelCount values, interleaved rows. A view into the frame's buffer. */
  readonly samples: Float32Array;
}

/** Encodes rows (Float64 or Float32, interleaved) into a new frame buffer. */
export function encodeFrame(
  kind: FrameKindName,
  firstSampleIndex: number,
  sampleCount: number,
  channelCount: number,
  rows: Float64Array | Float32Array,
  lostRows = 0,
  strideRows = 1,
): ArrayBuffer {
  if (!Number.isInteger(channelCount) || channelCount < 1 || channelCount > MAX_FRAME_CHANNELS) throw new RangeError(`frame: channel count ${channelCount} out of range`);
  if (!Number.isInteger(sampleCount) || sampleCount < 0 || sampleCount > MAX_FRAME_ROWS) throw new RangeError(`frame: sample count ${sampleCount} out of range`);
  if (!Number.isInteger(strideRows) || strideRows < 1 || strideRows > MAX_FRAME_STRIDE_ROWS) throw new RangeError(`frame: stride ${strideRows} out of range`);
  if (rows.length < sampleCount * channelCount) throw new RangeError(`frame: ${sampleCount} rows need ${sampleCount * channelCount} values, got ${rows.length}`);
  const buffer = new ArrayBuffer(FRAME_HEADER_BYTES + 4 * sampleCount * channelCount);
  const view = new DataView(buffer);
  view.setUint8(0, FRAME_MAGIC);
  view.setUint8(1, FRAME_VERSION);
  view.setUint8(2, FrameKind[kind]);
  view.setUint16(4, channelCount, true);
  view.setUint16(6, strideRows, true);
  view.setUint32(8, sampleCount, true);
  view.setUint32(12, Math.min(lostRows, 0xffffffff), true);
  view.setFloat64(16, firstSampleIndex, true);
  new Float32Array(buffer, FRAME_HEADER_BYTES, sampleCount * channelCount).set(rows.subarray(0, sampleCount * channelCount));
  return buffer;
}

/** Decodes and validates a frame; throws a RangeError that says what is wrong. */
export function decodeFrame(buffer: ArrayBuffer): SampleFrame {
  if (buffer.byteLength < FRAME_HEADER_BYTES) throw new RangeError(`frame: ${buffer.byteLength} bytes is shorter than the ${FRAME_HEADER_BYTES}-byte header`);
  const view = new DataView(buffer);
  if (view.getUint8(0) !== FRAME_MAGIC) throw new RangeError('frame: bad magic byte (not a sample frame)');
  if (view.getUint8(1) !== FRAME_VERSION) throw new RangeError(`frame: version ${view.getUint8(1)} is not supported (expected ${FRAME_VERSION})`);
  const kindCode = view.getUint8(2);
  const kind = (Object.keys(FrameKind) as FrameKindName[]).find((k) => FrameKind[k] === kindCode);
  if (!kind) throw new RangeError(`frame: unknown kind ${kindCode}`);
  const channelCount = view.getUint16(4, true);
  const strideRows = view.getUint16(6, true) || 1;
  const sampleCount = view.getUint32(8, true);
  const lostRows = view.getUint32(12, true);
  const firstSampleIndex = view.getFloat64(16, true);
  if (channelCount < 1 || channelCount > MAX_FRAME_CHANNELS) throw new RangeError(`frame: channel count ${channelCount} out of range`);
  if (sampleCount > MAX_FRAME_ROWS) throw new RangeError(`frame: sample count ${sampleCount} out of range`);
  if (!Number.isInteger(firstSampleIndex) || firstSampleIndex < 0) throw new RangeError('frame: the first sample index is not a whole number');
  const expected = FRAME_HEADER_BYTES + 4 * sampleCount * channelCount;
  if (buffer.byteLength !== expected) throw new RangeError(`frame: ${buffer.byteLength} bytes, but its header announces ${expected}`);
  return { kind, channelCount, sampleCount, lostRows, firstSampleIndex, strideRows, samples: new Float32Array(buffer, FRAME_HEADER_BYTES, sampleCount * channelCount) };
}
