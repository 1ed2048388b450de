// Seeded pseudo-random numbers for everything that must replay bit for bit (the synthetic board,
// test fixtures, shuffled paradigms). Owns the generator only: no global state, no Math.random.
//
// Generator: sfc32 (Chris Doty-Humphrey's "small fast chaotic" generator, 128-bit state, 32-bit
// output; passes PractRand and BigCrush). Its four state words are filled by splitmix32 from the
// seed, so nearby seeds (1, 2, 3, …) give unrelated streams. All arithmetic is 32-bit integer
// arithmetic (`| 0`, `>>> 0`, `Math.imul`), so every JavaScript engine produces the same numbers.

const TWO_POW_32 = 4294967296;

/** One splitmix32 step: advances `state[0]` and returns a well-mixed 32-bit word. */
function splitmix32(state: Uint32Array): number {
  state[0] = (state[0] + 0x9e3779b9) >>> 0;
  let z = state[0];
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/**
 * A seeded generator of uniform and Gaussian numbers. The same `(seed, stream)` always gives the
 * same sequence. `stream` selects an independent sequence for the same seed (e.g. one stream for
 * set-up draws and one for per-sample noise), so that adding draws to one does not shift the other.
 * No method allocates.
 */
export class Random {
  private a = 0;
  private b = 0;
  private c = 0;
  private d = 0;
  private spare = 0;
  private hasSpare = false;

  /**
   * @param seed any safe integer (negative values and values beyond 32 bits are folded in, not
   *   truncated away, so 0 and 2^32 differ).
   * @param stream a small integer naming an independent sequence for the same seed.
   */
  constructor(seed: number, stream = 0) {
    if (!Number.isSafeInteger(seed)) throw new RangeError(`Random: seed must be a safe integer (got ${String(seed)})`);
    if (!Number.isSafeInteger(stream)) throw new RangeError(`Random: stream must be a safe integer (got ${String(stream)})`);
    const low = seed >>> 0;
    const high = Math.floor(seed / TWO_POW_32) >>> 0;
    const mix = new Uint32Array([low]);
    const hashedHigh = splitmix32(new Uint32Array([high ^ 0x5bd1e995]));
    const hashedStream = splitmix32(new Uint32Array([(stream >>> 0) ^ 0x27d4eb2f]));
    mix[0] = (mix[0] ^ hashedHigh ^ Math.imul(hashedStream, 0x9e3779b1)) >>> 0;
    this.a = splitmix32(mix) | 0;
    this.b = splitmix32(mix) | 0;
    this.c = splitmix32(mix) | 0;
    this.d = splitmix32(mix) | 0;
    // Let the chaotic state settle before the first output is used.
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  /** A uniform 32-bit unsigned integer in [0, 2^32). */
  nextUint32(): number {
    const a = this.a;
    const b = this.b;
    const c = this.c;
    const d = this.d;
    const t = (((a + b) | 0) + d) | 0;
    this.d = (d + 1) | 0;
    this.a = b ^ (b >>> 9);
    this.b = (c + (c << 3)) | 0;
    this.c = (((c << 21) | (c >>> 11)) + t) | 0;
    return t >>> 0;
  }

  /** A uniform float in [0, 1) with 32 bits of resolution. */
  nextFloat(): number {
    return this.nextUint32() / TWO_POW_32;
  }

  /** A uniform float in [low, high). */
  nextRange(low: number, high: number): number {
    return low + (high - low) * this.nextFloat();
  }

  /** A uniform integer in [0, n) for 1 ≤ n ≤ 2^32 (scaled float; the bias is below n·2^-32). */
  nextInt(n: number): number {
    return Math.floor(this.nextFloat() * n);
  }

  /**
   * A standard normal deviate (mean 0, variance 1): Marsaglia's polar method. Each accepted pair
   * gives two deviates; the second is kept in a field for the next call, so nothing is allocated.
   */
  nextGaussian(): number {
    if (this.hasSpare) {
      this.hasSpare = false;
      return this.spare;
    }
    let u: number;
    let v: number;
    let s: number;
    do {
      u = 2 * this.nextFloat() - 1;
      v = 2 * this.nextFloat() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const m = Math.sqrt((-2 * Math.log(s)) / s);
    this.spare = v * m;
    this.hasSpare = true;
    return u * m;
  }

  /** An exponential deviate with the given mean. */
  nextExponential(mean: number): number {
    return -mean * Math.log(1 - this.nextFloat());
  }
}
