// Complex arithmetic for filter design (poles and zeros). Design-time only: values are small
// immutable objects, never used on a per-sample path. Division and square root follow the
// algorithms NumPy uses (Smith's division; the stable principal square root) so that designs
// match SciPy's to the last few bits.

export interface Complex {
  readonly re: number;
  readonly im: number;
}

export function complex(re: number, im = 0): Complex {
  return { re, im };
}

export const ONE: Complex = complex(1, 0);

export function add(a: Complex, b: Complex): Complex {
  return { re: a.re + b.re, im: a.im + b.im };
}

export function sub(a: Complex, b: Complex): Complex {
  return { re: a.re - b.re, im: a.im - b.im };
}

export function mul(a: Complex, b: Complex): Complex {
  return { re: a.re * b.re - a.im * b.im, im: a.re * b.im + a.im * b.re };
}

/** Multiply by a real number (exactly as NumPy's complex × float64: each part scaled). */
export function scale(a: Complex, factor: number): Complex {
  return { re: a.re * factor, im: a.im * factor };
}

export function neg(a: Complex): Complex {
  return { re: -a.re, im: -a.im };
}

export function conj(a: Complex): Complex {
  return { re: a.re, im: -a.im };
}

/** a / b by Smith's method (as NumPy), which avoids overflow and keeps conjugate symmetry exact. */
export function div(a: Complex, b: Complex): Complex {
  const absRe = Math.abs(b.re);
  const absIm = Math.abs(b.im);
  if (absRe >= absIm) {
    if (absRe === 0 && absIm === 0) {
      return { re: a.re / absRe, im: a.im / absIm };
    }
    const ratio = b.im / b.re;
    const inv = 1.0 / (b.re + b.im * ratio);
    return { re: (a.re + a.im * ratio) * inv, im: (a.im - a.re * ratio) * inv };
  }
  const ratio = b.re / b.im;
  const inv = 1.0 / (b.im + b.re * ratio);
  return { re: (a.re * ratio + a.im) * inv, im: (a.im * ratio - a.re) * inv };
}

/** Modulus |a| (hypot, no intermediate overflow). */
export function abs(a: Complex): number {
  return Math.hypot(a.re, a.im);
}

/** Principal square root (branch cut on the negative real axis; sign of the imaginary part kept). */
export function sqrt(a: Complex): Complex {
  const { re, im } = a;
  if (re === 0 && im === 0) return { re: 0, im };
  const t = Math.sqrt((Math.abs(re) + Math.hypot(re, im)) / 2);
  if (re >= 0) return { re: t, im: im / (2 * t) };
  return { re: Math.abs(im) / (2 * t), im: im < 0 || Object.is(im, -0) ? -t : t };
}

/** e^{iθ} for a real angle θ in radians. */
export function expi(theta: number): Complex {
  return { re: Math.cos(theta), im: Math.sin(theta) };
}

/** Product of a list (left to right, as numpy.prod); 1 for an empty list. */
export function product(values: readonly Complex[]): Complex {
  let acc = ONE;
  for (const v of values) acc = mul(acc, v);
  return acc;
}

/** True when the imaginary part is exactly zero (numpy.isreal). */
export function isReal(a: Complex): boolean {
  return a.im === 0;
}
