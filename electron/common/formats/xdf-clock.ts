// XDF clock synchronisation and de-jittering, with pyxdf's default semantics (load_xdf:
// synchronize_clocks, handle_clock_resets, dejitter_timestamps):
//  - a stream's ClockOffset measurements (collection time, offset) are split into ranges at clock
//    resets: where successive measurement times go backwards, or where both the interval between
//    measurements and the change of offset are outliers (beyond 5 MADs and 5 s, 10 MADs and 1 s);
//  - in each range the offset is modelled as intercept + slope × time by a robust (Huber) linear
//    fit solved with ADMM (Boyd), in units of the 0.1 ms winsorising threshold; one measurement
//    gives a constant offset;
//  - a time stamp t of the range becomes t + intercept + slope × t (the main stream's blocks carry
//    their range's correction, a block split where a range ends inside it; marker stamps are
//    corrected in place);
//  - de-jittering: a least-squares line through each unbroken run of the main stream's corrected
//    stamps, computed from the block sums of xdf-scan.ts (no stamp is kept per sample); a jump of
//    more than max(1 s, 500 sample periods) breaks a run. The runs, laid end to end with the gaps
//    between them as discontinuities, are the recording's time line, onto which markers are placed.

import type { RecordingDiscontinuity } from './recording.js';
import type { ByteSource } from './source.js';
import { BlockTable, rereadBlock, subBlock, type Block, type XdfStream } from './xdf-scan.js';

export interface ClockRange {
  /** First and last index (inclusive) of the range's clock measurements. */
  readonly first: number;
  readonly last: number;
  readonly intercept: number;
  readonly slope: number;
}

const WINSOR_SEC = 1e-4;
const EPS = 2.220446049250313e-16;

function median(xs: ArrayLike<number>): number {
  const s = Array.from(xs).sort((a, b) => a - b);
  const n = s.length;
  if (n === 0) return NaN;
  return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

function outliers(diff: number[], thresholdMads: number, thresholdSec: number): boolean[] {
  const med = median(diff);
  const shifted = diff.map((d) => d - med);
  const mad = median(shifted.map(Math.abs)) + EPS;
  return shifted.map((s) => Math.abs(s / mad) > thresholdMads && Math.abs(s) > thresholdSec);
}

/** Index ranges of clock measurements between clock resets. */
export function clockResetRanges(times: readonly number[], values: readonly number[]): { first: number; last: number }[] {
  const n = times.length;
  if (n <= 1) return [{ first: 0, last: n - 1 }];
  const timeDiff: number[] = [];
  const valueDiff: number[] = [];
  for (let i = 1; i < n; i++) {
    timeDiff.push(times[i] - times[i - 1]);
    valueDiff.push(values[i] - values[i - 1]);
  }
  const timeGlitch = outliers(timeDiff, 5, 5);
  const valueGlitch = outliers(valueDiff, 10, 1);
  const ranges: { first: number; last: number }[] = [];
  let first = 0;
  for (let i = 0; i < n - 1; i++) {
    if (timeDiff[i] < 0 || (timeGlitch[i] && valueGlitch[i])) {
      ranges.push({ first, last: i });
      first = i + 1;
    }
  }
  ranges.push({ first, last: n - 1 });
  return ranges;
}

/**
 * Huber-loss linear regression y ≈ a + b·x by ADMM (rho 1, 1000 iterations), as pyxdf's
 * _robust_fit: returns [a, b]. x is shifted by its minimum for conditioning.
 */
export function robustLinearFit(x: readonly number[], y: readonly number[], iterations = 1000): [number, number] {
  const n = x.length;
  let xmin = Infinity;
  for (const v of x) if (v < xmin) xmin = v;
  const xs = x.map((v) => v - xmin);
  // normal equations A'A = [[n, sx], [sx, sxx]] and its Cholesky factor
  let sx = 0;
  let sxx = 0;
  let sy = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    sx += xs[i];
    sxx += xs[i] * xs[i];
    sy += y[i];
    sxy += xs[i] * y[i];
  }
  const l11 = Math.sqrt(n);
  const l21 = sx / l11;
  const l22sq = sxx - l21 * l21;
  if (!(l22sq > 0)) throw new RangeError('clock offsets are not at distinct times');
  const l22 = Math.sqrt(l22sq);
  const solve = (r0: number, r1: number): [number, number] => {
    // L w = r, then L' x = w
    const w0 = r0 / l11;
    const w1 = (r1 - l21 * w0) / l22;
    const b = w1 / l22;
    const a = (w0 - l21 * b) / l11;
    return [a, b];
  };
  const z = new Float64Array(n);
  const u = new Float64Array(n);
  let a = 0;
  let b = 0;
  for (let it = 0; it < iterations; it++) {
    let r0 = sy;
    let r1 = sxy;
    for (let i = 0; i < n; i++) {
      const zu = z[i] - u[i];
      r0 += zu;
      r1 += xs[i] * zu;
    }
    [a, b] = solve(r0, r1);
    for (let i = 0; i < n; i++) {
      const d = a + b * xs[i] - y[i] + u[i];
      const inv = d !== 0 ? 1 / d : 0;
      const tmp = Math.max(0, 1 - 2 * Math.abs(inv));
      const zi = 0.5 * d + 0.5 * tmp * d;
      z[i] = zi;
      u[i] = d - zi;
    }
  }
  return [a - b * xmin, b];
}

