// Epochs from a real file: an EDF+D recording built byte by byte with a discontinuity, a lost-rows
// annotation, a railed sample and an event too close to the end. Each rejection is counted under its
// reason, the kept epochs are the file's rows (behind the filters), and `bci train` reports it.
import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { edfBytes, tal } from '../../../support/format-builders.js';
import { tempDir } from '../../../support/tmp.js';
import { epochRecordings, describeRejections } from '../../../../electron/engine/decoding/recordings.js';
import { EMPTY_PIPELINE } from '../../../../electron/common/contract/pipeline.js';
import { bci } from '../../../support/bci.js';
import { useTestDecoder, TEST_DECODER_KIND } from '../../../support/decoder-plugin.js';

const RATE = 100;
const DIG_PER_UV = 65535 / 2000;
/** Digital value of row `row` (of the file's rows) of channel k: a slow wave, plus one railed sample. */
function digital(row: number, k: number): number {
  if (k === 1 && row === 350) return 32767;
  return Math.round(Math.sin(row * 0.05 + k) * 50 * DIG_PER_UV);
}

function recording(dir: string): string {
  // 20 one-second records; records 10.. start at 12 s: a 2 s discontinuity before row 1000
  const onsetOf = (rec: number) => (rec < 10 ? rec : rec + 2);
  const events = [
    { onset: 1, texts: ['a'] }, // rows 100-199: kept
    { onset: 3, texts: ['b'] }, // rows 300-399: railed at 350
    { onset: 5, texts: ['a'] }, // rows 500-599: lost rows 550-574
    { onset: 5.5, duration: 0.25, texts: ['gap: 25 samples lost'] },
    { onset: 7, texts: ['rest'] }, // not a class
    { onset: 9.5, texts: ['b'] }, // rows 950-1049: across the discontinuity
    { onset: 13, texts: ['a'] }, // row 1100: kept
    { onset: 15, texts: ['b'] }, // row 1300: kept
    { onset: 16.5, texts: ['b'] }, // row 1450: kept
    { onset: 17.5, texts: ['a'] }, // row 1550: kept
    { onset: 21.5, texts: ['b'] }, // row 1950: runs past the end (2000 rows)
  ];
  const bytes = edfBytes({
    variant: 'edf',
    reserved: 'EDF+D',
    records: 20,
    duration: 1,
    signals: [
      { label: 'C3', physMin: -1000, physMax: 1000, spr: RATE, value: (rec, i) => digital(rec * RATE + i, 0) },
      { label: 'C4', physMin: -1000, physMax: 1000, spr: RATE, value: (rec, i) => digital(rec * RATE + i, 1) },
      { label: 'EDF Annotations', spr: 200, tal: (rec) => (rec === 0 ? tal(0, ...events) : tal(onsetOf(rec))) },
    ],
  });
  const path = join(dir, 'rejections.edf');
  writeFileSync(path, bytes);
  return path;
}

describe('epochRecordings', () => {
  it('counts each rejection under its reason and keeps the others, the file’s own rows', async () => {
    const dir = tempDir();
    const path = recording(dir);
    const data = await epochRecordings([path], { classes: ['a', 'b'], window: { startSec: 0, endSec: 1 }, filters: EMPTY_PIPELINE });
    expect(data.rejected).toEqual({ gap: 1, 'lost-rows': 1, railed: 1, incomplete: 1 });
    expect(describeRejections(data.rejected)).toBe('4 (gap 1, lost-rows 1, railed 1, incomplete 1)');
    expect(data.eventsPerClass).toEqual([4, 5]);
    expect([...data.set.labels]).toEqual([0, 0, 1, 1, 0]);
    expect(data.channels).toEqual(['C3', 'C4']);
    expect(data.set).toMatchObject({ channelCount: 2, rowCount: 100, sampleRateHz: RATE });
    const uv = (d: number) => -1000 + (d + 32768) * (2000 / 65535);
    [100, 1100, 1300].forEach((first, e) => {
      for (const r of [0, 37, 99]) {
        expect(data.set.epochs[e][r]).toBeCloseTo(uv(digital(first + r, 0)), 9);
        expect(data.set.epochs[e][100 + r]).toBeCloseTo(uv(digital(first + r, 1)), 9);
      }
    });
    expect(data.files).toEqual([{ name: 'rejections.edf', path, sha256: createHash('sha256').update(readFileSync(path)).digest('hex'), epochs: 5, eventsPerClass: [4, 5], rejected: data.rejected }]);
  });

  it('refuses classes with no events, saying which labels there are', async () => {
    const path = recording(tempDir());
    await expect(epochRecordings([path], { classes: ['left', 'right'], window: { startSec: 0, endSec: 1 }, filters: EMPTY_PIPELINE })).rejects.toThrow(
      /^no events labelled left or right in rejections\.edf: its event labels are a \(4\), b \(5\), gap: 25 samples lost \(1\), rest \(1\)/,
    );
  });

  it('`bci train` reports the rejections', async () => {
    const env = await useTestDecoder();
    const dir = tempDir();
    const path = recording(dir);
    const r = await bci(['train', path, '--decoder', TEST_DECODER_KIND, '--classes', 'a,b', '--window', '0-1', '--folds', '2', '--out', join(dir, 'm.json')], env);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^trained test-log-variance on 5 epochs from 1 file \(rejections\.edf\): a, b\n/);
    expect(r.stdout).toMatch(/\n {2}rejected {6}4 \(gap 1, lost-rows 1, railed 1, incomplete 1\)\n/);
    const json = await bci(['train', path, '--decoder', TEST_DECODER_KIND, '--classes', 'a,b', '--window', '0-1', '--folds', '2', '--out', join(dir, 'm2.json'), '--json'], env);
    expect(JSON.parse(json.stdout)).toMatchObject({ epochs: 5, rejected: { gap: 1, 'lost-rows': 1, railed: 1, incomplete: 1 }, folds: 2, trials: 5 });
    // with --folds 3 class b (2 epochs) is too small: said in one line, exit 2
    const few = await bci(['train', path, '--decoder', TEST_DECODER_KIND, '--classes', 'a,b', '--window', '0-1', '--folds', '3', '--out', join(dir, 'm3.json')], env);
    expect(few.code).toBe(2);
    expect(few.stderr).toBe('bci: class b has 2 epochs, fewer than the 3 folds: record more trials of it or use fewer folds\n');
  });
});
