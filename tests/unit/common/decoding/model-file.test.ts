// The model file: round trip, and refusals as sentences (never a crash) for corrupt, foreign,
// newer or inconsistent files and for streams whose channels or rate do not match.
import { describe, expect, it } from 'vitest';
import { matchModelToStream, MODEL_FORMAT, parseModel, parseModelText, serializeModel, type ModelFile } from '../../../../electron/common/decoding/model-file.js';
import { EngineError } from '../../../../electron/common/contract/failure.js';

export function sampleModel(overrides: Partial<ModelFile> = {}): ModelFile {
  return {
    format: MODEL_FORMAT,
    version: 1,
    decoder: { kind: 'csp-lda', options: { shrinkage: 'auto' }, params: { filters: [[1, 0], [0, 1]], bias: 0.25, nested: { a: [1.5, -2] } } },
    classes: ['left', 'right'],
    channels: ['C3', 'C4'],
    sampleRateHz: 250,
    filters: { reference: 'none', stages: [{ kind: 'bandpass', lowHz: 8, highHz: 30, order: 4 }] },
    window: { startSec: 0.5, endSec: 2.5, rowCount: 500 },
    metrics: {
      accuracy: 0.9,
      kappa: 0.8,
      trials: 60,
      correct: 54,
      confusion: [[27, 3], [3, 27]],
      folds: 5,
      seed: 42,
      foldAccuracies: [1, 0.9, 0.8, 0.9, 0.9],
      itr: { bitsPerTrial: 0.531, bitsPerMinute: 15.9, trialSec: 2 },
    },
    training: { files: [{ name: 'S01.bdf', sha256: 'a'.repeat(64), epochs: 60 }], epochs: 60, rejected: { gap: 0, 'lost-rows': 0, railed: 1, incomplete: 0 }, createdAt: '2025-01-01T00:00:00.000Z' },
    software: { name: 'BCI Workstation', version: '0.1.0' },
    ...overrides,
  };
}

function refusal(f: () => unknown): EngineError {
  try {
    f();
  } catch (error) {
    expect(error).toBeInstanceOf(EngineError);
    return error as EngineError;
  }
  throw new Error('expected a refusal');
}

describe('model file', () => {
  it('round-trips through its text', () => {
    const model = sampleModel();
    const text = serializeModel(model);
    expect(text).toContain('"format": "bci-workstation-model"');
    expect(text).toMatch(/"filters": \[\n +\[1,0\],\n +\[0,1\]\n +\]/); // a row of numbers per line
    expect(parseModelText(text, 'm.json')).toEqual(model);
  });

  it('refuses what is not JSON, not a model, or newer, with sentences', () => {
    expect(refusal(() => parseModelText('{"format": "bci-work', 'm.json')).message).toMatch(/^m\.json is not a model file: it is not valid JSON/);
    expect(refusal(() => parseModelText('[1,2,3]', 'm.json')).message).toMatch(/is not a BCI Workstation model/);
    expect(refusal(() => parseModelText('{"kind": "csp"}', 'm.json')).message).toMatch(/its "format" is missing, not "bci-workstation-model"/);
    expect(refusal(() => parseModel({ format: 'onnx' }, 'x')).message).toMatch(/its "format" is "onnx"/);
    expect(refusal(() => parseModel({ ...sampleModel(), version: 7 }, 'm.json')).message).toMatch(/version 7 model file, newer than this workstation reads \(version 1\): update/);
    expect(refusal(() => parseModel({ ...sampleModel(), version: 'one' }, 'm.json')).kind).toBe('invalid-request');
  });

  it('refuses inconsistent content field by field', () => {
    const cases: [Partial<ModelFile> | Record<string, unknown>, RegExp][] = [
      [{ window: { startSec: 0.5, endSec: 2.5, rowCount: 499 } }, /window\.rowCount: 499 rows do not make a 0\.5-2\.5 s window at 250 Hz \(500 do\)/],
      [{ window: { startSec: 2, endSec: 1, rowCount: -250 } }, /window/],
      [{ classes: ['left', 'left'] }, /classes: class names must be distinct/],
      [{ classes: ['left'] }, /at least two classes/],
      [{ channels: ['C3', 'c3.'] }, /channel labels must be distinct/],
      [{ filters: { reference: 'none', stages: [{ kind: 'lowpass', cutoffHz: 200, order: 4 }] } }, /at or above the Nyquist/],
      [{ decoder: { kind: 'CSP LDA', options: {}, params: {} } }, /decoder\.kind/],
      [{ decoder: { kind: 'csp-lda', options: {}, params: { f: () => 1 } } }, /decoder\.params: must be plain JSON/],
      [{ metrics: { ...sampleModel().metrics!, confusion: [[1, 2, 3]] } }, /metrics\.confusion: the confusion matrix must be 2 × 2/],
      [{ training: { ...sampleModel().training, files: [{ name: 'a', sha256: 'xyz', epochs: 1 }] } }, /sha256/],
    ];
    for (const [change, message] of cases) {
      const e = refusal(() => parseModel({ ...sampleModel(), ...change }, 'm.json'));
      expect(e.kind).toBe('invalid-request');
      expect(e.message).toMatch(/^invalid model file m\.json: /);
      expect(e.message).toMatch(message);
    }
  });

  it('matches a stream by channel label (case and trailing dots aside), in the model order', () => {
    const model = sampleModel();
    const stream = { sampleRateHz: 250, channels: [{ label: 'Fp1' }, { label: 'c4..' }, { label: 'C3' }] };
    expect(matchModelToStream(model, stream)).toEqual([2, 1]);
  });

  it('refuses a stream at another rate or without a channel, saying what to do', () => {
    const model = sampleModel();
    const rate = refusal(() => matchModelToStream(model, { sampleRateHz: 500, channels: [{ label: 'C3' }, { label: 'C4' }] }, 'the Synthetic EEG stream'));
    expect(rate.message).toBe('the model was trained at 250 Hz but the Synthetic EEG stream runs at 500 Hz: use a model trained at 500 Hz (or set the board to 250 Hz)');
    const missing = refusal(() => matchModelToStream(model, { sampleRateHz: 250, channels: [{ label: 'C3' }, { label: 'Cz' }] }));
    expect(missing.message).toBe('the model needs channel C4, which this stream does not have (it has C3, Cz): use a model trained on this montage');
  });
});