/** Clock ranges with their correction (intercept, slope), from a stream's ClockOffset chunks. */
export function clockCorrections(times: readonly number[], values: readonly number[], handleResets = true): ClockRange[] {
  if (times.length === 0) return [];
  const ranges = handleResets ? clockResetRanges(times, values) : [{ first: 0, last: times.length - 1 }];
  return ranges.map(({ first, last }) => {
    if (first === last) return { first, last, intercept: values[first], slope: 0 };
    const x = times.slice(first, last + 1).map((t) => t / WINSOR_SEC);
    const y = values.slice(first, last + 1).map((v) => v / WINSOR_SEC);
    try {
      const [a, b] = robustLinearFit(x, y);
      return { first, last, intercept: a * WINSOR_SEC, slope: b };
    } catch {
      return { first, last, intercept: 0, slope: 0 };
    }
  });
}

/**
 * Which clock range each time stamp belongs to, as pyxdf assigns them: the stamps (in file order)
 * stay in a range until the first one closer to the next range's first measurement than to this
 * range's last. `closerToNext(t, r)` tells that for range r. Returns the first stamp index of each
 * range (length ranges.length + 1, the last entry = n).
 */
export function rangeBoundaries(
  stamps: ArrayLike<number>,
  times: readonly number[],
  ranges: readonly ClockRange[],
): number[] {
  const n = stamps.length;
  const bounds = [0];
  let start = 0;
  for (let r = 0; r < ranges.length; r++) {
    let stop = n;
    const next = ranges[r].last + 1;
    if (next < times.length) {
      const currentEnd = times[ranges[r].last];
      const nextStart = times[next];
      for (let i = start; i < n; i++) {
        if (!(Math.abs(stamps[i] - currentEnd) < Math.abs(stamps[i] - nextStart))) {
          stop = i;
          break;
        }
      }
    }
    bounds.push(stop);
    start = stop;
  }
  return bounds;
}

// ---------------------------------------------------------------------------------------------
// Streams as xdf-scan.ts found them

/**
 * Applies each stream's clock offsets: the main stream's blocks get their correction, the marker
 * streams' stamps are corrected. Returns the notes to show (offsets applied, clock resets).
 */
