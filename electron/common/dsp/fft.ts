// Fast Fourier transforms of a fixed length, preallocated so that a transform allocates
// nothing: ComplexFft (iterative radix-2 for powers of two, Bluestein's chirp-z for any other
// length) and RealFft (the one-sided spectrum of a real signal, through a half-length complex
// transform when the length is even). Forward transforms use e^{−2πi·k·n/N}, as numpy.fft.

function isPowerOfTwo(n: number): boolean {
  return n > 0 && (n & (n - 1)) === 0;
}

/** Radix-2 decimation-in-time FFT, in place. */
class Radix2Fft {
  private readonly bitReversed: Uint32Array;
  private readonly cosTable: Float64Array;
  private readonly sinTable: Float64Array;

  constructor(readonly size: number) {
    const half = size >> 1;
    this.cosTable = new Float64Array(half);
    this.sinTable = new Float64Array(half);
    for (let k = 0; k < half; k++) {
      const angle = (2 * Math.PI * k) / size;
      this.cosTable[k] = Math.cos(angle);
      this.sinTable[k] = -Math.sin(angle);
    }
    this.bitReversed = new Uint32Array(size);
    let bits = 0;
    while (1 << bits < size) bits++;
    for (let i = 0; i < size; i++) {
      let r = 0;
      for (let b = 0; b < bits; b++) r |= ((i >> b) & 1) << (bits - 1 - b);
      this.bitReversed[i] = r;
    }
  }

  forward(re: Float64Array, im: Float64Array): void {
    const n = this.size;
    const rev = this.bitReversed;
    for (let i = 0; i < n; i++) {
      const j = rev[i];
      if (j > i) {
        const tr = re[i];
        re[i] = re[j];
        re[j] = tr;
        const ti = im[i];
        im[i] = im[j];
        im[j] = ti;
      }
    }
    const cosTable = this.cosTable;
    const sinTable = this.sinTable;
    for (let span = 1; span < n; span <<= 1) {
      const tableStep = n / (2 * span);
      for (let start = 0; start < n; start += 2 * span) {
        for (let k = 0; k < span; k++) {
          const wr = cosTable[k * tableStep];
          const wi = sinTable[k * tableStep];
          const a = start + k;
          const b = a + span;
          const xr = re[b] * wr - im[b] * wi;
          const xi = re[b] * wi + im[b] * wr;
          re[b] = re[a] - xr;
          im[b] = im[a] - xi;
          re[a] += xr;
          im[a] += xi;
        }
      }
    }
  }
}

/** Bluestein's algorithm: a length-N DFT as a convolution done with power-of-two FFTs. */
class BluesteinFft {
  private readonly inner: Radix2Fft;
  private readonly chirpRe: Float64Array;
  private readonly chirpIm: Float64Array;
  private readonly kernelRe: Float64Array;
  private readonly kernelIm: Float64Array;
  private readonly workRe: Float64Array;
  private readonly workIm: Float64Array;

  constructor(readonly size: number) {
    let padded = 1;
    while (padded < 2 * size - 1) padded <<= 1;
    this.inner = new Radix2Fft(padded);
    this.chirpRe = new Float64Array(size);
    this.chirpIm = new Float64Array(size);
    for (let k = 0; k < size; k++) {
      // exp(−iπk²/N), with k² reduced mod 2N to keep the angle exact.
      const angle = (Math.PI * ((k * k) % (2 * size))) / size;
      this.chirpRe[k] = Math.cos(angle);
      this.chirpIm[k] = -Math.sin(angle);
    }
    this.kernelRe = new Float64Array(padded);
    this.kernelIm = new Float64Array(padded);
    this.kernelRe[0] = this.chirpRe[0];
    this.kernelIm[0] = -this.chirpIm[0];
    for (let k = 1; k < size; k++) {
      this.kernelRe[k] = this.kernelRe[padded - k] = this.chirpRe[k];
      this.kernelIm[k] = this.kernelIm[padded - k] = -this.chirpIm[k];
    }
    this.inner.forward(this.kernelRe, this.kernelIm);
    this.workRe = new Float64Array(padded);
    this.workIm = new Float64Array(padded);
  }

