// Dense row products for the decoders' per-window and per-iteration work (covariances,
// congruences, functions of symmetric matrices): dot products of rows, blocked two by two so
// that four sums share each pair of loads. Row-major Float64Arrays; nothing is allocated.

/**
 * Dot products of rows: out[i·n + j] = Σ_m a[ia + i·length + m]·b[ib + j·length + m] for rows i of a
 * and j of b, all n×n of them, or with `upper` only j ≥ i (the lower triangle left alone); with
 * `accumulate` the products are added to out. Two rows of each at a time: four sums share each
 * pair of loads, so the products run about twice as fast as one dot product at a time.
 * Allocates nothing.
 */
export function rowProductsInto(a: Float64Array, ia: number, b: Float64Array, ib: number, n: number, length: number, out: Float64Array, upper: boolean, accumulate = false): void {
  const L = length;
  let i = 0;
  for (; i + 1 < n; i += 2) {
    const a0 = ia + i * L;
    const a1 = a0 + L;
    let j = upper ? i : 0;
    for (; j + 1 < n; j += 2) {
      const b0 = ib + j * L;
      const b1 = b0 + L;
      let s00 = 0, s01 = 0, s10 = 0, s11 = 0;
      for (let m = 0; m < L; m++) {
        const x0 = a[a0 + m], x1 = a[a1 + m], y0 = b[b0 + m], y1 = b[b1 + m];
        s00 += x0 * y0;
        s01 += x0 * y1;
        s10 += x1 * y0;
        s11 += x1 * y1;
      }
      const q = i * n + j;
      out[q] = accumulate ? out[q] + s00 : s00;
      out[q + 1] = accumulate ? out[q + 1] + s01 : s01;
      if (!upper || j > i) out[q + n] = accumulate ? out[q + n] + s10 : s10;
      out[q + n + 1] = accumulate ? out[q + n + 1] + s11 : s11;
    }
    if (j < n) {
      // the last column (n odd): rows i and i + 1 (j ≥ i + 1 here when upper)
      const q = i * n + j;
      const s0 = rowDot(a, a0, b, ib + j * L, L);
      const s1 = rowDot(a, a1, b, ib + j * L, L);
      out[q] = accumulate ? out[q] + s0 : s0;
      out[q + n] = accumulate ? out[q + n] + s1 : s1;
    }
  }
  if (i < n) {
    for (let j = upper ? i : 0; j < n; j++) {
      const s0 = rowDot(a, ia + i * L, b, ib + j * L, L);
      out[i * n + j] = accumulate ? out[i * n + j] + s0 : s0;
    }
  }
}

/** Copies the upper triangle of row-major n×n `m` onto its lower triangle. */
export function mirrorUpper(m: Float64Array, n: number): void {
  for (let i = 1; i < n; i++) for (let j = 0; j < i; j++) m[i * n + j] = m[j * n + i];
}

/** Σ_m a[ia + m]·b[ib + m], four partial sums at a time (independent chains run in parallel in the CPU). */
export function rowDot(a: Float64Array, ia: number, b: Float64Array, ib: number, n: number): number {
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  let m = 0;
  for (; m + 3 < n; m += 4) {
    s0 += a[ia + m] * b[ib + m];
    s1 += a[ia + m + 1] * b[ib + m + 1];
    s2 += a[ia + m + 2] * b[ib + m + 2];
    s3 += a[ia + m + 3] * b[ib + m + 3];
  }
  for (; m < n; m++) s0 += a[ia + m] * b[ib + m];
  return s0 + s1 + (s2 + s3);
}