export async function synchronizeClocks(source: ByteSource, main: XdfStream, markerStreams: readonly XdfStream[]): Promise<string[]> {
  const notes: string[] = [];
  const mainRanges = clockCorrections(main.clockTimes, main.clockValues);
  await syncBlocks(source, main, mainRanges);
  const synced = [main, ...markerStreams].filter((s) => s.clockTimes.length > 0);
  if (synced.length) notes.push(`Clock offsets applied (robust linear fit per stream, as pyxdf) to ${synced.map((s) => `"${s.name}"`).join(', ')}.`);
  for (const s of [main, ...markerStreams]) {
    const ranges = s === main ? mainRanges : clockCorrections(s.clockTimes, s.clockValues);
    if (ranges.length > 1) notes.push(`Stream "${s.name}": ${ranges.length - 1} clock reset${ranges.length > 2 ? 's' : ''} handled (${ranges.length} clock segments).`);
    if (s !== main && ranges.length) {
      const bounds = rangeBoundaries(s.markerStamps, s.clockTimes, ranges);
      for (let rr = 0; rr < ranges.length; rr++) {
        for (let i = bounds[rr]; i < bounds[rr + 1]; i++) s.markerStamps[i] += ranges[rr].intercept + ranges[rr].slope * s.markerStamps[i];
      }
    }
  }
  return notes;
}

/** Applies clock corrections to a numeric stream's blocks, splitting a block where a clock range ends inside it. */
async function syncBlocks(source: ByteSource, s: XdfStream, ranges: ClockRange[]): Promise<void> {
  const blocks = s.blocks;
  if (ranges.length === 0) return;
  if (ranges.length === 1) {
    for (let i = 0; i < blocks.length; i++) blocks.setCorrection(i, ranges[0].intercept, ranges[0].slope);
    return;
  }
  const out = new BlockTable();
  let bi = 0;
  let pending: Block | null = null; // the tail of a split block, not yet placed
  const current = (): Block | null => pending ?? (bi < blocks.length ? blocks.get(bi) : null);
  const advance = (): void => {
    if (pending) pending = null;
    else bi++;
  };
  for (let r = 0; r < ranges.length; r++) {
    const next = ranges[r].last + 1;
    const hasNext = next < s.clockTimes.length;
    const currentEnd = s.clockTimes[ranges[r].last];
    const nextStart = hasNext ? s.clockTimes[next] : 0;
    const stays = (t: number): boolean => !hasNext || Math.abs(t - currentEnd) < Math.abs(t - nextStart);
    for (let b = current(); b; b = current()) {
      if (stays(b.tMin) && stays(b.tMax)) {
        out.add({ ...b, intercept: ranges[r].intercept, slope: ranges[r].slope });
        advance();
        continue;
      }
      if (!stays(b.t0)) break; // the range ends before this block
      // the range ends inside this block: split it at the first stamp that belongs to the next range
      const { stamps, positions } = await rereadBlock(source, s, b);
      let k = 0;
      while (k < b.count && stays(stamps[k])) k++;
      out.add({ ...subBlock(b, stamps, positions, 0, k), intercept: ranges[r].intercept, slope: ranges[r].slope });
      const tail = subBlock(b, stamps, positions, k, b.count);
      advance();
      pending = tail;
      break;
    }
  }
  // (the last range takes the rest, so nothing is left here)
  for (let b = current(); b; b = current()) {
    out.add(b);
    advance();
  }
  s.blocks = out;
}

interface Segment {
  /** First row and row count. */
  first: number;
  count: number;
  /** Fitted corrected time of row first + x: t0 + m0 + m1·x. */
  t0: number;
  m0: number;
  m1: number;
}

