// `bci train`, `bci evaluate` and `bci replay --model` as a user runs them, on the synthetic board's
// motor imagery recorded by `bci record`: every trainable decoder in the registry (the test decoder
// plug-in until the real ones are merged) reaches ≥ 90 % cross-validated, on evaluation and online
// on replay, with the same predictions at 1× and at max speed; bad requests end in one line, exit 2.
import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bci } from '../../support/bci.js';
import { tempDir } from '../../support/tmp.js';
import { useTestDecoder } from '../../support/decoder-plugin.js';
import { MI_TRAIN_FLAGS, motorImagerySessions, trainableKinds } from '../../support/motor-imagery.js';
import { parseModelText } from '../../../electron/common/decoding/model-file.js';

const env = await useTestDecoder();
const dir = tempDir('bci-decoding-cli-');
const { training: TRAINING, heldOut: HELD_OUT } = motorImagerySessions(dir, 1, 480, 150);
const OTHER_MONTAGE = join(fileURLToPath(new URL('../../..', import.meta.url)), '..', 'shared', 'data', 'mne-python', 'edf', 'test.edf');

interface Report {
  accuracy: number;
  kappa: number;
  trials: number;
  correct: number;
  confusion: number[][];
  classes: string[];
  cvAccuracy?: number;
  folds?: number;
}

function oneLine(stderr: string): void {
  const lines = stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^bci: /);
}

describe.each(trainableKinds())('the %s decoder on synthetic motor imagery', (kind) => {
  const model = join(dir, `${kind}.json`);

  it('trains: ≥ 90 % cross-validated, the report and the model file say the same', async () => {
    const r = await bci(['train', TRAINING, '--decoder', kind, ...MI_TRAIN_FLAGS, '--folds', '5', '--seed', '42', '--out', model, '--json'], env);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as Report;
    expect(report.classes).toEqual(['left', 'right']);
    expect(report.folds).toBe(5);
    expect(report.cvAccuracy).toBe(report.accuracy);
    expect(report.accuracy).toBeGreaterThanOrEqual(0.9);
    expect(report.trials).toBe(report.confusion.flat().reduce((a, b) => a + b, 0));
    expect(report.correct).toBe(report.confusion[0][0] + report.confusion[1][1]);
    const file = parseModelText(readFileSync(model, 'utf8'), model);
    expect(file.decoder.kind).toBe(kind);
    expect(file.metrics?.accuracy).toBe(report.accuracy);
    expect(file.metrics?.confusion).toEqual(report.confusion);
    expect(file.channels).toEqual(['Fp1', 'Fp2', 'C3', 'C4', 'P7', 'P8', 'O1', 'O2']);
    expect(file.training.files[0]).toEqual({ name: 'train_eeg.bdf', sha256: createHash('sha256').update(readFileSync(TRAINING)).digest('hex'), epochs: report.trials });
  });

  it('the same seed trains the same cross-validation', async () => {
    const again = await bci(['train', TRAINING, '--decoder', kind, ...MI_TRAIN_FLAGS, '--seed', '42', '--out', join(dir, `${kind}-again.json`), '--json'], env);
    const first = parseModelText(readFileSync(model, 'utf8'), model);
    expect((JSON.parse(again.stdout) as Report).confusion).toEqual(first.metrics?.confusion);
  });

  it('evaluates on a held-out recording: ≥ 90 %', async () => {
    const r = await bci(['evaluate', model, HELD_OUT, '--json'], env);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as Report;
    expect(report.accuracy).toBeGreaterThanOrEqual(0.9);
    expect(report.trials).toBeGreaterThanOrEqual(15);
    const text = await bci(['evaluate', model, HELD_OUT], env);
    expect(text.stdout).toMatch(new RegExp(`^${kind} \\(${kind}\\.json\\) on ${report.trials} epochs from 1 file \\(heldout_eeg\\.bdf\\): accuracy [0-9.]+% \\(${report.correct} of ${report.trials} trials right\\), kappa`));
    expect(text.stdout).toMatch(/confusion \(rows: true class, columns: predicted\)\n +left +right\n  left +\d+ +\d+\n  right +\d+ +\d+/);
  });

  it('decodes a replay online as live: ≥ 90 % of the cues, one CSV row per prediction', async () => {
    const out = join(dir, `${kind}-predictions.csv`);
    const r = await bci(['replay', HELD_OUT, '--model', model, '--out', out, '--json'], env);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as Report & { predictions: number; latencyMs: { p50: number; p99: number } };
    expect(report.accuracy).toBeGreaterThanOrEqual(0.9);
    expect(report.latencyMs.p99).toBeGreaterThan(0);
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('sample_index,time_s,p_left,p_right,predicted');
    expect(lines.length - 1).toBe(report.predictions);
    const [index, time, pLeft, pRight, predicted] = lines[1].split(',');
    expect(Number(time)).toBeCloseTo(Number(index) / 250, 6);
    expect(Number(pLeft) + Number(pRight)).toBeCloseTo(1, 6);
    expect(predicted).toBe(Number(pLeft) >= Number(pRight) ? 'left' : 'right');
    // one every 0.1 s (25 samples at 250 Hz), on the window's last sample
    expect(Number(lines[2].split(',')[0]) - Number(index)).toBe(25);
    expect((Number(index) + 1) % 25).toBe(0);
  });

  // pacing is the replay's, not the decoder's: one decoder proves it (15 s of real time each)
  if (kind === trainableKinds()[0]) it('gives byte-identical predictions at 1× and at max speed', async () => {
    const paced = join(dir, `${kind}-1x.csv`);
    const fast = join(dir, `${kind}-max.csv`);
    const [a, b] = await Promise.all([
      bci(['replay', HELD_OUT, '--start', '135', '--speed', '1', '--model', model, '--out', paced], env),
      bci(['replay', HELD_OUT, '--start', '135', '--speed', 'max', '--model', model, '--out', fast], env),
    ]);
    expect(a.code).toBe(0);
    expect(b.code).toBe(0);
    expect(a.stdout).toMatch(/replay speed +1\.0 × real time/);
    const bytes = readFileSync(paced);
    expect(bytes.toString().split('\n').length).toBeGreaterThan(50);
    expect(bytes.equals(readFileSync(fast))).toBe(true);
  }, 30_000);
});

