// The ONNX pieces that need no runtime: the protobuf writer and reader (onnx-proto.ts) round-trip
// an exported model and refuse bytes that are not one; the model description (onnx-model.ts) reads
// metadata_props and sidecars, says what is missing, and refuses a mismatched stream with a
// sentence. Running models (onnxruntime, PyTorch, the onnx checker) is in
// tests/integration/decoding/onnx.test.ts.
import { describe, expect, it } from 'vitest';
import { linearAdamW, type LinearAdamWDecoder } from '../../../../electron/common/decoding/linear-adamw.js';
import { exportLinearAdamWOnnx } from '../../../../electron/common/decoding/onnx-export.js';
import { describeOnnxModel, streamChannelIndices } from '../../../../electron/common/decoding/onnx-model.js';
import { ONNX_DOUBLE, ONNX_FLOAT, OnnxFormatError, ProtoWriter, encodeOnnxModel, readOnnxModelInfo, type OnnxModelInfo } from '../../../../electron/common/decoding/onnx-proto.js';
import { Random } from '../../../../electron/common/random.js';

/** Band-power features (the model's default is CSP; these tests are about the optimiser and the export on few channels). */
const BAND_POWER = { kind: 'band-power' } as const;

function fittedModel(features: Record<string, unknown> = BAND_POWER): LinearAdamWDecoder {
  const random = new Random(1);
  const rows = 128;
  const epochs = Array.from({ length: 12 }, () => Float64Array.from({ length: 2 * rows }, () => random.nextGaussian()));
  const set = { channelCount: 2, rowCount: rows, sampleRateHz: 128, epochs, labels: Int32Array.from(epochs.keys(), (i) => i % 2), classes: ['left', 'right'] };
  return linearAdamW.fit(set, linearAdamW.parseOptions({ epochs: 3, features }), 1).decoder as LinearAdamWDecoder;
}

function windowModel(dims: (number | string)[], metadata: Record<string, string>, outputDims: (number | string)[] = ['batch', 2]): OnnxModelInfo {
  return readOnnxModelInfo(
    encodeOnnxModel({
      irVersion: 7,
      opsetVersion: 13,
      producerName: 'test',
      producerVersion: '',
      graphName: 'g',
      nodes: [{ opType: 'Identity', inputs: ['x'], outputs: ['y'] }],
      initializers: [{ name: 'unused', type: 'float32', dims: [1], values: [0] }],
      inputs: [
        { name: 'x', elementType: ONNX_FLOAT, dims },
        { name: 'unused', elementType: ONNX_FLOAT, dims: [1] },
      ],
      outputs: [{ name: 'y', elementType: ONNX_FLOAT, dims: outputDims }],
      metadata,
    }),
  );
}

describe('ONNX protobuf', () => {
  it('writes varints as protobuf does, negative numbers as 10-byte two’s complement', () => {
    expect(Array.from(new ProtoWriter().intField(1, 300).finish())).toEqual([0x08, 0xac, 0x02]);
    expect(Array.from(new ProtoWriter().intField(20, -1).finish())).toEqual([0xa0, 0x01, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]);
    expect(Array.from(new ProtoWriter().stringField(2, 'µV').finish())).toEqual([0x12, 0x03, 0xc2, 0xb5, 0x56]);
  });

  it('reads back what the export writes: versions, metadata, the input (not the initializers) and the output', () => {
    const model = fittedModel();
    for (const elementType of ['float32', 'float64'] as const) {
      const info = readOnnxModelInfo(exportLinearAdamWOnnx(model, { channelLabels: ['C3', 'C4'], sampleRateHz: 128, elementType, producerVersion: '0.1.0' }));
      expect(info.irVersion).toBe(7);
      expect(info.opsetVersion).toBe(13);
      expect(info.producerName).toBe('BCI Workstation');
      expect(info.producerVersion).toBe('0.1.0');
      const type = elementType === 'float32' ? ONNX_FLOAT : ONNX_DOUBLE;
      expect(info.inputs).toEqual([{ name: 'features', elementType: type, dims: ['N', 4], docString: expect.any(String) }]);
      expect(info.outputs).toEqual([{ name: 'probabilities', elementType: type, dims: ['N', 2] }]);
      expect(info.metadata).toMatchObject({ classes: '["left","right"]', channels: '["C3","C4"]', sample_rate_hz: '128', window_rows: '128', input: 'features', output: 'probabilities' });
      const d = describeOnnxModel(info);
      expect(d).toMatchObject({ input: 'features', featureCount: 4, windowRows: 128, feedDims: [1, 4], elementType });
      expect(d.features).toEqual(model.extractor.toJSON());
    }
  });

  it('declares fitted CSP features with their filters, so the model runs from its metadata alone', () => {
    const model = fittedModel({ kind: 'csp', components: 2 });
    const d = describeOnnxModel(readOnnxModelInfo(exportLinearAdamWOnnx(model, { channelLabels: ['C3', 'C4'], sampleRateHz: 128 })));
    expect(d.features).toEqual(model.extractor.toJSON());
    expect(d.features).toMatchObject({ kind: 'csp', components: 2, filters: expect.any(Array) });
    expect(d.featureCount).toBe(2);
  });

  it('refuses bytes that are not an ONNX model, with a sentence', () => {
    const bytes = exportLinearAdamWOnnx(fittedModel(), { channelLabels: ['C3', 'C4'], sampleRateHz: 128 });
    expect(() => readOnnxModelInfo(bytes.subarray(0, bytes.length - 7))).toThrow(OnnxFormatError);
    expect(() => readOnnxModelInfo(new Uint8Array(0))).toThrow(/not an ONNX model/);
    expect(() => readOnnxModelInfo(new TextEncoder().encode('{"version": 1, "kind": "csp-lda"}'))).toThrow(OnnxFormatError);
    const random = new Random(3);
    for (let i = 0; i < 200; i++) {
      const junk = Uint8Array.from({ length: 64 }, () => random.nextInt(256));
      try {
        readOnnxModelInfo(junk);
      } catch (error) {
        expect(error).toBeInstanceOf(OnnxFormatError);
      }
    }
  });
});

