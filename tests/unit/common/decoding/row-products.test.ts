// The blocked row-product kernel (electron/common/decoding/row-products.ts) against the plain
// dot product, entry for entry: every size around the 3×3 blocking, full and upper, accumulating,
// with offsets, and with a lower-triangular operand; the entries it must leave alone stay untouched.
import { describe, expect, it } from 'vitest';
import { mirrorUpper, rowProductsInto, Triangular } from '../../../../electron/common/decoding/row-products.js';
import { Random } from '../../../../electron/common/random.js';

const SENTINEL = -12345.5;

function randomArray(length: number, random: Random): Float64Array {
  return Float64Array.from({ length }, () => random.nextGaussian());
}

/** The plain dot product of row i of a and row j of b, m in order (what each blocked sum must equal). */
function dot(a: Float64Array, ia: number, b: Float64Array, ib: number, length: number, i: number, j: number, end = length): number {
  let s = 0;
  for (let m = 0; m < end; m++) s += a[ia + i * length + m] * b[ib + j * length + m];
  return s;
}

describe('rowProductsInto', () => {
  it('equals the plain dot product entry for entry (full and upper, set and accumulate, with offsets), leaving the lower triangle alone when upper', () => {
    const random = new Random(5);
    for (let n = 1; n <= 11; n++) {
      for (const length of [1, 2, 7, n]) {
        const ia = 3;
        const ib = 5;
        const a = randomArray(ia + n * length, random);
        const b = randomArray(ib + n * length, random);
        for (const upper of [false, true]) {
          for (const accumulate of [false, true]) {
            const start = randomArray(n * n, random);
            const out = Float64Array.from(start);
            if (!accumulate && upper) for (let i = 1; i < n; i++) for (let j = 0; j < i; j++) out[i * n + j] = SENTINEL;
            rowProductsInto(a, ia, b, ib, n, length, out, upper, accumulate);
            for (let i = 0; i < n; i++) {
              for (let j = 0; j < n; j++) {
                const label = `n ${n}, length ${length}, upper ${upper}, accumulate ${accumulate}, (${i}, ${j})`;
                if (upper && j < i) {
                  expect(out[i * n + j], label).toBe(accumulate ? start[i * n + j] : SENTINEL);
                } else {
                  const d = dot(a, ia, b, ib, length, i, j);
                  expect(out[i * n + j], label).toBe(accumulate ? start[i * n + j] + d : d);
                }
              }
            }
          }
        }
      }
    }
  });

  it('with a lower-triangular operand sums only to its diagonal: the same values as the full product over the stored zeros', () => {
    const random = new Random(6);
    for (let n = 1; n <= 11; n++) {
      const lower = randomArray(n * n, random);
      for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) lower[i * n + j] = 0;
      const other = randomArray(n * n, random);
      for (const [which, a, b] of [[Triangular.A, lower, other], [Triangular.B, other, lower]] as const) {
        for (const upper of [false, true]) {
          const out = new Float64Array(n * n).fill(SENTINEL);
          rowProductsInto(a, 0, b, 0, n, n, out, upper, false, which);
          for (let i = 0; i < n; i++) {
            for (let j = upper ? i : 0; j < n; j++) {
              const end = which === Triangular.A ? i + 1 : j + 1;
              const label = `n ${n}, triangular ${which}, upper ${upper}, (${i}, ${j})`;
              expect(out[i * n + j], label).toBe(dot(a, 0, b, 0, n, i, j, end));
              expect(Math.abs(out[i * n + j] - dot(a, 0, b, 0, n, i, j)), label).toBeLessThanOrEqual(1e-14 * n);
            }
            if (upper) for (let j = 0; j < i; j++) expect(out[i * n + j]).toBe(SENTINEL);
          }
        }
      }
    }
  });

  it('mirrorUpper copies the upper triangle onto the lower', () => {
    const m = Float64Array.from([1, 2, 3, 9, 4, 5, 9, 9, 6]);
    mirrorUpper(m, 3);
    expect(Array.from(m)).toEqual([1, 2, 3, 2, 4, 5, 3, 5, 6]);
  });
});
