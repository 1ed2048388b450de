// What `bci info` and `bci convert` say about what the readers decided (issue 14, reader side): an
// annotation-only EDF+ (a hypnogram) shows its events and converts to an events table; a mixed-rate
// EDF lists its rates and is not converted to one rate without a word; empty fields are counted;
// absurd headers are refused in one sentence with exit code 1.

import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bci } from '../../support/bci.js';
import { edfBytes, tal } from '../../support/format-builders.js';
import { tempDir } from '../../support/tmp.js';

const work = tempDir('bci-readers-cli-');

describe('bci info and convert say what the readers decided', () => {
  it('an annotation-only EDF+ (hypnogram): info lists the events, convert writes them to an events table', async () => {
    const path = join(work, 'hypnogram.edf');
    writeFileSync(
      path,
      edfBytes({
        variant: 'edf',
        reserved: 'EDF+C',
        records: 1,
        duration: 0,
        signals: [{ label: 'EDF Annotations', spr: 80, tal: () => tal(0, { onset: 0, duration: 30, texts: ['Sleep stage W'] }, { onset: 30, duration: 90, texts: ['Sleep stage 2'] }, { onset: 120, duration: 30, texts: ['Sleep stage R'] }) }],
      }),
    );
    const out = join(work, 'hypnogram_events.tsv');
    const [info, conv, csv] = await Promise.all([bci(['info', path]), bci(['convert', path, out]), bci(['convert', path, join(work, 'hypnogram.csv')])]);
    expect(info.code).toBe(0);
    expect(info.stdout).toMatch(/duration {4}150\.000 s \(0 samples\)/);
    expect(info.stdout).toMatch(/events {6}3:/);
    expect(info.stdout).toMatch(/30\.000 s {2}\(90\.000 s\) Sleep stage 2/);
    expect(conv.code).toBe(0);
    expect(conv.stdout).toMatch(/events table\): 3 events/);
    expect(readFileSync(out, 'utf8').split('\n').slice(0, 3)).toEqual(['onset\tduration\ttrial_type\tvalue\tsample', '0\t30\tannotation\tSleep stage W\tn/a', '30\t90\tannotation\tSleep stage 2\tn/a']);
    expect(csv.code).toBe(2);
    expect(csv.stderr).toMatch(/holds no samples, so there is nothing to convert \(it holds 3 events only: convert them with an OUT ending in _events\.tsv\)/);
  });

  it('a mixed-rate EDF: info says which channels are at which rate; convert refuses to drop the slow ones silently', async () => {
    const path = join(work, 'mixed.edf');
    writeFileSync(
      path,
      edfBytes({
        variant: 'edf',
        records: 4,
        duration: 1,
        signals: [
          { label: 'Fz', spr: 100, value: (r, i) => r * 100 + i },
          { label: 'Cz', spr: 100, value: (r, i) => -(r * 100 + i) },
          { label: 'Temp', unit: 'degC', spr: 1, value: (r) => r },
        ],
      }),
    );
    const [info, refused, chosen] = await Promise.all([
      bci(['info', path]),
      bci(['convert', path, join(work, 'mixed.csv')]),
      bci(['convert', path, join(work, 'mixed-chosen.csv'), '--channels', 'Fz,Cz']),
    ]);
    expect(info.stdout).toMatch(/rates {7}100 Hz: Fz, Cz; 1 Hz: Temp/);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/^bci: .*has 1 channel at another rate than its 100 Hz rows \(Temp \(1 Hz\)\) that CSV output cannot hold beside them: name the channels to convert with --channels/);
    expect(chosen.code).toBe(0);
  });

  it('empty fields are counted in info; an absurd EDF header is one sentence and exit code 1', async () => {
    const csv = join(work, 'holes.csv');
    let body = 'time,Fz,Cz\n';
    for (let r = 0; r < 500; r++) body += `${(r / 250).toFixed(3)},${r === 7 ? '' : r},${r === 9 || r === 11 ? 'NaN' : -r}\n`;
    writeFileSync(csv, body);
    const bad = join(work, 'absurd.edf');
    writeFileSync(bad, edfBytes({ variant: 'edf', records: 2, duration: '1e308', signals: [{ label: 'Fz', spr: 256 }] }));
    const [info, refused] = await Promise.all([bci(['info', csv]), bci(['info', bad])]);
    expect(info.stdout).toMatch(/missing {5}3 empty or non-numeric values \(Fz: 1, Cz: 2\)/);

    expect(refused.code).toBe(1);
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    expect(refused.stderr).toMatch(/absurd\.edf: EDF header: the data record duration "1e308" s is absurd/);
  });
});