describe('decoding commands refuse bad requests in one line', () => {
  const kind = trainableKinds()[0];
  const model = join(dir, 'refusals.json');

  it('train: unknown decoder, missing flags, unknown classes, bad window, an existing output: exit 2', async () => {
    const cases: [string[], RegExp][] = [
      [['--decoder', 'quantum-svm', ...MI_TRAIN_FLAGS, '--out', model], /unknown decoder "quantum-svm": this build has/],
      [['--decoder', kind, '--window', '0.5-4', '--out', model], /--classes is required/],
      [['--decoder', kind, '--classes', 'left', '--window', '0.5-4', '--out', model], /--classes needs at least two event labels/],
      [['--decoder', kind, '--classes', 'T1,T2', '--window', '0.5-4', '--out', model], /no events labelled T1 or T2 in train_eeg\.bdf: its event labels are rest \(\d+\), left \(\d+\), right \(\d+\)/],
      [['--decoder', kind, '--classes', 'left,right', '--window', '4-0.5', '--out', model], /--window must end after it starts/],
      [['--decoder', kind, ...MI_TRAIN_FLAGS, '--folds', '1', '--out', model], /--folds needs an integer ≥ 2/],
      [['--decoder', kind, ...MI_TRAIN_FLAGS, '--folds', '100', '--out', model], /class left has \d+ epochs, fewer than the 100 folds/],
      [['--decoder', kind, ...MI_TRAIN_FLAGS, '--frequencies', '10,12,15', '--out', model], /--frequencies needs one frequency per class \(2: left, right\), got 3/],
      [['--decoder', kind, ...MI_TRAIN_FLAGS, '--channels', 'C3,Cz', '--out', model], /train_eeg\.bdf has no channel Cz/],
      [['--decoder', kind, ...MI_TRAIN_FLAGS, '--out', TRAINING], /already exists: choose another output name/],
      [['--decoder', kind, '--classes', 'left,right', '--window', '0.5-4', '--bandpass', '8-200', '--out', model], /the filters do not fit train_eeg\.bdf: the band-pass high edge 200 Hz is at or above the Nyquist/],
      [['--decoder', kind, ...MI_TRAIN_FLAGS, '--bogus', '--out', model], /bogus/],
    ];
    for (const [args, message] of cases) {
      const r = await bci(['train', TRAINING, ...args], env);
      expect(r.code, args.join(' ')).toBe(2);
      oneLine(r.stderr);
      expect(r.stderr, args.join(' ')).toMatch(message);
    }
  });

  it('evaluate and replay: a foreign or corrupt model is exit 2, a missing one exit 1, another montage refused', async () => {
    const good = join(dir, 'good.json');
    expect((await bci(['train', TRAINING, '--decoder', kind, ...MI_TRAIN_FLAGS, '--out', good], env)).code).toBe(0);
    const corrupt = join(dir, 'corrupt.json');
    writeFileSync(corrupt, readFileSync(good, 'utf8').slice(0, 200));
    const foreign = join(dir, 'foreign.json');
    writeFileSync(foreign, JSON.stringify({ name: 'some other tool', weights: [1, 2, 3] }));
    const fewer = join(dir, 'fewer_eeg.bdf');
    expect((await bci(['convert', HELD_OUT, fewer, '--channels', 'Fp1,Fp2,O1,O2'])).code).toBe(0);
    const cases: [string[], number, RegExp][] = [
      [['evaluate', good, fewer], 2, /^bci: fewer_eeg\.bdf has no channels C3, C4, P7, P8, which good\.json needs \(it has Fp1, Fp2, O1, O2\)$/m],
      [['replay', fewer, '--model', good], 2, /^bci: the model needs channels C3, C4, P7, P8, which the Playback: fewer_eeg\.bdf stream does not have \(it has Fp1, Fp2, O1, O2\): use a model trained on this montage$/m],
      [['evaluate', corrupt, HELD_OUT], 2, /corrupt\.json is not a model file: it is not valid JSON/],
      [['evaluate', foreign, HELD_OUT], 2, /foreign\.json is not a BCI Workstation model file/],
      [['evaluate', join(dir, 'nope.json'), HELD_OUT], 1, /cannot open the model .*nope\.json: no such file/],
      [['evaluate', good, OTHER_MONTAGE], 2, /test\.edf is sampled at 512 Hz but good\.json is at 250 Hz/],
      [['replay', OTHER_MONTAGE, '--model', good, '--json', '--out', join(dir, 'x.csv')], 2, /the model was trained at 250 Hz but the Playback: test\.edf stream runs at 512 Hz/],
      [['replay', HELD_OUT, '--model', good, '--smoothing', 'exp:-1'], 2, /--smoothing is none, exp:SECONDS/],
      [['replay', HELD_OUT, '--model', good, '--out', join(dir, 'p.bdf')], 2, /with --model, --out is the predictions file: it must end in \.csv/],
      [['replay', HELD_OUT, '--json'], 2, /--json goes with --model/],
    ];
    for (const [args, code, message] of cases) {
      const r = await bci(args, env);
      expect(r.code, args.join(' ')).toBe(code);
      oneLine(r.stderr);
      expect(r.stderr, args.join(' ')).toMatch(message);
    }
  });

  it('prints the text report of training', async () => {
    const r = await bci(['train', TRAINING, '--decoder', kind, ...MI_TRAIN_FLAGS, '--out', join(dir, 'text.json')], env);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^trained ${kind} on \\d+ epochs from 1 file \\(train_eeg\\.bdf\\): left, right\\n`));
    // the training file is cut from a longer run: a cue at its end may have an incomplete epoch, counted
    expect(r.stdout).toMatch(/\n {2}rejected {6}(none|1 \(incomplete 1\))\n/);
    expect(r.stdout).toMatch(/\ncross-validation, 5 folds \(seed 42\): accuracy [0-9.]+% \(\d+ of \d+ epochs right\), kappa [0-9.]+\n/);
    expect(r.stdout).toMatch(/\n {2}ITR {11}[0-9.]+ bits\/trial, [0-9.]+ bits\/min \(3\.50 s trials\)\n/);
    expect(r.stdout).toMatch(/\nmodel written to .*text\.json\n$/);
  });
});
