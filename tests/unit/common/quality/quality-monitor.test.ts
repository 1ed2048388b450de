// The worker's signal-quality monitor on the synthetic board with injected faults: a railed
// channel, a flat one, strong mains, artefact bursts and lost samples each show on their own
// channel (and only there); and the summaries are the same whatever the chunking (replay at any speed).
import { describe, expect, it } from 'vitest';
import { SyntheticEeg, SYNTHETIC_DEFAULTS } from '../../../../electron/common/boards/synthetic.js';
import { QualityMonitor } from '../../../../electron/common/quality/quality-monitor.js';
import type { QualitySummary } from '../../../../electron/common/contract/quality.js';
import { worstLevel } from '../../../../electron/common/contract/quality.js';
import { Random } from '../../../../electron/common/random.js';

const RATE = 250;
const CH = 8;
const SECONDS = 6;

/** Synthetic EEG with faults: ch1 railed, ch2 flat, ch3 + 80 µV mains, ch4 a 400 µV step burst every second from 2 s. */
function faultySignal(): Float64Array {
  const eeg = new SyntheticEeg({ ...SYNTHETIC_DEFAULTS, channelCount: CH, sampleRateHz: RATE, seed: 7 });
  const n = RATE * SECONDS;
  const rows = new Float64Array(n * CH);
  eeg.generate(rows, n);
  for (let r = 0; r < n; r++) {
    const t = r / RATE;
    rows[r * CH + 1] = r % 50 < 25 ? 187_000 : 186_000; // pinned near full scale
    rows[r * CH + 2] = -2500; // flat
    rows[r * CH + 3] += 80 * Math.SQRT2 * Math.sin(2 * Math.PI * 50 * t);
    if (t >= 2 && r % RATE < 12) rows[r * CH + 4] += 400; // a 48 ms, 400 µV burst each second
  }
  return rows;
}

function run(rows: Float64Array, chunkSizes: () => number, dropFrom = -1, dropCount = 0): QualitySummary[] {
  const monitor = new QualityMonitor({ sampleRateHz: RATE, channelCount: CH, eegMask: new Uint8Array(CH).fill(1), fullScale: new Array<number>(CH).fill(187_500), maxBlockRows: 512 });
  const total = rows.length / CH;
  const out: QualitySummary[] = [];
  for (let r = 0; r < total; ) {
    let n = Math.min(chunkSizes(), total - r);
    if (dropFrom >= 0 && r < dropFrom && r + n > dropFrom) n = dropFrom - r;
    if (r === dropFrom) {
      r += dropCount;
      continue;
    }
    monitor.push(rows.subarray(r * CH, (r + n) * CH), n, r);
    out.push(...monitor.take());
    r += n;
  }
  monitor.finish();
  out.push(...monitor.take());
  return out;
}

describe('QualityMonitor', () => {
  const rows = faultySignal();

  it('tells each injected fault on its own channel', () => {
    const summaries = run(rows, () => 100);
    expect(summaries).toHaveLength(SECONDS);
    expect(summaries.map((s) => s.firstSampleIndex)).toEqual([0, 250, 500, 750, 1000, 1250]);
    const last = summaries[SECONDS - 1].channels;
    expect(last[0].level).toBe('good');
    expect(last[0].lineNoiseRatio).toBeLessThan(0.5);
    expect(last[0].rmsUv).toBeGreaterThan(3);
    expect(last[0].rmsUv).toBeLessThan(40);
    expect(last[1]).toMatchObject({ railed: true, level: 'bad' });
    expect(last[2]).toMatchObject({ flat: true, level: 'bad' });
    expect(last[3].lineNoiseRatio).toBeGreaterThan(0.9);
    expect(last[3].level).toBe('fair');
    expect(last[4].artefactSegments).toBeGreaterThanOrEqual(1);
    expect(last[4].peakToPeakUv).toBeGreaterThan(150);
    expect(last[4].level).toBe('fair');
    expect(summaries[1].channels[4].artefactSegments).toBe(0);
    for (const c of [5, 6, 7]) expect(last[c].level).toBe('good');
    expect(worstLevel(summaries[5], [0, 5, 6])).toBe('good');
    expect(worstLevel(summaries[5], [0, 3])).toBe('fair');
    expect(worstLevel(summaries[5], [0, 1])).toBe('bad');
  });

  it('gives the same summaries whatever the chunking', () => {
    const reference = run(rows, () => 250);
    for (const seed of [1, 2, 3]) {
      const random = new Random(seed);
      expect(run(rows, () => 1 + random.nextInt(300))).toEqual(reference);
    }
    expect(run(rows, () => 1)).toEqual(reference);
  });

  it('counts lost samples in the windows they fall in, across a window edge', () => {
    const summaries = run(rows, () => 64, 700, 120); // indices 700..819 lost: 50 in window 2, 70 in window 3
    expect(summaries.map((s) => s.lostRows)).toEqual([0, 0, 50, 70, 0, 0]);
    expect(summaries.map((s) => s.rows)).toEqual([250, 250, 200, 180, 250, 250]);
    // with the same chunking, the same summaries again
    expect(run(rows, () => 64, 700, 120)).toEqual(summaries);
  });

  it('reports a window lost whole, and a non-EEG channel as unknown', () => {
    const summaries = run(rows, () => 50, 250, 500);
    expect(summaries.map((s) => s.lostRows)).toEqual([0, 250, 250, 0, 0, 0]);
    expect(summaries[1].channels[0].level).toBe('unknown');
    const monitor = new QualityMonitor({ sampleRateHz: RATE, channelCount: 2, eegMask: Uint8Array.from([1, 0]), fullScale: [187_500, 2], maxBlockRows: 256 });
    monitor.push(new Float64Array(2 * 250).map((_, i) => (i % 2 ? 1 : Math.sin(i))), 250, 0);
    expect(monitor.take()[0].channels[1].level).toBe('unknown');
  });
});
