// Dense row products for the decoders' per-window and per-iteration work (covariances,
// congruences, functions of symmetric matrices): dot products of rows, blocked three by three so
// that nine sums share each six loads. Row-major Float64Arrays; nothing is allocated.

/**
 * Which operand of rowProductsInto is lower triangular (its entries beyond the diagonal zero), so
 * that its rows are summed only up to the diagonal: none, a (row i has entries 0 … i) or b.
 */
export const Triangular = { None: 0, A: 1, B: 2 } as const;
export type Triangular = (typeof Triangular)[keyof typeof Triangular];

/**
 * Dot products of rows: out[i·n + j] = Σ_m a[ia + i·length + m]·b[ib + j·length + m] for rows i of a
 * and j of b, all n×n of them, or with `upper` only j ≥ i (the lower triangle left alone); with
 * `accumulate` the products are added to out. Three rows of a against three of b at a time: nine
 * sums share each six loads (in V8, whose loads each carry a bounds check, this runs about 2.5×
 * as fast as one dot product at a time, and ~15% faster than two rows against four). Each sum runs
 * over m in order, so every entry is the plain dot product's value, whatever the blocking. With
 * `triangular` (square n×n operands, length n) the sums stop where the triangular operand's rows
 * end (its zeros beyond the diagonal must be stored): products with a triangular factor cost half.
 * Allocates nothing.
 */
export function rowProductsInto(a: Float64Array, ia: number, b: Float64Array, ib: number, n: number, length: number, out: Float64Array, upper: boolean, accumulate = false, triangular: Triangular = Triangular.None): void {
  const L = length;
  let i = 0;
  for (; i + 2 < n; i += 3) {
    const a0 = ia + i * L;
    const a1 = a0 + L;
    const a2 = a1 + L;
    const rowEnd = triangular === Triangular.A ? Math.min(L, i + 3) : L;
    let j = upper ? i : 0;
    for (; j + 2 < n; j += 3) {
      const b0 = ib + j * L;
      const b1 = b0 + L;
      const b2 = b1 + L;
      const end = triangular === Triangular.B ? Math.min(L, j + 3) : rowEnd;
      let s00 = 0, s01 = 0, s02 = 0, s10 = 0, s11 = 0, s12 = 0, s20 = 0, s21 = 0, s22 = 0;
      for (let m = 0; m < end; m++) {
        const x0 = a[a0 + m], x1 = a[a1 + m], x2 = a[a2 + m];
        let y = b[b0 + m];
        s00 += x0 * y;
        s10 += x1 * y;
        s20 += x2 * y;
        y = b[b1 + m];
        s01 += x0 * y;
        s11 += x1 * y;
        s21 += x2 * y;
        y = b[b2 + m];
        s02 += x0 * y;
        s12 += x1 * y;
        s22 += x2 * y;
      }
      const q0 = i * n + j;
      const q1 = q0 + n;
      const q2 = q1 + n;
      // on the diagonal block of the upper triangle, entries (i+1, i), (i+2, i), (i+2, i+1) are left alone
      const whole = !upper || j > i;
      if (accumulate) {
        out[q0] += s00;
        out[q0 + 1] += s01;
        out[q0 + 2] += s02;
        if (whole) out[q1] += s10;
        out[q1 + 1] += s11;
        out[q1 + 2] += s12;
        if (whole) {
          out[q2] += s20;
          out[q2 + 1] += s21;
        }
        out[q2 + 2] += s22;
      } else {
        out[q0] = s00;
        out[q0 + 1] = s01;
        out[q0 + 2] = s02;
        if (whole) out[q1] = s10;
        out[q1 + 1] = s11;
        out[q1 + 2] = s12;
        if (whole) {
          out[q2] = s20;
          out[q2 + 1] = s21;
        }
        out[q2 + 2] = s22;
      }
    }
    // the last columns (fewer than three), one at a time for the three rows
    for (; j < n; j++) {
      const bj = ib + j * L;
      const end = triangular === Triangular.B ? Math.min(L, j + 1) : rowEnd;
      let s0 = 0, s1 = 0, s2 = 0;
      for (let m = 0; m < end; m++) {
        const y = b[bj + m];
        s0 += a[a0 + m] * y;
        s1 += a[a1 + m] * y;
        s2 += a[a2 + m] * y;
      }
      const q = i * n + j;
      out[q] = accumulate ? out[q] + s0 : s0;
      if (!upper || j > i) out[q + n] = accumulate ? out[q + n] + s1 : s1;
      if (!upper || j > i + 1) out[q + 2 * n] = accumulate ? out[q + 2 * n] + s2 : s2;
    }
  }
  // the last rows (fewer than three), one at a time
  for (; i < n; i++) {
    const ai = ia + i * L;
    for (let j = upper ? i : 0; j < n; j++) {
      const bj = ib + j * L;
      const end = triangular === Triangular.A ? Math.min(L, i + 1) : triangular === Triangular.B ? Math.min(L, j + 1) : L;
      let s = 0;
      for (let m = 0; m < end; m++) s += a[ai + m] * b[bj + m];
      out[i * n + j] = accumulate ? out[i * n + j] + s : s;
    }
  }
}

/** Copies the upper triangle of row-major n×n `m` onto its lower triangle. */
export function mirrorUpper(m: Float64Array, n: number): void {
  for (let i = 1; i < n; i++) for (let j = 0; j < i; j++) m[i * n + j] = m[j * n + i];
}
