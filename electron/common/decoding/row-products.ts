// Dense row products for the decoders' per-window and per-iteration work (covariances,
// congruences, functions of symmetric matrices): dot products of rows, blocked two by four so
// that eight sums share each six loads. Row-major Float64Arrays; nothing is allocated.

/**
 * Dot products of rows: out[i·n + j] = Σ_m a[ia + i·length + m]·b[ib + j·length + m] for rows i of a
 * and j of b, all n×n of them, or with `upper` only j ≥ i (the lower triangle left alone); with
 * `accumulate` the products are added to out. Two rows of a against four of b at a time: eight
 * sums share each six loads, so the products run about twice as fast as one dot product at a
 * time. Allocates nothing.
 */
export function rowProductsInto(a: Float64Array, ia: number, b: Float64Array, ib: number, n: number, length: number, out: Float64Array, upper: boolean, accumulate = false): void {
  const L = length;
  let i = 0;
  for (; i + 1 < n; i += 2) {
    const a0 = ia + i * L;
    const a1 = a0 + L;
    let j = upper ? i : 0;
    for (; j + 3 < n; j += 4) {
      const b0 = ib + j * L;
      const b1 = b0 + L;
      const b2 = b1 + L;
      const b3 = b2 + L;
      let s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0;
      for (let m = 0; m < L; m++) {
        const x0 = a[a0 + m], x1 = a[a1 + m];
        const y0 = b[b0 + m], y1 = b[b1 + m], y2 = b[b2 + m], y3 = b[b3 + m];
        s00 += x0 * y0;
        s01 += x0 * y1;
        s02 += x0 * y2;
        s03 += x0 * y3;
        s10 += x1 * y0;
        s11 += x1 * y1;
        s12 += x1 * y2;
        s13 += x1 * y3;
      }
      const q = i * n + j;
      const r = q + n;
      if (accumulate) {
        out[q] += s00;
        out[q + 1] += s01;
        out[q + 2] += s02;
        out[q + 3] += s03;
        if (!upper || j > i) out[r] += s10;
        out[r + 1] += s11;
        out[r + 2] += s12;
        out[r + 3] += s13;
      } else {
        out[q] = s00;
        out[q + 1] = s01;
        out[q + 2] = s02;
        out[q + 3] = s03;
        if (!upper || j > i) out[r] = s10;
        out[r + 1] = s11;
        out[r + 2] = s12;
        out[r + 3] = s13;
      }
    }
    // the last columns (fewer than four), one at a time for both rows
    for (; j < n; j++) {
      const bj = ib + j * L;
      let s0 = 0, s1 = 0;
      for (let m = 0; m < L; m++) {
        const y = b[bj + m];
        s0 += a[a0 + m] * y;
        s1 += a[a1 + m] * y;
      }
      const q = i * n + j;
      out[q] = accumulate ? out[q] + s0 : s0;
      if (!upper || j > i) out[q + n] = accumulate ? out[q + n] + s1 : s1;
    }
  }
  if (i < n) {
    // the last row (n odd)
    const ai = ia + i * L;
    for (let j = upper ? i : 0; j < n; j++) {
      const bj = ib + j * L;
      let s0 = 0, s1 = 0;
      let m = 0;
      for (; m + 1 < L; m += 2) {
        s0 += a[ai + m] * b[bj + m];
        s1 += a[ai + m + 1] * b[bj + m + 1];
      }
      if (m < L) s0 += a[ai + m] * b[bj + m];
      out[i * n + j] = accumulate ? out[i * n + j] + (s0 + s1) : s0 + s1;
    }
  }
}

/** Copies the upper triangle of row-major n×n `m` onto its lower triangle. */
export function mirrorUpper(m: Float64Array, n: number): void {
  for (let i = 1; i < n; i++) for (let j = 0; j < i; j++) m[i * n + j] = m[j * n + i];
}
