// One command line (issue: the operator's day): the same names for the same things, one exit-code
// rule (2 for a request that can never work as given), friendly limits, `bci --version`, and
// `bci help COMMAND` printing exactly what `bci COMMAND --help` prints.
import { describe, expect, it } from 'vitest';
import { copyFileSync, openSync, closeSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { bci, PACKAGE_ROOT, spawnBci } from '../support/bci.js';
import { tempDir } from '../support/tmp.js';
import { joinNegativeValues } from '../../electron/cli/argv.js';
import { layoutFromFlags } from '../../electron/cli/layout-args.js';

const EDF = join(PACKAGE_ROOT, '..', 'shared', 'data', 'mne-python', 'edf', 'test.edf');

function oneLine(stderr: string): string {
  const lines = stderr.trim().split('\n');
  expect(lines, stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^bci: /);
  return lines[0];
}

describe('one consistent command line', () => {
  it('bci --version prints the package version; bci help COMMAND is bci COMMAND --help', async () => {
    const version = (JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
    const [v, helpTrain, trainHelp, helpBoards, boardsHelp, helpNope] = await Promise.all([
      bci(['--version']),
      bci(['help', 'train']),
      bci(['train', '--help']),
      bci(['help', 'boards']),
      bci(['boards', '--help']),
      bci(['help', 'nope']),
    ]);
    expect(v.code).toBe(0);
    expect(v.stdout.trim()).toBe(`bci (BCI Workstation) ${version}`);
    // train's help lists the decoders of this build: `help train` used to print the bare text
    expect(trainHelp.stdout).toMatch(/Decoders in this build: .*onnx/);
    expect(helpTrain.stdout).toBe(trainHelp.stdout);
    expect(helpBoards.stdout).toBe(boardsHelp.stdout);
    expect(helpNope.code).toBe(2);
    expect(oneLine(helpNope.stderr)).toMatch(/unknown command "nope"/);
  });

  it('refuses with one sentence and exit 2: a negative duration, a high-pass above the low-pass, an unknown output format, an unknown layout', async () => {
    const dir = tempDir('bci-cli-consistency-');
    const cases: [string[], RegExp][] = [
      [['stream', '--duration', '-5'], /--duration needs a number of seconds above 0, got "-5"/],
      [['stream', '--lowpass', '40', '--highpass', '50', '--duration', '1'], /high-pass cut-off \(50 Hz\) is at or above the low-pass cut-off \(40 Hz\).*--bandpass 40-50/],
      [['convert', EDF, join(dir, 'out.wav')], /cannot tell the output format from "\.wav"/],
      [['info', EDF, '--layout', 'muse'], /--layout is cyton, cyton-daisy, ganglion; got "muse"/],
      [['info', EDF, '--layout', 'cyton', '--board', 'ganglion'], /--board is the older name of --layout/],
    ];
    const results = await Promise.all(cases.map(([args]) => bci(args)));
    results.forEach((r, i) => {
      expect(r.code, cases[i][0].join(' ')).toBe(2);
      expect(oneLine(r.stderr)).toMatch(cases[i][1]);
    });
    // --layout is read by info as by replay (a non-BrainFlow file ignores it)
    const info = await bci(['info', EDF, '--layout', 'cyton']);
    expect(info.code).toBe(0);
  });

  it('a replay at max speed prints no live-only clock figures (they described the machine, not a board)', async () => {
    const [replay, stream] = await Promise.all([bci(['replay', EDF, '--speed', 'max', '--quiet']), bci(['stream', '--board', 'synthetic', '--duration', '0.5', '--quiet'])]);
    expect(replay.code).toBe(0);
    expect(replay.stdout).toMatch(/timing +not paced by a device/);
    expect(replay.stdout).not.toMatch(/jitter|clock model/);
    expect(stream.stdout).toMatch(/effective rate .*clock model .*delivery jitter/);
  });

  it('bci serve takes --data-dir as record does', async () => {
    const dataDir = tempDir('bci-serve-data-');
    const child = spawnBci(['serve', '--port', '0', '--data-dir', dataDir]);
    let out = '';
    let err = '';
    child.stderr.on('data', (b: Buffer) => (err += b.toString()));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (b: Buffer) => {
        out += b.toString();
        if (/http:\/\/127\.0\.0\.1:\d+/.test(out)) resolve();
      });
      child.once('exit', (code) => reject(new Error(`bci serve ended (${code}): ${err}`)));
    });
    expect(err).toBe('');
    child.kill('SIGINT');
    await new Promise((resolve) => child.once('exit', resolve));
  });

  it('reads a negative number after a flag as its value, and one layout name everywhere', () => {
    expect(joinNegativeValues(['--duration', '-5', '--board', 'synthetic'])).toEqual(['--duration=-5', '--board', 'synthetic']);
    expect(joinNegativeValues(['--start', '-.5', '-h'])).toEqual(['--start=-.5', '-h']);
    // a flag followed by another flag is left alone
    expect(joinNegativeValues(['--json', '--quiet'])).toEqual(['--json', '--quiet']);
    expect(layoutFromFlags({ layout: 'ganglion' })).toBe('ganglion');
    expect(layoutFromFlags({ board: 'cyton-daisy' })).toBe('cyton-daisy');
    expect(layoutFromFlags({})).toBeUndefined();
  });

  it('bci info: a labelled channel table with numbers for people, declared or observed ranges said, and an unfinished recording sent to bci repair', async () => {
    const dir = tempDir('bci-info-');
    const bdf = join(dir, 'r_eeg.bdf');
    expect((await bci(['record', '--board', 'synthetic', '--unpaced', '--duration', '2', '--subject', 'S01', '--out', bdf])).code).toBe(0);
    const info = await bci(['info', bdf]);
    expect(info.code, info.stderr).toBe(0);
    expect(info.stdout).toMatch(/^ {6}# {2}label {12}type {3}unit {3}rate {5}range \(as the header declares it\)$/m);
    expect(info.stdout).toMatch(/^ {6}0 {2}Fp1 .* 250 Hz {3}-187 500 to 187 500$/m);
    expect(info.stdout).not.toMatch(/unfinished/);
    // a text file's range is what its values span, rounded for reading
    const csv = join(dir, 'r.csv');
    expect((await bci(['convert', bdf, csv])).code).toBe(0);
    const csvInfo = await bci(['info', csv]);
    expect(csvInfo.stdout).toMatch(/range \(of the values in the file\)$/m);
    expect(csvInfo.stdout).toMatch(/^ {6}0 {2}Fp1 .* -?\d+(\.\d{1,5})? to -?\d+(\.\d{1,5})?$/m);
    // cut off before it was closed: the header's record count is still -1
    const cut = join(dir, 'cut_eeg.bdf');
    copyFileSync(bdf, cut);
    const fd = openSync(cut, 'r+');
    writeSync(fd, Buffer.from('-1      ', 'latin1'), 0, 8, 236);
    closeSync(fd);
    const cutInfo = await bci(['info', cut]);
    expect(cutInfo.code).toBe(0);
    expect(cutInfo.stdout).toContain(`  unfinished  its header still says -1 records: it was cut off before it was closed: what is shown is what is on disk; run \`bci repair ${cut}\` to complete it`);
  });

  it('bci stream --mode mi: its cues in an _events.tsv beside a CSV file, as marker lines in JSON lines, and counted in the summary', async () => {
    const dir = tempDir('bci-stream-mi-');
    const csv = join(dir, 's.csv');
    const r = await bci(['stream', '--board', 'synthetic', '--mode', 'mi', '--unpaced', '--duration', '15', '--out', csv]);
    expect(r.code, r.stderr).toBe(0);
    const events = readFileSync(join(dir, 's_events.tsv'), 'utf8').trim().split('\n');
    expect(events[0]).toBe('onset\tduration\ttrial_type\tvalue\tsample');
    const cues = events.slice(1).map((line) => line.split('\t'));
    expect(cues.length).toBeGreaterThanOrEqual(4);
    expect(cues.map((c) => c[3])).toContain('rest');
    expect(cues.every((c) => ['rest', 'left', 'right'].includes(c[3]) && Number(c[0]) === Number(c[4]) / 250)).toBe(true);
    // each cue's sample is a row of the CSV
    const rows = new Set(readFileSync(csv, 'utf8').trim().split('\n').slice(1).map((line) => Number(line.split(',')[0])));
    expect(cues.every((c) => rows.has(Number(c[4])))).toBe(true);
    expect(r.stdout).toMatch(new RegExp(`^  markers {10}${cues.length}: rest \\d+, .* \\(in ${join(dir, 's_events.tsv').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\)$`, 'm'));

    // the workstation reads its own stream back: unix_time_s is its time column, the sidecar its events
    const info = await bci(['info', csv]);
    expect(info.code, info.stderr).toBe(0);
    expect(info.stdout).toContain(`  events      ${cues.length}:`);

    const jsonl = await bci(['stream', '--board', 'synthetic', '--mode', 'mi', '--unpaced', '--duration', '8', '--format', 'jsonl']);
    expect(jsonl.code, jsonl.stderr).toBe(0);
    const lines = jsonl.stdout.trim().split('\n').map((l) => JSON.parse(l) as { sampleIndex: number; time: number | null; marker?: string; values?: unknown });
    const markers = lines.filter((l) => l.marker !== undefined);
    expect(markers.map((m) => m.marker)[0]).toBe('rest');
    expect(markers.length).toBeGreaterThanOrEqual(2);
    // a marker line comes after its sample's row, with that row's time
    for (const m of markers) {
      const row = lines.find((l) => l.values !== undefined && l.sampleIndex === m.sampleIndex)!;
      expect(lines.indexOf(row)).toBeLessThan(lines.indexOf(m));
      expect(m.time).toBe(row.time);
    }
    expect(jsonl.stderr).toMatch(/^ {2}markers {10}\d+: rest \d+, .*\(marker lines in the output\)$/m);
  });

  it("a replay's samples lost agree with bci info's gaps", async () => {
    const dir = tempDir('bci-gaps-');
    const csv = join(dir, 'g.csv');
    const rows = ['sample_index,time_s,C3_uV,C4_uV'];
    for (const i of [...Array(500).keys(), ...Array.from({ length: 400 }, (_, k) => 600 + k)]) rows.push(`${i},${(i / 250).toFixed(6)},${Math.sin(i / 10).toFixed(3)},${Math.cos(i / 7).toFixed(3)}`);
    writeFileSync(csv, rows.join('\n') + '\n');
    const info = await bci(['info', csv]);
    expect(info.stdout).toMatch(/^ {2}gaps {8}1 \[2\.000 s, 0\.400 s missing\]$/m);
    const replay = await bci(['replay', csv, '--speed', 'max', '--quiet']);
    expect(replay.code, replay.stderr).toBe(0);
    expect(replay.stdout + replay.stderr).toMatch(/^ {2}samples lost {5}100 \(device gaps 100, reader overflows 0\)$/m);
  });
});
