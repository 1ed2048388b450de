// A scrolling spectrogram's numbers, without DOM: one channel's samples in, a column of power (dB)
// per hop out (Hann window of about one second, a quarter-window hop), bins up to maxHz. The panel
// paints each column as it comes.

import { RealFft } from '../../../electron/common/dsp/fft.js';

export class Spectrogram {
  readonly size: number;
  readonly hop: number;
  readonly binCount: number;
  readonly binHz: number;
  private readonly fft: RealFft;
  private readonly window: Float64Array;
  private readonly ring: Float64Array;
  private readonly frame: Float64Array;
  private readonly re: Float64Array;
  private readonly im: Float64Array;
  /** The latest column, dB per bin (0 … binCount-1). */
  readonly column: Float64Array;
  private filled = 0;
  private sinceHop = 0;
  private at = 0;

  constructor(sampleRateHz: number, maxHz = 60) {
    let n = 64;
    while (n < sampleRateHz) n *= 2;
    this.size = n;
    this.hop = n / 4;
    this.binHz = sampleRateHz / n;
    this.binCount = Math.min(n / 2 + 1, Math.floor(maxHz / this.binHz) + 1);
    this.fft = new RealFft(n);
    this.window = Float64Array.from({ length: n }, (_, i) => 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / (n - 1)));
    this.ring = new Float64Array(n);
    this.frame = new Float64Array(n);
    this.re = new Float64Array(n / 2 + 1);
    this.im = new Float64Array(n / 2 + 1);
    this.column = new Float64Array(this.binCount);
  }

  /** Adds samples (every `stride`-th value from `offset`); calls onColumn after each hop once the window is full. */
  push(values: ArrayLike<number>, offset: number, stride: number, count: number, onColumn: (column: Float64Array) => void): void {
    const n = this.size;
    for (let i = 0; i < count; i++) {
      const v = values[offset + i * stride];
      this.ring[this.at] = Number.isFinite(v) ? v : 0;
      this.at = (this.at + 1) % n;
      if (this.filled < n) this.filled++;
      if (++this.sinceHop >= this.hop && this.filled === n) {
        this.sinceHop = 0;
        this.compute();
        onColumn(this.column);
      }
    }
  }

  private compute(): void {
    const n = this.size;
    let mean = 0;
    for (let i = 0; i < n; i++) mean += this.ring[(this.at + i) % n];
    mean /= n;
    for (let i = 0; i < n; i++) this.frame[i] = (this.ring[(this.at + i) % n] - mean) * this.window[i];
    this.fft.forward(this.frame, 0, this.re, this.im);
    for (let k = 0; k < this.binCount; k++) this.column[k] = 10 * Math.log10(this.re[k] * this.re[k] + this.im[k] * this.im[k] + 1e-12);
  }
}
