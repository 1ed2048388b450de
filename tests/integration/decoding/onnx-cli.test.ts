// The onnx decoder kind as a user runs it: a linear-adamw model trained by `bci train` on the
// synthetic board's motor imagery, exported by `bci export-onnx`, wrapped back with
// `bci train --decoder onnx --onnx` (its accuracy on the recording, the filters and window given),
// then evaluated and decoded online by `bci replay --model` through onnxruntime in the pipeline
// worker. Independent check: the ONNX path must give the TypeScript model's predictions, row for
// row (float64 export: to 1e-9), and its evaluation the same confusion matrix. A changed ONNX file,
// wrong classes, a wrong window and a missing --onnx are refused in one line, exit 2.
import { describe, expect, it } from 'vitest';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bci } from '../../support/bci.js';
import { tempDir } from '../../support/tmp.js';
import { MI_TRAIN_FLAGS, motorImagerySessions } from '../../support/motor-imagery.js';
import { parseModelText } from '../../../electron/common/decoding/model-file.js';

const dir = tempDir('bci-onnx-cli-');
const { training: TRAINING, heldOut: HELD_OUT } = motorImagerySessions(dir, 3, 300, 120);

interface Report {
  accuracy: number;
  confusion: number[][];
  trials: number;
  classes: string[];
  cvAccuracy?: number;
  folds?: number;
  predictions?: number;
}

function oneLine(stderr: string): string {
  const lines = stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^bci: /);
  return lines[0];
}

function predictionRows(path: string): number[][] {
  return readFileSync(path, 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => line.split(',').slice(0, 4).map(Number));
}

