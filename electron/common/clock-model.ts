// The clock model: an online linear fit of host arrival time against sample index, so that every
// sample gets a host timestamp free of USB/driver delivery jitter, and markers stamped in host time
// map back to a sample index. It reports the fitted sample rate and the residual jitter.
//
// The fit is exponentially weighted least squares (forgetting factor per update), computed on
// values centred at the first observation so the sums stay small and exact enough in float64.
// Until two distinct observations exist it uses the nominal rate.

export interface ClockModelOptions {
  readonly nominalRateHz: number;
  /** Observations weigh down by this factor each update; 0.999 ≈ the last thousand chunks. */
  readonly forgetting?: number;
}

export class ClockModel {
  readonly nominalRateHz: number;
  private readonly forgetting: number;
  private originIndex = 0;
  private originMs = 0;
  private observations = 0;
  // weighted sums over centred x = index - originIndex, y = ms - originMs
  private sw = 0;
  private sx = 0;
  private sy = 0;
  private sxx = 0;
  private sxy = 0;
  private slopeMsPerSample: number;
  private interceptMs = 0;
  private residualSq = 0;

  constructor(options: ClockModelOptions) {
    if (!(options.nominalRateHz > 0)) throw new RangeError('clock model: the nominal rate must be positive');
    this.nominalRateHz = options.nominalRateHz;
    this.forgetting = options.forgetting ?? 0.999;
    this.slopeMsPerSample = 1000 / options.nominalRateHz;
  }

  /** Adds an observation: the row with this sample index arrived at this host time (ms). */
  update(sampleIndex: number, arrivalMs: number): void {
    if (this.observations === 0) {
      this.originIndex = sampleIndex;
      this.originMs = arrivalMs;
      this.interceptMs = 0;
    } else {
      // residual against the fit so far, before it learns from this point
      const predicted = this.interceptMs + this.slopeMsPerSample * (sampleIndex - this.originIndex);
      const r = arrivalMs - this.originMs - predicted;
      this.residualSq = this.observations === 1 ? r * r : this.forgetting * this.residualSq + (1 - this.forgetting) * r * r;
    }
    this.observations++;
    const x = sampleIndex - this.originIndex;
    const y = arrivalMs - this.originMs;
    const f = this.forgetting;
    this.sw = f * this.sw + 1;
    this.sx = f * this.sx + x;
    this.sy = f * this.sy + y;
    this.sxx = f * this.sxx + x * x;
    this.sxy = f * this.sxy + x * y;
    const det = this.sw * this.sxx - this.sx * this.sx;
    // need a spread of indices before trusting the slope (≥ 1/10 s of samples apart)
    if (det > 0 && this.sxx / this.sw - (this.sx / this.sw) ** 2 > (this.nominalRateHz / 10) ** 2) {
      const slope = (this.sw * this.sxy - this.sx * this.sy) / det;
      if (slope > 0) {
        this.slopeMsPerSample = slope;
        this.interceptMs = (this.sy - slope * this.sx) / this.sw;
        return;
      }
    }
    // nominal slope through the weighted mean
    this.slopeMsPerSample = 1000 / this.nominalRateHz;
    this.interceptMs = (this.sy - this.slopeMsPerSample * this.sx) / this.sw;
  }

  /** Host time (ms) of the sample with this index, from the fit. */
  timeOfSample(sampleIndex: number): number {
    return this.originMs + this.interceptMs + this.slopeMsPerSample * (sampleIndex - this.originIndex);
  }

  /** The (fractional) sample index at this host time, from the fit. */
  sampleAtTime(timeMs: number): number {
    return this.originIndex + (timeMs - this.originMs - this.interceptMs) / this.slopeMsPerSample;
  }

  /** The sample rate the host actually observes. */
  get fittedRateHz(): number {
    return 1000 / this.slopeMsPerSample;
  }

  /** Root-mean-square deviation of arrivals from the fit (ms): the delivery jitter removed. */
  get jitterMs(): number {
    return Math.sqrt(this.residualSq);
  }

  get observationCount(): number {
    return this.observations;
  }

  reset(): void {
    this.observations = 0;
    this.sw = this.sx = this.sy = this.sxx = this.sxy = 0;
    this.residualSq = 0;
    this.slopeMsPerSample = 1000 / this.nominalRateHz;
    this.interceptMs = 0;
  }
}