  forward(re: Float64Array, im: Float64Array): void {
    const n = this.size;
    const padded = this.inner.size;
    const wr = this.workRe;
    const wi = this.workIm;
    const cr = this.chirpRe;
    const ci = this.chirpIm;
    for (let k = 0; k < n; k++) {
      wr[k] = re[k] * cr[k] - im[k] * ci[k];
      wi[k] = re[k] * ci[k] + im[k] * cr[k];
    }
    wr.fill(0, n);
    wi.fill(0, n);
    this.inner.forward(wr, wi);
    // Multiply by the kernel's spectrum and conjugate, so a forward FFT acts as an inverse.
    const kr = this.kernelRe;
    const ki = this.kernelIm;
    for (let k = 0; k < padded; k++) {
      const r = wr[k] * kr[k] - wi[k] * ki[k];
      const i = wr[k] * ki[k] + wi[k] * kr[k];
      wr[k] = r;
      wi[k] = -i;
    }
    this.inner.forward(wr, wi);
    const inv = 1 / padded;
    for (let k = 0; k < n; k++) {
      const r = wr[k] * inv;
      const i = -wi[k] * inv;
      re[k] = r * cr[k] - i * ci[k];
      im[k] = r * ci[k] + i * cr[k];
    }
  }
}

/** In-place complex DFT of a fixed length (any length ≥ 1). */
export class ComplexFft {
  private readonly impl: Radix2Fft | BluesteinFft | null;

  constructor(readonly size: number) {
    if (!Number.isInteger(size) || size < 1) {
      throw new RangeError(`FFT length must be a whole number of samples (1 or more); got ${size}.`);
    }
    this.impl = size === 1 ? null : isPowerOfTwo(size) ? new Radix2Fft(size) : new BluesteinFft(size);
  }

  /** Replaces (re, im)[0 .. size) with its DFT. */
  forward(re: Float64Array, im: Float64Array): void {
    if (this.impl !== null) this.impl.forward(re, im);
  }
}

/** One-sided DFT of a real signal of a fixed length: bins 0 .. floor(size/2). */
export class RealFft {
  readonly binCount: number;
  private readonly half: ComplexFft;
  private readonly workRe: Float64Array;
  private readonly workIm: Float64Array;
  private readonly twiddleRe: Float64Array;
  private readonly twiddleIm: Float64Array;
  private readonly even: boolean;

  constructor(readonly size: number) {
    if (!Number.isInteger(size) || size < 1) {
      throw new RangeError(`FFT length must be a whole number of samples (1 or more); got ${size}.`);
    }
    this.binCount = (size >> 1) + 1;
    this.even = size % 2 === 0 && size >= 2;
    const inner = this.even ? size / 2 : size;
    this.half = new ComplexFft(inner);
    this.workRe = new Float64Array(inner);
    this.workIm = new Float64Array(inner);
    this.twiddleRe = new Float64Array(this.binCount);
    this.twiddleIm = new Float64Array(this.binCount);
    for (let k = 0; k < this.binCount; k++) {
      const angle = (2 * Math.PI * k) / size;
      this.twiddleRe[k] = Math.cos(angle);
      this.twiddleIm[k] = -Math.sin(angle);
    }
  }

  /** DFT of input[offset .. offset+size) into outRe/outIm[0 .. binCount). */
  forward(input: Float64Array, offset: number, outRe: Float64Array, outIm: Float64Array): void {
    const wr = this.workRe;
    const wi = this.workIm;
    if (!this.even) {
      for (let n = 0; n < this.size; n++) {
        wr[n] = input[offset + n];
        wi[n] = 0;
      }
      this.half.forward(wr, wi);
      for (let k = 0; k < this.binCount; k++) {
        outRe[k] = wr[k];
        outIm[k] = wi[k];
      }
      return;
    }
    // Pack even samples as real parts, odd samples as imaginary parts, transform at half length,
    // then separate the two interleaved spectra.
    const m = this.size / 2;
    for (let n = 0; n < m; n++) {
      wr[n] = input[offset + 2 * n];
      wi[n] = input[offset + 2 * n + 1];
    }
    this.half.forward(wr, wi);
    const tr = this.twiddleRe;
    const ti = this.twiddleIm;
    for (let k = 0; k <= m; k++) {
      const a = k === m ? 0 : k;
      const b = k === 0 ? 0 : m - k;
      // E = (Z[k] + conj Z[m−k]) / 2 (even samples), O = (Z[k] − conj Z[m−k]) / 2i (odd samples).
      const er = 0.5 * (wr[a] + wr[b]);
      const ei = 0.5 * (wi[a] - wi[b]);
      const or = 0.5 * (wi[a] + wi[b]);
      const oi = -0.5 * (wr[a] - wr[b]);
      outRe[k] = er + or * tr[k] - oi * ti[k];
      outIm[k] = ei + or * ti[k] + oi * tr[k];
    }
  }
}