describe('the onnx decoder from the command line', () => {
  const adamw = join(dir, 'adamw.json');
  const onnx = join(dir, 'adamw.onnx');
  const wrapped = join(dir, 'wrapped.json');

  it('exports a linear-adamw model, wraps it back with its accuracy, and runs it as the TypeScript model does', async () => {
    const trained = await bci(['train', TRAINING, '--decoder', 'linear-adamw', ...MI_TRAIN_FLAGS, '--out', adamw, '--json']);
    expect(trained.stderr).toBe('');
    expect(trained.code).toBe(0);

    const exported = await bci(['export-onnx', adamw, onnx, '--float64', '--json']);
    expect(exported.stderr).toBe('');
    expect(JSON.parse(exported.stdout)).toMatchObject({ out: onnx, elementType: 'float64', classes: ['left', 'right'], sampleRateHz: 250 });
    expect(readFileSync(onnx).length).toBeGreaterThan(100);

    const wrap = await bci(['train', TRAINING, '--decoder', 'onnx', '--onnx', onnx, ...MI_TRAIN_FLAGS, '--out', wrapped, '--json']);
    expect(wrap.stderr).toBe('');
    expect(wrap.code).toBe(0);
    const report = JSON.parse(wrap.stdout) as Report;
    expect(report.classes).toEqual(['left', 'right']);
    expect(report.folds).toBe(5);
    expect(report.trials).toBeGreaterThan(20);
    // nothing is fitted: the folds only split the scoring; this model saw these epochs in training
    expect(report.accuracy).toBeGreaterThanOrEqual(0.9);
    const model = parseModelText(readFileSync(wrapped, 'utf8'), wrapped);
    expect(model.decoder.kind).toBe('onnx');
    expect(model.decoder.params).toMatchObject({ file: onnx, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(model.filters.stages).toHaveLength(1);

    // evaluation: the same confusion matrix as the TypeScript model's
    const [viaOnnx, viaTs] = await Promise.all([bci(['evaluate', wrapped, HELD_OUT, '--json']), bci(['evaluate', adamw, HELD_OUT, '--json'])]);
    expect(viaOnnx.stderr).toBe('');
    expect((JSON.parse(viaOnnx.stdout) as Report).confusion).toEqual((JSON.parse(viaTs.stdout) as Report).confusion);

    // online, in the pipeline worker: the same predictions, row for row
    const a = join(dir, 'onnx.csv');
    const b = join(dir, 'ts.csv');
    const [onlineOnnx, onlineTs] = await Promise.all([bci(['replay', HELD_OUT, '--model', wrapped, '--out', a, '--json']), bci(['replay', HELD_OUT, '--model', adamw, '--out', b, '--json'])]);
    expect(onlineOnnx.stderr).toBe('');
    expect(onlineOnnx.code).toBe(0);
    const onnxRows = predictionRows(a);
    const tsRows = predictionRows(b);
    expect(onnxRows.length).toBeGreaterThan(500);
    expect(onnxRows.length).toBe(tsRows.length);
    let worst = 0;
    onnxRows.forEach((row, i) => {
      expect(row[0]).toBe(tsRows[i][0]);
      worst = Math.max(worst, Math.abs(row[2] - tsRows[i][2]), Math.abs(row[3] - tsRows[i][3]));
    });
    console.log(`onnx vs TypeScript online over ${onnxRows.length} predictions: max |Δp| ${worst.toExponential(2)}; accuracy ${(JSON.parse(onlineOnnx.stdout) as Report).accuracy}`);
    expect(worst).toBeLessThan(1e-9);
    expect((JSON.parse(onlineOnnx.stdout) as Report).accuracy).toBe((JSON.parse(onlineTs.stdout) as Report).accuracy);

    // a .onnx file is a model on its own too (what it declares, no filters)
    const bare = await bci(['evaluate', onnx, HELD_OUT, '--json']);
    expect(bare.stderr).toBe('');
    expect((JSON.parse(bare.stdout) as Report).classes).toEqual(['left', 'right']);
  }, 120_000);

  it('moves with its ONNX file, and refuses one that changed since it was wrapped', async () => {
    // the pair moved together to another folder: the ONNX file is found beside the model file
    const moved = tempDir('bci-onnx-moved-');
    const text = readFileSync(wrapped, 'utf8').replaceAll(JSON.stringify(onnx), JSON.stringify('/nowhere/adamw.onnx'));
    expect(text).not.toContain(onnx);
    writeFileSync(join(moved, 'wrapped.json'), text);
    copyFileSync(onnx, join(moved, 'adamw.onnx'));
    const found = await bci(['evaluate', join(moved, 'wrapped.json'), HELD_OUT, '--json']);
    expect(found.stderr).toBe('');
    expect(found.code).toBe(0);
    // another model's bytes under the same name
    const other = join(moved, 'other.onnx');
    expect((await bci(['export-onnx', adamw, other])).code).toBe(0);
    copyFileSync(other, join(moved, 'adamw.onnx'));
    const changed = await bci(['evaluate', join(moved, 'wrapped.json'), HELD_OUT]);
    expect(changed.code).toBe(2);
    expect(oneLine(changed.stderr)).toMatch(/has changed since this model was made \(its SHA-256 differs\)/);
  }, 60_000);

  it('refuses a missing --onnx, classes in another order, a window of another length, a non-linear model to export: one line, exit 2', async () => {
    const cases: [string[], RegExp][] = [
      [['train', TRAINING, '--decoder', 'onnx', ...MI_TRAIN_FLAGS, '--out', join(dir, 'x1.json')], /--decoder onnx needs --onnx FILE/],
      [['train', TRAINING, '--decoder', 'onnx', '--onnx', onnx, '--classes', 'right,left', '--window', '0.5-4', '--out', join(dir, 'x2.json')], /gives the classes left, right in that order: pass --classes left,right/],
      [['train', TRAINING, '--decoder', 'onnx', '--onnx', onnx, '--classes', 'left,right', '--window', '0.5-3', '--out', join(dir, 'x3.json')], /takes windows of 875 samples \(3\.5 s at 250 Hz\).*choose a window 3\.5 s long/],
      [['export-onnx', wrapped, join(dir, 'x4.onnx')], /is a onnx model: only linear-adamw models export to ONNX/],
      [['export-onnx', adamw, onnx], /already exists/],
    ];
    const results = await Promise.all(cases.map(([args]) => bci(args)));
    results.forEach((r, i) => {
      expect(r.code, cases[i][0].join(' ')).toBe(2);
      expect(oneLine(r.stderr)).toMatch(cases[i][1]);
    });
  }, 60_000);
});
