// ONNX both ways, against independent implementations:
//   1. PyTorch → workstation: small networks defined in the test and exported by torch.onnx.export
//      (opset 13) run in the engine's ONNX decoder (onnxruntime-node) with the outputs PyTorch
//      computes on the same windows, to 1e-5. One declares itself in metadata_props (added with
//      the onnx package) and ends in Softmax; the other declares itself in a sidecar
//      model.onnx.json, takes [N, 1, C, T] and gives logits.
//   2. workstation → ONNX: the exported linear-adamw model passes onnx.checker (full check); a
//      NumPy evaluation of its graph in Python (nodes interpreted from the file: Sub, Div, Gemm,
//      Softmax) and onnxruntime-node both give the TypeScript model's probabilities; and the
//      engine's ONNX decoder, fed raw windows, gives the TypeScript decoder's probabilities.
// Python's onnxruntime and onnx.reference are not packaged in Debian (onnx 1.12), hence the
// NumPy evaluation.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import type { EpochSet } from '../../../electron/common/decoding/decoder.js';
import { linearAdamW, type LinearAdamWDecoder } from '../../../electron/common/decoding/linear-adamw.js';
import { exportLinearAdamWOnnx } from '../../../electron/common/decoding/onnx-export.js';
import { Random } from '../../../electron/common/random.js';
import { OnnxDecoder } from '../../../native/onnx-decoder.js';
import { pythonHas, runPython } from '../../support/python.js';

/** Band-power features (the model's default is CSP; these tests are about the optimiser and the export on few channels). */
const BAND_POWER = { kind: 'band-power' } as const;
import { tempDir } from '../../support/tmp.js';

const CHANNELS = ['TP9', 'AF7', 'AF8', 'TP10'];
const RATE_HZ = 256;
const ROWS = 256;

const TORCH_EXPORT = `
import json, sys
import numpy as np
import torch
import onnx
folder, n = sys.argv[1], int(sys.argv[2])
windows = torch.from_numpy(np.fromfile(folder + '/windows.f32', dtype='<f4').reshape(n, 4, 256))
torch.manual_seed(0)
conv = torch.nn.Sequential(
    torch.nn.Conv1d(4, 6, 9, padding=4), torch.nn.ReLU(), torch.nn.AvgPool1d(8), torch.nn.Flatten(),
    torch.nn.Linear(6 * 32, 3), torch.nn.Softmax(dim=1)).eval()
flat = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(4 * 256, 16), torch.nn.Tanh(), torch.nn.Linear(16, 3)).eval()
with torch.no_grad():
    torch.onnx.export(conv, windows[:1], folder + '/conv.onnx', opset_version=13, input_names=['window'], output_names=['probabilities'],
                      dynamic_axes={'window': {0: 'batch'}, 'probabilities': {0: 'batch'}})
    torch.onnx.export(flat, windows[:1].unsqueeze(1), folder + '/flat.onnx', opset_version=13, input_names=['eeg'], output_names=['logits'],
                      dynamic_axes={'eeg': {0: 'batch'}, 'logits': {0: 'batch'}})
    conv_out = conv(windows).tolist()
    flat_out = flat(windows.unsqueeze(1)).tolist()
model = onnx.load(folder + '/conv.onnx')
for key, value in {'classes': json.dumps(['rest', 'left', 'right']), 'channels': json.dumps(['TP9', 'AF7', 'AF8', 'TP10']), 'sample_rate_hz': '256'}.items():
    entry = model.metadata_props.add()
    entry.key, entry.value = key, value
onnx.save(model, folder + '/conv.onnx')
json.dump({'classes': ['rest', 'left', 'right'], 'channels': ['TP9', 'AF7', 'AF8', 'TP10'], 'sampleRateHz': 256, 'output': 'logits'}, open(folder + '/flat.onnx.json', 'w'))
print(json.dumps({'conv': conv_out, 'flat': flat_out, 'torch': torch.__version__}))
`;

