// XDF clock synchronisation, with pyxdf's default semantics (load_xdf: synchronize_clocks,
// handle_clock_resets, dejitter_timestamps):
//  - a stream's ClockOffset measurements (collection time, offset) are split into ranges at clock
//    resets: where successive measurement times go backwards, or where both the interval between
//    measurements and the change of offset are outliers (beyond 5 MADs and 5 s, 10 MADs and 1 s);
//  - in each range the offset is modelled as intercept + slope × time by a robust (Huber) linear
//    fit solved with ADMM (Boyd), in units of the 0.1 ms winsorising threshold; one measurement
//    gives a constant offset;
//  - a time stamp t of the range becomes t + intercept + slope × t.
// Dejittering (a least-squares line through each unbroken run of a regular stream's time stamps)
// is done on block sums in xdf.ts.

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
