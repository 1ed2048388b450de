// The `bci` command line as a user runs it: a real subprocess through bin/bci.js.
import { describe, expect, it } from 'vitest';
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { bci } from '../support/bci.js';
import { tempDir } from '../support/tmp.js';

describe('bci CLI', () => {
  it('streams filtered synthetic EEG in real time and ends with a truthful summary', async () => {
    const t0 = Date.now();
    const { code, stdout, stderr } = await bci(['stream', '--board', 'synthetic', '--duration', '3', '--bandpass', '1-40', '--notch', '50']);
    const wallSec = (Date.now() - t0) / 1000;
    expect(code).toBe(0);
    const lines = stdout.trim().split('\n');
    expect(lines[0]).toBe('sample_index,unix_time_s,Fp1_uV,Fp2_uV,C3_uV,C4_uV,P7_uV,P8_uV,O1_uV,O2_uV');
    expect(lines.length).toBe(1 + 750);
    expect(lines[1].startsWith('0,')).toBe(true);
    expect(lines[750].startsWith('749,')).toBe(true);
    // band-passed: no 1000 µV electrode offset survives
    const values = lines.slice(200).flatMap((l) => l.split(',').slice(2).map(Number));
    expect(Math.max(...values.map(Math.abs))).toBeLessThan(400);
    expect(stderr).toMatch(/750 samples received/);
    expect(stderr).toMatch(/samples lost +0 \(device gaps 0, reader overflows 0\)/);
    expect(stderr).toMatch(/worker latency +p50 [0-9.]+ ms, p99 [0-9.]+ ms/);
    const rate = Number(/effective rate +([0-9.]+) Hz/.exec(stderr)?.[1]);
    expect(rate).toBeGreaterThan(240);
    expect(rate).toBeLessThan(260);
    expect(wallSec).toBeGreaterThan(2.9); // paced by the clock, not as fast as possible
  });

  it('writes JSON lines to a file, unpaced, and never overwrites it', async () => {
    const dir = tempDir('bci-cli-');
    const out = join(dir, 'x.jsonl');
    const first = await bci(['stream', '--duration', '4', '--unpaced', '--channels', '16', '--rate', '500', '--format', 'jsonl', '--out', out, '--car', '--highpass', '1', '--order', '2']);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/2000 samples received/);
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    expect(lines.length).toBe(2000);
    const row = JSON.parse(lines[1999]) as { sampleIndex: number; values: number[] };
    expect(row.sampleIndex).toBe(1999);
    expect(row.values.length).toBe(16);
    const again = await bci(['stream', '--duration', '1', '--unpaced', '--out', out]);
    expect(again.code).not.toBe(0);
    expect(again.stderr).toMatch(/exists/);
    expect(existsSync(out)).toBe(true);
    expect(readFileSync(out, 'utf8').trim().split('\n').length).toBe(2000);
  });

  it('lists boards and shows help', async () => {
    const boards = await bci(['boards']);
    expect(boards.code).toBe(0);
    expect(boards.stdout).toMatch(/^synthetic +Synthetic EEG/m);
    const help = await bci(['--help']);
    expect(help.stdout).toMatch(/Usage: bci <command>/);
    const streamHelp = await bci(['stream', '--help']);
    expect(streamHelp.stdout).toMatch(/--bandpass LO-HI/);
  });

  it.each([
    [['stream', '--board', 'nope', '--duration', '1'], /unknown board "nope"/],
    [['stream', '--bandpass', '40-1', '--duration', '1'], /low edge \(40 Hz\) must be below the high edge \(1 Hz\)/],
    [['stream', '--lowpass', '200', '--duration', '1'], /Nyquist/],
    [['stream', '--order', '0', '--bandpass', '1-40', '--duration', '1'], /--order must be 1 to 8/],
    [['stream', '--channels', '65', '--duration', '1'], /channel/i],
    [['stream', '--notch', '55'], /50 or 60/],
    [['stream', '--bogus'], /Unknown option '--bogus'/],
    [['frobnicate'], /unknown command "frobnicate"/],
  ])('refuses %j with one clear line and a non-zero exit', async (args, message) => {
    const { code, stderr, stdout } = await bci(args);
    expect(code).not.toBe(0);
    expect(stdout).toBe('');
    expect(stderr).toMatch(message);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});