const ONNX_CHECK_AND_EVALUATE = `
import json, sys
import numpy as np
import onnx

from onnx import numpy_helper
path, features_path, n, f = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
model = onnx.load(path)
onnx.checker.check_model(model, full_check=True)
g = model.graph
values = {t.name: numpy_helper.to_array(t) for t in g.initializer}
dtype = {1: np.float32, 11: np.float64}[g.input[0].type.tensor_type.elem_type]
values[g.input[0].name] = np.fromfile(features_path, dtype='<f8').reshape(n, f).astype(dtype)
for node in g.node:
    a = {x.name: onnx.helper.get_attribute_value(x) for x in node.attribute}
    x = [values[i] for i in node.input]
    if node.op_type == 'Sub': y = x[0] - x[1]
    elif node.op_type == 'Div': y = x[0] / x[1]
    elif node.op_type == 'Gemm':
        A = x[0].T if a.get('transA', 0) else x[0]
        B = x[1].T if a.get('transB', 0) else x[1]
        y = a.get('alpha', 1.0) * (A @ B) + a.get('beta', 1.0) * x[2]
    elif node.op_type == 'Softmax':
        z = x[0] - x[0].max(axis=a.get('axis', -1), keepdims=True)
        e = np.exp(z)
        y = e / e.sum(axis=a.get('axis', -1), keepdims=True)
    else: raise SystemExit('unexpected op ' + node.op_type)
    values[node.output[0]] = y.astype(dtype)
print(json.dumps({'probabilities': values[g.output[0].name].astype(np.float64).tolist(),
                  'metadata': {p.key: p.value for p in model.metadata_props}, 'opset': model.opset_import[0].version, 'ir': model.ir_version}))
`;

function maxAbsDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}

