// `bci stream`, `bci replay` and `bci convert` write one CSV layout for the same data: the same
// header and sample indices, times and values that agree (one writer: each channel with the digits
// its source's resolution needs; stream's time is host time, replay's and convert's recording time).
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bci } from '../support/bci.js';
import { tempDir } from '../support/tmp.js';

function table(path: string): { header: string; index: number[]; time: string[]; values: number[][] } {
  const [header, ...lines] = readFileSync(path, 'utf8').trimEnd().split('\n');
  const cells = lines.map((l) => l.split(','));
  return { header, index: cells.map((c) => Number(c[0])), time: cells.map((c) => c[1]), values: cells.map((c) => c.slice(2).map(Number)) };
}

function worstDifference(a: number[][], b: number[][]): number {
  return Math.max(...a.flatMap((row, r) => row.map((x, c) => Math.abs(x - b[r][c]))));
}

describe('one CSV layout for stream, replay and convert', () => {
  it('gives the same columns, indices and values for one synthetic session', async () => {
    const dir = tempDir('bci-export-');
    const board = ['--channels', '4', '--duration', '2', '--unpaced'];
    expect((await bci(['record', '--subject', 'S01', ...board, '--out', join(dir, 'rec.bdf')])).code).toBe(0);
    expect((await bci(['stream', ...board, '--out', join(dir, 'stream.csv')])).code).toBe(0);
    expect((await bci(['replay', join(dir, 'rec.bdf'), '--out', join(dir, 'replay.csv')])).code).toBe(0);
    expect((await bci(['convert', join(dir, 'rec.bdf'), join(dir, 'convert.csv')])).code).toBe(0);
    const stream = table(join(dir, 'stream.csv'));
    const replay = table(join(dir, 'replay.csv'));
    const convert = table(join(dir, 'convert.csv'));

    // one layout; the time column says its base: Unix seconds for a live stream, recording time otherwise
    expect(stream.header).toBe('sample_index,unix_time_s,Fp1_uV,Fp2_uV,C3_uV,C4_uV');
    expect(replay.header).toBe('sample_index,time_s,Fp1_uV,Fp2_uV,C3_uV,C4_uV');
    expect(convert.header).toBe(replay.header);
    const indices = Array.from({ length: 500 }, (_, i) => i);
    for (const t of [stream, replay, convert]) expect(t.index).toEqual(indices);
    // recording time to the microsecond in both file commands; host time to 0.1 ms in stream
    expect(replay.time).toEqual(indices.map((i) => (i / 250).toFixed(6)));
    expect(convert.time).toEqual(replay.time);
    expect(stream.time.every((t) => /^\d+\.\d{6}$/.test(t))).toBe(true);
    // replay and convert of the BDF (0.02235 µV a step): the same 4 decimals, the same text
    const valueText = (path: string) => readFileSync(path, 'utf8').trimEnd().split('\n').slice(1).map((l) => l.split(',').slice(2).join(','));
    expect(valueText(join(dir, 'convert.csv'))).toEqual(valueText(join(dir, 'replay.csv')));
    expect(valueText(join(dir, 'replay.csv'))[1]).toMatch(/^-?\d+\.\d{4}(,-?\d+\.\d{4}){3}$/);
    // stream: the synthetic board's unquantised signal (resolution unknown: 10 significant digits)
    expect(worstDifference(stream.values, replay.values)).toBeLessThan(0.03); // BDF's 24-bit step and stream's rounding
  });
});