/** pyxdf's jitter removal, on block sums: breaks where corrected stamps jump by more than the threshold. */
function dejitter(s: XdfStream): Segment[] {
  const threshold = Math.max(1, 500 * s.tdiff);
  const segments: Segment[] = [];
  const corr = (b: Block, t: number): number => b.intercept + (1 + b.slope) * t;
  let seg: { first: number; T0: number; n: number; sx: number; sy: number; sxx: number; sxy: number } | null = null;
  let prevLast = NaN;
  const close = (): void => {
    if (!seg) return;
    const { n, sx, sy, sxx, sxy } = seg;
    const den = n * sxx - sx * sx;
    const m1 = n > 1 && den > 0 ? (n * sxy - sx * sy) / den : 0;
    const m0 = (sy - m1 * sx) / n;
    segments.push({ first: seg.first, count: n, t0: seg.T0, m0, m1 });
  };
  for (let i = 0; i < s.blocks.length; i++) {
    const b = s.blocks.get(i);
    const c0 = corr(b, b.t0);
    if (!seg || Math.abs(c0 - prevLast) > threshold) {
      close();
      seg = { first: b.first, T0: c0, n: 0, sx: 0, sy: 0, sxx: 0, sxy: 0 };
    }
    const n = b.count;
    const a = b.first - seg.first;
    const g = 1 + b.slope;
    const sy = n * (c0 - seg.T0) + g * b.s1;
    const sumK = (n * (n - 1)) / 2;
    seg.n += n;
    seg.sx += n * a + sumK;
    seg.sxx += n * a * a + 2 * a * sumK + ((n - 1) * n * (2 * n - 1)) / 6;
    seg.sy += sy;
    seg.sxy += a * sy + (c0 - seg.T0) * sumK + g * b.sk;
    prevLast = corr(b, b.tLast);
  }
  close();
  return segments;
}

/** The main stream's time line after de-jittering. */
export interface XdfTimeline {
  /** Breaks between unbroken runs, in recording time, with the time each leaves out. */
  readonly discontinuities: RecordingDiscontinuity[];
  /** Breaks found, effective sampling rate. */
  readonly notes: string[];
  /** A corrected time stamp (of a marker) → seconds from the first row, breaks included. */
  toRecordingSec(t: number): number;
}

/** De-jitters the main stream (its blocks synchronised) and lays its runs out in recording time. */
export function dejitteredTimeline(main: XdfStream): XdfTimeline {
  const notes: string[] = [];
  const rate = main.nominalRateHz;
  const segments = dejitter(main);
  const tdiff = 1 / rate;
  const fit = (g: Segment, x: number): number => g.t0 + g.m0 + g.m1 * x;
  const discontinuities: RecordingDiscontinuity[] = [];
  const missingBefore: number[] = [0];
  let missing = 0;
  for (let i = 1; i < segments.length; i++) {
    const prev = segments[i - 1];
    const gap = fit(segments[i], 0) - (fit(prev, prev.count - 1) + tdiff);
    const missingSec = Math.max(0, gap);
    discontinuities.push({ onsetSec: segments[i].first / rate + missing, sampleIndex: segments[i].first, missingSec });
    missing += missingSec;
    missingBefore.push(missing);
  }
  if (discontinuities.length) notes.push(`${discontinuities.length} break${discontinuities.length > 1 ? 's' : ''} in "${main.name}" (time stamps jump by more than ${Math.max(1, 500 * tdiff)} s): reported as discontinuities.`);
  let countSum = 0;
  let durSum = 0;
  for (const g of segments) {
    countSum += g.count - 1;
    durSum += fit(g, g.count - 1) - fit(g, 0);
  }
  if (durSum > 0) notes.push(`Effective sampling rate of "${main.name}": ${(countSum / durSum).toFixed(4)} Hz (nominal ${rate} Hz).`);
  const firstTime = fit(segments[0], 0);
  // a corrected time → recording time, through the segment it falls in
  const toRecordingSec = (t: number): number => {
    if (t < firstTime) return t - firstTime;
    let i = 0;
    while (i + 1 < segments.length && fit(segments[i + 1], 0) <= t) i++;
    const g = segments[i];
    const step = g.count > 1 && g.m1 > 0 ? g.m1 : tdiff;
    const x = (t - fit(g, 0)) / step;
    const end = fit(g, g.count - 1) + tdiff;
    if (x <= g.count || i + 1 >= segments.length) return (g.first + x) / rate + missingBefore[i];
    return (g.first + g.count) / rate + missingBefore[i] + (t - end);
  };
  return { discontinuities, notes, toRecordingSec };
}