describe.skipIf(!pythonHas('torch') || !pythonHas('onnx'))('ONNX: PyTorch models in the workstation, the workstation’s model in onnxruntime', () => {
  const dir = tempDir('bci-onnx-');

  it('networks exported by torch.onnx.export give PyTorch’s outputs in the ONNX decoder (1e-5)', async () => {
    const random = new Random(31);
    const n = 12;
    // float32 values, so PyTorch and the decoder see the very same numbers
    const windows = Array.from({ length: n }, () => Float64Array.from(new Float32Array(4 * ROWS).map(() => 20 * random.nextGaussian())));
    const flat = new Float32Array(n * 4 * ROWS);
    windows.forEach((w, i) => flat.set(w, i * w.length));
    writeFileSync(join(dir, 'windows.f32'), new Uint8Array(flat.buffer));
    const torch = runPython<{ conv: number[][]; flat: number[][]; torch: string }>(TORCH_EXPORT, [dir, String(n)]);

    const conv = await OnnxDecoder.load(join(dir, 'conv.onnx'));
    const logits = await OnnxDecoder.load(join(dir, 'flat.onnx'));
    try {
      expect(conv.description).toMatchObject({ classes: ['rest', 'left', 'right'], channels: CHANNELS, sampleRateHz: 256, windowRows: 256, feedDims: [1, 4, 256], output: 'probabilities' });
      expect(logits.description).toMatchObject({ feedDims: [1, 1, 4, 256], output: 'logits', inputName: 'eeg' });
      const p = new Float64Array(3);
      let worstConv = 0;
      let worstFlat = 0;
      for (let i = 0; i < n; i++) {
        await conv.predictProbaAsync(windows[i], p);
        worstConv = Math.max(worstConv, maxAbsDifference(p, torch.conv[i]));
        await logits.predictProbaAsync(windows[i], p);
        const z = torch.flat[i];
        const e = z.map((v) => Math.exp(v - Math.max(...z)));
        worstFlat = Math.max(worstFlat, maxAbsDifference(p, e.map((v) => v / e.reduce((a, b) => a + b, 0))));
      }
      console.log(`PyTorch ${torch.torch} → ONNX decoder: max |p − p_torch| ${worstConv.toExponential(2)} (conv, softmax in the graph), ${worstFlat.toExponential(2)} (logits, softmax here)`);
      expect(worstConv).toBeLessThan(1e-5);
      expect(worstFlat).toBeLessThan(1e-5);

      // the stream checks, with sentences
      expect(Array.from(conv.channelIndicesIn(['TP9', 'AF7', 'AF8', 'TP10', 'Right AUX'], 256))).toEqual([0, 1, 2, 3]);
      expect(() => conv.channelIndicesIn(['TP9', 'AF7', 'AF8', 'TP10'], 250)).toThrow(/trained at 256 Hz but the stream runs at 250 Hz/);
      expect(() => conv.channelIndicesIn(['Fp1', 'Fp2'], 256)).toThrow(/needs channels TP9, AF7, AF8, TP10/);
      await expect(conv.predictProbaAsync(new Float64Array(10), p)).rejects.toThrow(/4 channels × 256 rows/);
      // one prediction at a time
      const first = conv.predictProbaAsync(windows[0], p);
      await expect(conv.predictProbaAsync(windows[1], new Float64Array(3))).rejects.toThrow(/still running the previous window/);
      await first;
      expect(conv.toJSON()).toMatchObject({ file: 'conv.onnx', sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    } finally {
      await conv.release();
      await logits.release();
    }

    // without its sidecar, the logits model does not say what it is: refused with a sentence
    writeFileSync(join(dir, 'bare.onnx'), readFileSync(join(dir, 'flat.onnx')));
    await expect(OnnxDecoder.load(join(dir, 'bare.onnx'))).rejects.toThrow(/cannot use ONNX model bare.onnx: The ONNX model does not declare its classes/);
    writeFileSync(join(dir, 'broken.onnx'), readFileSync(join(dir, 'conv.onnx')).subarray(0, 500));
    await expect(OnnxDecoder.load(join(dir, 'broken.onnx'))).rejects.toThrow(/cannot (use|load) ONNX model broken.onnx/);
    await expect(OnnxDecoder.load(join(dir, 'missing.onnx'))).rejects.toThrow(/cannot open ONNX model .*missing.onnx: no such file/);
  });

  it('the exported linear-adamw model passes the onnx checker and gives the TypeScript probabilities in NumPy and onnxruntime', async () => {
    const random = new Random(5);
    const epochs: Float64Array[] = [];
    const labels: number[] = [];
    for (let t = 0; t < 40; t++) {
      const label = t % 2;
      const e = new Float64Array(4 * ROWS);
      for (let c = 0; c < 4; c++) {
        const amplitude = c === label ? 4 : 10;
        for (let r = 0; r < ROWS; r++) e[c * ROWS + r] = amplitude * Math.sin((2 * Math.PI * 10 * r) / RATE_HZ + t) + 3 * random.nextGaussian();
      }
      epochs.push(e);
      labels.push(label);
    }
    const set: EpochSet = { channelCount: 4, rowCount: ROWS, sampleRateHz: RATE_HZ, epochs, labels: Int32Array.from(labels), classes: ['left', 'right'] };
    const model = linearAdamW.fit(set, linearAdamW.parseOptions({ epochs: 50, features: BAND_POWER }), 9).decoder as LinearAdamWDecoder;
    const f = model.featureCount;
    const features = new Float64Array(epochs.length * f);
    epochs.forEach((e, i) => model.extractor.extract(e, features.subarray(i * f, (i + 1) * f)));
    writeFileSync(join(dir, 'features.f64'), new Uint8Array(features.buffer));
    const expected = epochs.map((_, i) => {
      const p = new Float64Array(2);
      model.probabilitiesOfFeatures(features.subarray(i * f, (i + 1) * f), p);
      return p;
    });

    const figures: string[] = [];
    for (const [elementType, tolerance] of [
      ['float64', 1e-12],
      ['float32', 1e-5],
    ] as const) {
      const bytes = exportLinearAdamWOnnx(model, { channelLabels: CHANNELS, sampleRateHz: RATE_HZ, elementType, producerVersion: 'test' });
      const path = join(dir, `linear-${elementType}.onnx`);
      writeFileSync(path, bytes);

      const numpy = runPython<{ probabilities: number[][]; metadata: Record<string, string>; opset: number; ir: number }>(ONNX_CHECK_AND_EVALUATE, [path, join(dir, 'features.f64'), String(epochs.length), String(f)]);
      expect(numpy.opset).toBe(13);
      expect(numpy.ir).toBe(7);
      expect(JSON.parse(numpy.metadata.classes)).toEqual(['left', 'right']);
      expect(JSON.parse(numpy.metadata.channels)).toEqual(CHANNELS);
      const worstNumpy = Math.max(...expected.map((p, i) => maxAbsDifference(p, numpy.probabilities[i])));

      const session = await ort.InferenceSession.create(bytes);
      const input = elementType === 'float32' ? Float32Array.from(features) : Float64Array.from(features);
      const out = (await session.run({ features: new ort.Tensor(elementType, input, [epochs.length, f]) })).probabilities.data as Float32Array | Float64Array;
      await session.release();
      const worstOrt = Math.max(...expected.map((p, i) => maxAbsDifference(p, out.subarray(i * 2, i * 2 + 2))));

      const decoder = await OnnxDecoder.load(path);
      const p = new Float64Array(2);
      const q = new Float64Array(2);
      let worstDecoder = 0;
      for (const e of epochs) {
        model.predictProba(e, p);
        await decoder.predictProbaAsync(e, q);
        worstDecoder = Math.max(worstDecoder, maxAbsDifference(p, q));
      }
      await decoder.release();
      figures.push(`${elementType}: NumPy ${worstNumpy.toExponential(2)}, onnxruntime ${worstOrt.toExponential(2)}, ONNX decoder on windows ${worstDecoder.toExponential(2)}`);
      expect(worstNumpy).toBeLessThan(tolerance);
      expect(worstOrt).toBeLessThan(tolerance);
      expect(worstDecoder).toBeLessThan(tolerance);
    }
    console.log(`linear-adamw → ONNX, max |p − p_TypeScript|: ${figures.join('; ')}`);
  });
});
