// "Conversion is honest", as a property: for generated recordings (EDF+D and BDF+D with random
// gaps, events, rates, units and DC offsets), `convertRecording` to BDF, EDF, CSV and the OpenBCI
// layout, read back by the workstation, keeps every event (label, onset, duration), every gap (an
// annotation over zeros in BDF/EDF, the true index and time in text) and every channel's values to
// the target's precision; or it refuses with one sentence, and only where the target cannot hold
// the recording. Seeded: the same cases every run.
import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { convertRecording } from '../../../../electron/engine/files/convert.js';
import { openRecording } from '../../../../electron/engine/files/open-recording.js';
import { recordingTimeOfRow, type RecordingInfo } from '../../../../electron/common/formats/recording.js';
import { EngineError } from '../../../../electron/common/contract/failure.js';
import { Random } from '../../../../electron/common/random.js';
import { edfBytes } from '../../../support/format-builders.js';
import { tempDir } from '../../../support/tmp.js';

const RATES = [100, 128, 200, 250, 256];
const UNITS = [
  { unit: 'uV', scale: 1 },
  { unit: 'mV', scale: 1e-3 },
  { unit: 'V', scale: 1e-6 },
];
const LABELS = ['left', 'right', 'rest', '7'];

interface Generated {
  path: string;
  rate: number;
  channels: { label: string; unit: string; physMin: number; physMax: number; digital: Int32Array }[];
  /** Recording time of each record's start. */
  recordTimes: number[];
  events: { onsetSec: number; durationSec: number; label: string }[];
  gaps: number;
}

function generate(seed: number, dir: string): Generated {
  const rng = new Random(seed);
  const int = (n: number) => Math.floor(rng.nextFloat() * n);
  const variant = rng.nextFloat() < 0.5 ? 'bdf' : 'edf';
  const rate = RATES[int(RATES.length)];
  const records = 3 + int(4);
  const recordTimes = [0];
  let gaps = 0;
  for (let r = 1; r < records; r++) {
    const gap = rng.nextFloat() < 0.4 ? Math.round(rng.nextRange(0.5, 2.5) * 100) / 100 : 0;
    if (gap) gaps++;
    recordTimes.push(recordTimes[r - 1] + 1 + gap);
  }
  const total = recordTimes[records - 1] + 1;
  const dmax = variant === 'bdf' ? 8388607 : 32767;
  const channels = Array.from({ length: 1 + int(3) }, (_, c) => {
    const u = UNITS[int(UNITS.length)];
    const centre = Math.round(rng.nextRange(-50000, 50000)) * u.scale;
    const half = Math.round(rng.nextRange(200, 5000)) * u.scale;
    const digital = new Int32Array(records * rate);
    let x = 0;
    for (let i = 0; i < digital.length; i++) {
      x = Math.max(-dmax, Math.min(dmax, x + Math.round(rng.nextGaussian() * dmax * 0.02)));
      digital[i] = x;
    }
    const fix = (v: number) => Number(v.toPrecision(6));
    return { label: `Ch${c}`, unit: u.unit, physMin: fix(centre - half), physMax: fix(centre + half), digital };
  });
  const events = Array.from({ length: int(6) }, () => ({
    onsetSec: Math.round(rng.nextRange(0, total - 0.01) * 1000) / 1000,
    durationSec: rng.nextFloat() < 0.5 ? 0 : Math.round(rng.nextRange(0.1, 2) * 100) / 100,
    label: LABELS[int(LABELS.length)],
  })).sort((a, b) => a.onsetSec - b.onsetSec);
  const tal = (r: number) => {
    let s = `+${recordTimes[r]}\x14\x14\x00`;
    if (r === 0) for (const e of events) s += `+${e.onsetSec}${e.durationSec ? `\x15${e.durationSec}` : ''}\x14${e.label}\x14\x00`;
    return s;
  };
  const bytes = edfBytes({
    variant,
    reserved: variant === 'bdf' ? 'BDF+D' : 'EDF+D',
    records,
    duration: 1,
    signals: [
      ...channels.map((ch) => ({ label: ch.label, unit: ch.unit, physMin: ch.physMin, physMax: ch.physMax, spr: rate, value: (rec: number, i: number) => ch.digital[rec * rate + i] })),
      { label: variant === 'bdf' ? 'BDF Annotations' : 'EDF Annotations', spr: 200, tal },
    ],
  });
  const path = join(dir, `case-${seed}.${variant}`);
  writeFileSync(path, bytes);
  return { path, rate, channels, recordTimes, events, gaps };
}

