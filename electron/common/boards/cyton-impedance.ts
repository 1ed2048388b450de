// Electrode impedance from the Cyton's lead-off test, pure. With `z CH 0 1 Z` the ADS1299 drives
// 6 nA at 31.25 Hz through the electrode on the channel's N input; the electrode (plus the board's
// 2.2 kΩ series resistor) turns it into a 31.25 Hz voltage:
//
//   impedance ≈ √2 · Vrms(31.25 Hz) / 6 nA − 2.2 kΩ   (√2 · Vrms = the tone's peak amplitude)
//
// Vrms of the 31.25 Hz component only is taken (Goertzel on a detrended, Hann-windowed block),
// so EEG, drift and mains around it barely count, unlike a plain standard deviation.
//
// Thresholds (wet gel electrodes; dry electrodes read higher):
//   good  < 10 kΩ
//   fair  < 50 kΩ
//   bad   ≥ 50 kΩ, or the channel railed (within 10% of full scale: electrode off or unplugged)

export const LEAD_OFF_CURRENT_A = 6e-9;
export const LEAD_OFF_FREQUENCY_HZ = 31.25;
export const SERIES_RESISTOR_OHM = 2200;
export const IMPEDANCE_GOOD_BELOW_KOHM = 10;
export const IMPEDANCE_FAIR_BELOW_KOHM = 50;
/** Fraction of full scale beyond which a channel counts as railed. */
export const RAILED_FRACTION = 0.9;

export type ImpedanceQuality = 'good' | 'fair' | 'bad';

export interface ImpedanceReading {
  /** 1-based channel. */
  readonly channel: number;
  readonly label: string;
  /** Impedance in kΩ (0 when the tone is smaller than the series resistor alone explains). */
  readonly impedanceKOhm: number;
  /** Peak amplitude of the 31.25 Hz tone in µV. */
  readonly toneAmplitudeUv: number;
  readonly quality: ImpedanceQuality;
  /** The signal sat near full scale: the value is meaningless (electrode off, lead unplugged). */
  readonly railed: boolean;
  /** Samples the estimate used. */
  readonly samples: number;
}

/**
 * Peak amplitude of the `frequencyHz` component of `count` samples taken every `stride` values
 * from `data[offset]` (interleaved rows work directly). Linear trend removed, Hann window,
 * Goertzel; exact for a pure tone whatever its phase.
 */
export function toneAmplitude(
  data: ArrayLike<number>,
  count: number,
  sampleRateHz: number,
  frequencyHz: number,
  offset = 0,
  stride = 1,
): number {
  if (count < 4) return 0;
  // least-squares line through (n, x[n])
  let sx = 0;
  let snx = 0;
  for (let n = 0; n < count; n++) {
    const x = data[offset + n * stride];
    sx += x;
    snx += n * x;
  }
  const meanN = (count - 1) / 2;
  const meanX = sx / count;
  let snn = 0;
  for (let n = 0; n < count; n++) snn += (n - meanN) * (n - meanN);
  const slope = (snx - count * meanN * meanX) / snn;
  const omega = (2 * Math.PI * frequencyHz) / sampleRateHz;
  const coeff = 2 * Math.cos(omega);
  let s1 = 0;
  let s2 = 0;
  let windowSum = 0;
  for (let n = 0; n < count; n++) {
    const w = 0.5 - 0.5 * Math.cos((2 * Math.PI * n) / count);
    const x = (data[offset + n * stride] - meanX - slope * (n - meanN)) * w;
    windowSum += w;
    const s0 = x + coeff * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  const power = s1 * s1 + s2 * s2 - coeff * s1 * s2;
  return (2 * Math.sqrt(Math.max(0, power))) / windowSum;
}

/** kΩ from the tone's peak amplitude in µV. */
export function impedanceKOhmFromAmplitude(toneAmplitudeUv: number): number {
  const ohms = (toneAmplitudeUv * 1e-6) / LEAD_OFF_CURRENT_A - SERIES_RESISTOR_OHM;
  return Math.max(0, ohms) / 1000;
}

/** The tone's peak amplitude in µV that an electrode of `kOhm` produces (for emulators and tests). */
export function amplitudeUvForImpedance(kOhm: number): number {
  return (kOhm * 1000 + SERIES_RESISTOR_OHM) * LEAD_OFF_CURRENT_A * 1e6;
}

export function impedanceQuality(kOhm: number, railed = false): ImpedanceQuality {
  if (railed || !(kOhm < IMPEDANCE_FAIR_BELOW_KOHM)) return 'bad';
  return kOhm < IMPEDANCE_GOOD_BELOW_KOHM ? 'good' : 'fair';
}

/**
 * One channel's reading from `count` samples (µV) taken every `stride` values from `data[offset]`.
 * `fullScaleUv` is the channel's range at its gain (railed detection).
 */
export function measureImpedance(
  data: ArrayLike<number>,
  count: number,
  options: { channel: number; label: string; sampleRateHz: number; fullScaleUv: number; offset?: number; stride?: number },
): ImpedanceReading {
  const offset = options.offset ?? 0;
  const stride = options.stride ?? 1;
  let peak = 0;
  for (let n = 0; n < count; n++) peak = Math.max(peak, Math.abs(data[offset + n * stride]));
  const railed = count > 0 && peak >= RAILED_FRACTION * options.fullScaleUv;
  const amplitude = toneAmplitude(data, count, options.sampleRateHz, LEAD_OFF_FREQUENCY_HZ, offset, stride);
  const kOhm = impedanceKOhmFromAmplitude(amplitude);
  return {
    channel: options.channel,
    label: options.label,
    impedanceKOhm: kOhm,
    toneAmplitudeUv: amplitude,
    quality: impedanceQuality(kOhm, railed),
    railed,
    samples: count,
  };
}