describe('ONNX model description', () => {
  const meta = { classes: '["30 Hz","20 Hz"]', channels: 'TP9, AF7, AF8, TP10', sample_rate_hz: '256' };

  it('takes window inputs [C, T], [N, C, T] and [N, 1, C, T] and feeds one window', () => {
    expect(describeOnnxModel(windowModel([4, 512], meta))).toMatchObject({ windowRows: 512, feedDims: [4, 512], channels: ['TP9', 'AF7', 'AF8', 'TP10'], input: 'window', output: 'probabilities' });
    expect(describeOnnxModel(windowModel(['batch', 4, 512], meta)).feedDims).toEqual([1, 4, 512]);
    expect(describeOnnxModel(windowModel([1, 1, 4, 'time'], { ...meta, window_rows: '640' })).feedDims).toEqual([1, 1, 4, 640]);
  });

  it('lets a sidecar fill in or override the metadata', () => {
    const d = describeOnnxModel(windowModel(['batch', 4, 256], {}), { classes: ['a', 'b'], channels: ['1', '2', '3', '4'], sampleRateHz: 250, output: 'logits' });
    expect(d).toMatchObject({ classes: ['a', 'b'], sampleRateHz: 250, output: 'logits' });
    expect(describeOnnxModel(windowModel(['batch', 4, 256], meta), { sampleRateHz: 250 }).sampleRateHz).toBe(250);
  });

  it('says what is missing or inconsistent', () => {
    expect(() => describeOnnxModel(windowModel([4, 256], {}))).toThrow(/does not declare its classes: add "classes" to its metadata_props or "classes" to a sidecar model.onnx.json/);
    expect(() => describeOnnxModel(windowModel([8, 256], meta))).toThrow(/takes 8 channels but it declares 4/);
    expect(() => describeOnnxModel(windowModel([4, 'time'], meta))).toThrow(/symbolic window length \(time\): declare window_rows/);
    expect(() => describeOnnxModel(windowModel([4, 256], { ...meta, window_rows: '512' }))).toThrow(/takes 256 rows but it declares a window of 512/);
    expect(() => describeOnnxModel(windowModel([2, 4, 256], meta))).toThrow(/batch of 1/);
    expect(() => describeOnnxModel(windowModel([4, 256], meta, ['batch', 3]))).toThrow(/gives 3 values per window but it declares 2 classes/);
    expect(() => describeOnnxModel(windowModel([4, 256], { ...meta, sample_rate_hz: 'fast' }))).toThrow(/sample rate must be a positive number/);
    expect(() => describeOnnxModel(windowModel([4, 256], meta), [1, 2])).toThrow(/sidecar .* JSON object/);
  });

  it('maps its channels into a stream and refuses a stream at another rate or without a channel', () => {
    const model = { channels: ['TP9', 'AF7', 'AF8', 'TP10'], sampleRateHz: 256 };
    expect(Array.from(streamChannelIndices(model, ['Right AUX', 'tp10', 'AF8', 'AF7', 'TP9'], 256))).toEqual([4, 3, 2, 1]);
    expect(() => streamChannelIndices(model, ['TP9', 'AF7', 'AF8', 'TP10'], 250)).toThrow('This model was trained at 256 Hz but the stream runs at 250 Hz: use a model trained at 250 Hz.');
    expect(() => streamChannelIndices(model, ['TP9', 'AF7', 'Fp1', 'Fp2'], 256)).toThrow('This model needs channels AF8, TP10, which the stream does not have (the stream has TP9, AF7, Fp1, Fp2).');
  });
});