async function readAll(path: string): Promise<{ info: RecordingInfo; data: Float64Array }> {
  const reader = await openRecording(path);
  try {
    const width = reader.info.rowChannels.length;
    const data = new Float64Array(reader.info.sampleCount * width);
    await reader.readRows(0, reader.info.sampleCount, data);
    return { info: reader.info, data };
  } finally {
    await reader.close();
  }
}

const SEEDS = Array.from({ length: 24 }, (_, i) => 1000 + i);
const dir = tempDir('bci-convert-honest-');

describe('conversion is honest (generated EDF+D/BDF+D: random gaps, events, rates, units)', () => {
  it.each(SEEDS)('seed %i: every event, gap and channel survives each target, or the target refuses in a sentence', async (seed) => {
    const g = generate(seed, dir);
    const source = await readAll(g.path);
    const rate = g.rate;
    const width = g.channels.length;
    expect(source.info.discontinuities).toHaveLength(g.gaps);
    expect(source.info.events.length).toBe(g.events.length);
    const sourceTime = (row: number) => recordingTimeOfRow(source.info, row);
    // the output row of a source row: its stretch's start time on the output's sample grid, then one by one
    const outRow = (row: number) => {
      const start = [0, ...source.info.discontinuities.map((d) => d.sampleIndex)].filter((s) => s <= row).pop()!;
      return Math.round(sourceTime(start) * rate) + (row - start);
    };
    const resolution = (c: number) => (source.info.channels[c].physicalMax - source.info.channels[c].physicalMin) / (source.info.format === 'bdf' ? 2 ** 24 - 1 : 2 ** 16 - 1);

    for (const target of ['bdf', 'edf', 'csv', 'txt'] as const) {
      const out = join(dir, `case-${seed}-out.${target}`);
      // the OpenBCI layout marks events on rows: one per row, never in a gap
      const rowsOf = g.events.map((e) => Math.round(e.onsetSec * rate));
      const onRows = (row: number) => g.recordTimes.some((t) => row >= Math.round(t * rate) && row < Math.round(t * rate) + rate);
      const txtCannot = target === 'txt' && (new Set(rowsOf).size !== rowsOf.length || !rowsOf.every(onRows));
      let result;
      try {
        result = await convertRecording(g.path, out, {});
      } catch (error) {
        expect(error, `${target}: ${(error as Error).message}`).toBeInstanceOf(EngineError);
        expect((error as Error).message.split('\n')).toHaveLength(1);
        expect(txtCannot, `${target} refused: ${(error as Error).message}`).toBe(true);
        continue;
      }
      expect(txtCannot, `${target} should have refused`).toBe(false);
      expect(result.events).toBe(g.events.length);
      expect(result.eventsRead).toBe(g.events.length);
      expect(result.gaps).toBe(g.gaps);
      expect(result.clippedValues).toBe(0);
      const back = await readAll(out);
      const bw = back.info.rowChannels.length;
      expect(bw, target).toBe(width);

      if (target === 'bdf' || target === 'edf') {
        const step = (c: number) => (back.info.channels[c].physicalMax - back.info.channels[c].physicalMin) / (target === 'bdf' ? 2 ** 24 - 1 : 2 ** 16 - 1);
        expect(back.info.channels.map((c) => [c.label, c.unit])).toEqual(source.info.channels.map((c) => [c.label, c.unit]));
        // every source row at its own time, to the output's resolution
        for (let r = 0; r < source.info.sampleCount; r++) {
          const o = outRow(r);
          for (let c = 0; c < width; c++) {
            const diff = Math.abs(back.data[o * bw + c] - source.data[r * width + c]);
            if (diff > step(c) / 2 + 1e-9 * Math.abs(source.data[r * width + c]) + 1e-12) expect.fail(`${target} row ${r} channel ${c}: ${back.data[o * bw + c]} vs ${source.data[r * width + c]}`);
          }
        }
        for (const e of source.info.events) {
          expect(back.info.events.some((b) => b.label === e.label && Math.abs(b.onsetSec - e.onsetSec) < 1e-6 && Math.abs(b.durationSec - e.durationSec) < 1e-6), `${target}: ${e.label} at ${e.onsetSec}`).toBe(true);
        }
        // every gap: an annotation over zeros
        for (const d of source.info.discontinuities) {
          const note = back.info.events.find((b) => b.label.startsWith('gap:') && Math.abs(b.onsetSec - d.onsetSec) <= 1 / rate + 1e-9);
          expect(note, `${target}: gap at ${d.onsetSec}`).toBeDefined();
          expect(Math.abs(note!.durationSec - d.missingSec)).toBeLessThanOrEqual(1 / rate + 1e-9);
          const from = Math.round(d.onsetSec * rate) + 1;
          const to = Math.round((d.onsetSec + d.missingSec) * rate) - 1;
          for (let o = from; o < to; o++) for (let c = 0; c < width; c++) if (Math.abs(back.data[o * bw + c]) > step(c) / 2 + 1e-12) expect.fail(`${target}: row ${o} in a gap holds ${back.data[o * bw + c]}`);
        }
      } else if (target === 'csv') {
        const lines = readFileSync(out, 'utf8').trimEnd().split('\n');
        expect(lines[0]).toBe(`sample_index,time_s,${source.info.channels.map((c) => `${c.label}_${c.unit}`).join(',')}`);
        expect(lines.length - 1).toBe(source.info.sampleCount);
        for (let r = 0; r < source.info.sampleCount; r++) {
          const cells = lines[r + 1].split(',').map(Number);
          const t = sourceTime(r);
          if (cells[0] !== outRow(r) || Math.abs(cells[1] - t) > 1e-6) expect.fail(`csv row ${r}: index ${cells[0]} time ${cells[1]}, true time ${t}`);
          for (let c = 0; c < width; c++) if (Math.abs(cells[2 + c] - source.data[r * width + c]) > resolution(c) / 100) expect.fail(`csv row ${r} channel ${c}: ${cells[2 + c]} vs ${source.data[r * width + c]}`);
        }
        expect(back.info.discontinuities.length).toBe(g.gaps);
        expect(back.info.events.map((e) => [e.label, e.onsetSec.toFixed(4), e.durationSec])).toEqual(source.info.events.map((e) => [e.label, e.onsetSec.toFixed(4), e.durationSec]));
      } else {
        // OpenBCI layout: EXG in µV, the true sample counter and time, events as marker codes
        expect(back.info.sampleCount).toBe(source.info.sampleCount);
        expect(back.info.discontinuities.length).toBe(g.gaps);
        for (let k = 0; k < g.gaps; k++) expect(Math.abs(back.info.discontinuities[k].missingSec - source.info.discontinuities[k].missingSec)).toBeLessThanOrEqual(1 / rate + 1e-9);
        const toUv = source.info.channels.map((c) => ({ uV: 1, mV: 1e3, V: 1e6 })[c.unit as 'uV']);
        for (let r = 0; r < source.info.sampleCount; r++) {
          for (let c = 0; c < width; c++) {
            const want = source.data[r * width + c] * toUv[c];
            if (Math.abs(back.data[r * bw + c] - want) > (resolution(c) * toUv[c]) / 100) expect.fail(`txt row ${r} channel ${c}: ${back.data[r * bw + c]} vs ${want}`);
          }
        }
        expect(back.info.events.length).toBe(source.info.events.length);
        back.info.events.forEach((b, k) => expect(Math.abs(b.onsetSec - source.info.events[k].onsetSec)).toBeLessThanOrEqual(0.5 / rate + 1e-6));
      }
    }
  });
});
