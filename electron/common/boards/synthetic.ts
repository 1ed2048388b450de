// The built-in synthetic EEG board: its descriptor, its options, and its signal generator.
// Pure and seeded: the driver (electron/engine) owns pacing; this file only turns a sample index
// into samples, identically whether it is asked for 1 row at a time or 10 000.
//
// What a channel carries (all in µV, summed):
//   - 1/f ("pink") background, 10-15 µV RMS in 1-40 Hz: Gaussian white noise through a cascade of
//     first-order shelving sections (poles 0.25·4^k Hz, zeros one octave above: −3 dB/octave),
//     independent per channel plus a shared component (30% of the amplitude);
//   - posterior alpha (one source near Oz/O1/O2, ≈9.5-11 Hz): strongest on O/PO/P sites, weak
//     frontally; slow log-normal amplitude envelope (waxes and wanes over seconds), wandering
//     frequency (±0.3 Hz);
//   - sensorimotor mu (≈10.5-12 Hz) and beta (≈19-24 Hz) from two sources under C3 and C4, spread
//     to neighbouring central sites; in 'mi' mode they desynchronise (ERD, 55-70% amplitude drop,
//     0.5 s ramp) over the hemisphere contralateral to the cued hand;
//   - mains interference at 50 or 60 Hz, 2.5-6 µV, constant phase per channel;
//   - a DC offset per channel (150-3000 µV, either sign) and a slow drift (integrated
//     Ornstein-Uhlenbeck velocity with a 60 s leak: some tens of µV over tens of seconds);
//   - eye blinks every few seconds (1.5 s + exponential with a 2.5 s mean), 100-200 µV at Fp1/Fp2,
//     300 ms, falling off with distance from the eyes (≈1.5% at O1).
//
// Determinism: three independent Random streams from the seed: set-up (per-channel parameters),
// noise (every per-sample draw, in a fixed order: per oscillator envelope then frequency, the
// shared background, each channel's background, then on drift ticks each channel's drift
// velocity), and events (cues, blinks; drawn at the sample where they start). No draw depends on
// how rows are grouped into calls, so chunking never changes a bit of the output. Bit identity
// across machines holds for the same JavaScript engine (Math.sin/exp/log are not specified to the
// last bit by ECMAScript; V8's are the same on every platform).

import type { BoardDescriptor, BoardMarker, ChannelDescriptor } from './descriptor.js';
import { Random } from '../random.js';
import { electrodePosition, montageLabels, scalpDistanceDeg, type ScalpPosition } from './montage.js';

export type SyntheticMode = 'rest' | 'mi';

export interface SyntheticOptions {
  /** EEG channels, 1..64, labelled by {@link montageLabels}. */
  channelCount: number;
  /** 100..1000 Hz. */
  sampleRateHz: number;
  /** Any safe integer; the same seed always gives the same samples and markers. */
  seed: number;
  /** 'rest': eyes-open resting EEG. 'mi': a left/right motor-imagery cue paradigm with markers. */
  mode: SyntheticMode;
  mainsHz: 50 | 60;
}

export const SYNTHETIC_DEFAULTS: SyntheticOptions = Object.freeze({
  channelCount: 8,
  sampleRateHz: 250,
  seed: 1,
  mode: 'rest',
  mainsHz: 50,
} as const);

/** Physical range of a Cyton channel at gain 24 (4.5 V reference, 24-bit): ±187 500 µV. */
export const SYNTHETIC_PHYSICAL_MAX_UV = 187_500;

/** Marker labels of the 'mi' paradigm: each marks the first sample of its period. */
export type SyntheticCueLabel = 'rest' | 'left' | 'right';

/** Timing of the 'mi' paradigm: rest [restMinSec, restMaxSec) uniform, then a cue of cueSec. */
export const SYNTHETIC_MI_TIMING = Object.freeze({
  restMinSec: 1.75,
  restMaxSec: 2.25,
  cueSec: 4,
  /** Time for the mu/beta amplitude to reach its new level after a period starts. */
  erdRampSec: 0.5,
  /** Cues come in shuffled blocks of this many, half 'left' and half 'right'. */
  blockSize: 8,
});

const MIN_RATE_HZ = 100;
const MAX_RATE_HZ = 1000;
const MAX_CHANNELS = 64;

/** Throws a RangeError naming the first bad option and the accepted values. */
export function validateSyntheticOptions(o: SyntheticOptions): void {
  if (typeof o !== 'object' || o === null) throw new RangeError('synthetic board: options must be an object');
  const { channelCount, sampleRateHz, seed, mode, mainsHz } = o;
  if (!Number.isInteger(channelCount) || channelCount < 1 || channelCount > MAX_CHANNELS) {
    throw new RangeError(`synthetic board: channelCount must be an integer from 1 to ${MAX_CHANNELS} (got ${String(channelCount)})`);
  }
  if (typeof sampleRateHz !== 'number' || !Number.isFinite(sampleRateHz) || sampleRateHz < MIN_RATE_HZ || sampleRateHz > MAX_RATE_HZ) {
    throw new RangeError(`synthetic board: sampleRateHz must be a number from ${MIN_RATE_HZ} to ${MAX_RATE_HZ} Hz (got ${String(sampleRateHz)})`);
  }
  if (!Number.isSafeInteger(seed)) {
    throw new RangeError(`synthetic board: seed must be an integer (got ${String(seed)})`);
  }
  if (mode !== 'rest' && mode !== 'mi') {
    throw new RangeError(`synthetic board: mode must be 'rest' or 'mi' (got ${JSON.stringify(mode) ?? String(mode)})`);
  }
  if (mainsHz !== 50 && mainsHz !== 60) {
    throw new RangeError(`synthetic board: mainsHz must be 50 or 60 (got ${String(mainsHz)})`);
  }
}

/** The descriptor of a synthetic board with these options (validated). */
export function syntheticDescriptor(options: SyntheticOptions): BoardDescriptor {
  validateSyntheticOptions(options);
  const channels: ChannelDescriptor[] = montageLabels(options.channelCount).map((label) =>
    Object.freeze({
      label,
      type: 'eeg',
      unit: 'uV',
      physicalMin: -SYNTHETIC_PHYSICAL_MAX_UV,
      physicalMax: SYNTHETIC_PHYSICAL_MAX_UV,
    } as const),
  );
  return Object.freeze({
    id: 'synthetic',
    name: 'Synthetic EEG',
    sampleRateHz: options.sampleRateHz,
    channels: Object.freeze(channels),
  });
}

// ---------------------------------------------------------------------------------------------
// Model constants

const TWO_PI = 2 * Math.PI;

// Background.
const PINK_BAND_LOW_HZ = 1;
const PINK_BAND_HIGH_HZ = 40;
const PINK_RMS_MIN_UV = 10.5;
const PINK_RMS_MAX_UV = 13.5;
const PINK_SHARED_FRACTION = 0.3;
const PINK_FIRST_POLE_HZ = 0.25;
const PINK_POLE_RATIO = 4;
/** Sections whose zero would sit above this fraction of the rate are left out (flat above). */
const PINK_MAX_ZERO_FRACTION = 0.45;

// Oscillators: index, and per-kind parameters.
const OSC_ALPHA = 0;
const OSC_MU_LEFT = 1;
const OSC_MU_RIGHT = 2;
const OSC_BETA_LEFT = 3;
const OSC_BETA_RIGHT = 4;
const OSC_COUNT = 5;

/** Centre of the alpha generator on the flat map, spatial spread, and the frontal floor. */
const ALPHA_CENTRE: ScalpPosition = { x: 0, y: -60 };
const ALPHA_SPREAD_DEG = 40;
const ALPHA_FLOOR = 0.08;
const MU_SPREAD_DEG = 22;
const MU_MIN_GAIN = 0.05;
const BLINK_CENTRE: ScalpPosition = { x: 0, y: 80 };
const BLINK_SPREAD_DEG = 35;
const BLINK_FLOOR = 0.015;
const C3_POSITION = electrodePosition('C3') as ScalpPosition;
const C4_POSITION = electrodePosition('C4') as ScalpPosition;
const FP1_POSITION = electrodePosition('Fp1') as ScalpPosition;

// Drift.
const DRIFT_TICK_HZ = 50;
const DRIFT_VELOCITY_TAU_SEC = 2;
const DRIFT_LEAK_TAU_SEC = 60;

// Blinks.
const BLINK_RISE_SEC = 0.1;
const BLINK_FALL_SEC = 0.2;
const BLINK_MIN_UV = 100;
const BLINK_MAX_UV = 200;
const BLINK_MIN_GAP_SEC = 1.5;
const BLINK_MEAN_EXTRA_GAP_SEC = 2.5;

// Random streams.
const STREAM_SETUP = 1;
const STREAM_NOISE = 2;
const STREAM_BLINKS = 3;
const STREAM_CUES = 4;

const CUE_LEFT = 1;
const CUE_RIGHT = 2;

function gaussianFalloff(distanceDeg: number, spreadDeg: number): number {
  return Math.exp(-(distanceDeg * distanceDeg) / (2 * spreadDeg * spreadDeg));
}

/** AR(1) coefficient and innovation scale of a unit-variance Ornstein-Uhlenbeck process. */
function ouCoefficients(tauSec: number, stepSec: number): [number, number] {
  const a = Math.exp(-stepSec / tauSec);
  return [a, Math.sqrt(1 - a * a)];
}

// ---------------------------------------------------------------------------------------------
// Generator

/**
 * The synthetic EEG generator. One instance per stream; `generate` continues where the last call
 * stopped. Not thread-safe (one producer).
 */
export class SyntheticEeg {
  readonly descriptor: BoardDescriptor;
  private readonly options: Readonly<SyntheticOptions>;
  private readonly channelCount: number;
  private readonly sampleRateHz: number;
  private sampleIndex = 0;

  private readonly noise: Random;
  private readonly blinkRandom: Random;
  private readonly cueRandom: Random;

  // Pink background: first-order sections (transposed direct form II), state per source.
  private readonly pinkB0: Float64Array;
  private readonly pinkB1: Float64Array;
  private readonly pinkA1: Float64Array;
  private readonly pinkSections: number;
  /** (channelCount + 1) × sections; the last source is the shared component. */
  private readonly pinkState: Float64Array;
  /** Scale of the white input per source (last = shared). */
  private readonly pinkInputUv: Float64Array;

  // Oscillators.
  private readonly oscPhase = new Float64Array(OSC_COUNT);
  private readonly oscFreqHz = new Float64Array(OSC_COUNT);
  private readonly oscWanderHz = new Float64Array(OSC_COUNT);
  private readonly oscWanderA = new Float64Array(OSC_COUNT);
  private readonly oscWanderB = new Float64Array(OSC_COUNT);
  private readonly oscWander = new Float64Array(OSC_COUNT);
  private readonly oscAmplitudeUv = new Float64Array(OSC_COUNT);
  private readonly oscEnvSigma = new Float64Array(OSC_COUNT);
  private readonly oscEnvA = new Float64Array(OSC_COUNT);
  private readonly oscEnvB = new Float64Array(OSC_COUNT);
  private readonly oscEnv = new Float64Array(OSC_COUNT);
  /** ERD gain of the left-hemisphere (C3) and right-hemisphere (C4) sources, and their targets. */
  private readonly erdGain = new Float64Array([1, 1]);
  private readonly erdTarget = new Float64Array([1, 1]);
  private readonly erdStep: number;
  private readonly erdDepth: number;

  // Per-channel mixing.
  private readonly dcUv: Float64Array;
  private readonly sharedGain: Float64Array;
  private readonly alphaGain: Float64Array;
  private readonly leftGain: Float64Array;
  private readonly rightGain: Float64Array;
  private readonly blinkGain: Float64Array;
  /** Mains as sin(ωn)·P + cos(ωn)·Q = A·sin(ωn + φ). */
  private readonly mainsP: Float64Array;
  private readonly mainsQ: Float64Array;
  /** Mains phase in cycles × sampleRateHz (exact for integer rates): advances by mainsHz. */
  private mainsCycle = 0;

  // Drift.
  private readonly driftUv: Float64Array;
  private readonly driftVelocityUvPerSec: Float64Array;
  private readonly driftVelocityScale: Float64Array;
  private readonly driftTickSamples: number;
  private readonly driftVelocityA: number;
  private readonly driftVelocityB: number;
  private driftCountdown = 0;

  // Blinks.
  private readonly blinkTemplate: Float64Array;
  private blinkPosition: number;
  private blinkAmplitudeUv = 0;
  private nextBlinkSample: number;

  // Cues ('mi' mode).
  private readonly cueBlock = new Uint8Array(SYNTHETIC_MI_TIMING.blockSize);
  private cueBlockPosition: number = SYNTHETIC_MI_TIMING.blockSize;
  private nextCueSample = 0;
  private nextPeriodIsRest = true;
  private readonly cueSamples: number;

  constructor(options: SyntheticOptions) {
    validateSyntheticOptions(options);
    this.options = Object.freeze({ ...options });
    this.descriptor = syntheticDescriptor(options);
    const channelCount = options.channelCount;
    const fs = options.sampleRateHz;
    this.channelCount = channelCount;
    this.sampleRateHz = fs;

    const setup = new Random(options.seed, STREAM_SETUP);
    this.noise = new Random(options.seed, STREAM_NOISE);
    this.blinkRandom = new Random(options.seed, STREAM_BLINKS);
    this.cueRandom = new Random(options.seed, STREAM_CUES);

    // Pink filter design (shared by all sources).
    const b0: number[] = [];
    const b1: number[] = [];
    const a1: number[] = [];
    for (let pole = PINK_FIRST_POLE_HZ; pole * 2 < PINK_MAX_ZERO_FRACTION * fs; pole *= PINK_POLE_RATIO) {
      const zero = pole * 2; // one octave above: the shelf falls 6 dB per 2 octaves on average
      const tp = Math.tan((Math.PI * pole) / fs);
      const tz = Math.tan((Math.PI * zero) / fs);
      const k = tp / tz / (tp + 1);
      b0.push(k * (tz + 1));
      b1.push(k * (tz - 1));
      a1.push((tp - 1) / (tp + 1));
    }
    this.pinkSections = b0.length;
    this.pinkB0 = Float64Array.from(b0);
    this.pinkB1 = Float64Array.from(b1);
    this.pinkA1 = Float64Array.from(a1);
    this.pinkState = new Float64Array((channelCount + 1) * this.pinkSections);
    const unitBandRmsUv = this.pinkBandRms(PINK_BAND_LOW_HZ, PINK_BAND_HIGH_HZ);

    this.pinkInputUv = new Float64Array(channelCount + 1);
    this.sharedGain = new Float64Array(channelCount);
    this.dcUv = new Float64Array(channelCount);
    this.alphaGain = new Float64Array(channelCount);
    this.leftGain = new Float64Array(channelCount);
    this.rightGain = new Float64Array(channelCount);
    this.blinkGain = new Float64Array(channelCount);
    this.mainsP = new Float64Array(channelCount);
    this.mainsQ = new Float64Array(channelCount);
    this.driftUv = new Float64Array(channelCount);
    this.driftVelocityUvPerSec = new Float64Array(channelCount);
    this.driftVelocityScale = new Float64Array(channelCount);

    // The shared background source has unit band RMS; each channel takes a share of it.
    this.pinkInputUv[channelCount] = 1 / unitBandRmsUv;
    const blinkAtFp1 = gaussianFalloff(scalpDistanceDeg(FP1_POSITION, BLINK_CENTRE), BLINK_SPREAD_DEG);
    for (let c = 0; c < channelCount; c++) {
      const label = this.descriptor.channels[c].label;
      const position = electrodePosition(label);
      const bandRmsUv = setup.nextRange(PINK_RMS_MIN_UV, PINK_RMS_MAX_UV);
      this.sharedGain[c] = PINK_SHARED_FRACTION * bandRmsUv;
      const ownRmsUv = Math.sqrt(1 - PINK_SHARED_FRACTION * PINK_SHARED_FRACTION) * bandRmsUv;
      this.pinkInputUv[c] = ownRmsUv / unitBandRmsUv;

      const dcSign = setup.nextFloat() < 0.5 ? -1 : 1;
      this.dcUv[c] = dcSign * setup.nextRange(150, 3000);

      const mainsAmplitudeUv = setup.nextRange(2.5, 6);
      const mainsPhase = setup.nextRange(0, TWO_PI);
      this.mainsP[c] = mainsAmplitudeUv * Math.cos(mainsPhase);
      this.mainsQ[c] = mainsAmplitudeUv * Math.sin(mainsPhase);

      this.driftVelocityScale[c] = setup.nextRange(1.5, 4);

      if (position !== undefined) {
        this.alphaGain[c] =
          ALPHA_FLOOR + (1 - ALPHA_FLOOR) * gaussianFalloff(scalpDistanceDeg(position, ALPHA_CENTRE), ALPHA_SPREAD_DEG);
        const left = gaussianFalloff(scalpDistanceDeg(position, C3_POSITION), MU_SPREAD_DEG);
        const right = gaussianFalloff(scalpDistanceDeg(position, C4_POSITION), MU_SPREAD_DEG);
        this.leftGain[c] = left >= MU_MIN_GAIN ? left : 0;
        this.rightGain[c] = right >= MU_MIN_GAIN ? right : 0;
        this.blinkGain[c] =
          BLINK_FLOOR + gaussianFalloff(scalpDistanceDeg(position, BLINK_CENTRE), BLINK_SPREAD_DEG) / blinkAtFp1;
      } else {
        // Not a 10-10 site (cannot happen with montage labels): background, mains and DC only.
        this.alphaGain[c] = ALPHA_FLOOR;
        this.blinkGain[c] = BLINK_FLOOR;
      }
    }

    // Oscillators: alpha, mu (left, right), beta (left, right).
    const dtSec = 1 / fs;
    const setOscillator = (
      index: number,
      freqHz: number,
      amplitudeUv: number,
      wanderHz: number,
      wanderTauSec: number,
      envSigma: number,
      envTauSec: number,
    ): void => {
      this.oscFreqHz[index] = freqHz;
      this.oscAmplitudeUv[index] = amplitudeUv;
      this.oscWanderHz[index] = wanderHz;
      [this.oscWanderA[index], this.oscWanderB[index]] = ouCoefficients(wanderTauSec, dtSec);
      this.oscEnvSigma[index] = envSigma;
      [this.oscEnvA[index], this.oscEnvB[index]] = ouCoefficients(envTauSec, dtSec);
      this.oscPhase[index] = setup.nextRange(0, TWO_PI);
      this.oscWander[index] = setup.nextGaussian();
      this.oscEnv[index] = setup.nextGaussian();
    };
    setOscillator(OSC_ALPHA, setup.nextRange(9.5, 10.8), setup.nextRange(10, 14), 0.3, 4, 0.5, 1.5);
    const muFreqHz = setup.nextRange(10.5, 12);
    const muAmplitudeUv = setup.nextRange(8, 11);
    const betaFreqHz = setup.nextRange(19, 24);
    setOscillator(OSC_MU_LEFT, muFreqHz + setup.nextRange(-0.3, 0.3), muAmplitudeUv, 0.2, 4, 0.4, 1);
    setOscillator(OSC_MU_RIGHT, muFreqHz + setup.nextRange(-0.3, 0.3), muAmplitudeUv, 0.2, 4, 0.4, 1);
    setOscillator(OSC_BETA_LEFT, betaFreqHz + setup.nextRange(-0.5, 0.5), 0.4 * muAmplitudeUv, 0.5, 3, 0.5, 0.5);
    setOscillator(OSC_BETA_RIGHT, betaFreqHz + setup.nextRange(-0.5, 0.5), 0.4 * muAmplitudeUv, 0.5, 3, 0.5, 0.5);
    this.erdDepth = setup.nextRange(0.55, 0.7);
    this.erdStep = this.erdDepth / (SYNTHETIC_MI_TIMING.erdRampSec * fs);

    // Drift.
    this.driftTickSamples = Math.max(1, Math.round(fs / DRIFT_TICK_HZ));
    [this.driftVelocityA, this.driftVelocityB] = ouCoefficients(DRIFT_VELOCITY_TAU_SEC, this.driftTickSamples / fs);

    // Blinks: asymmetric raised-cosine bump, quick rise, slower fall.
    const riseSamples = Math.max(1, Math.round(BLINK_RISE_SEC * fs));
    const fallSamples = Math.max(1, Math.round(BLINK_FALL_SEC * fs));
    this.blinkTemplate = new Float64Array(riseSamples + fallSamples);
    for (let i = 0; i < riseSamples; i++) this.blinkTemplate[i] = 0.5 * (1 - Math.cos((Math.PI * i) / riseSamples));
    for (let i = 0; i < fallSamples; i++) this.blinkTemplate[riseSamples + i] = 0.5 * (1 + Math.cos((Math.PI * i) / fallSamples));
    this.blinkPosition = this.blinkTemplate.length;
    this.nextBlinkSample = Math.round(fs * this.blinkRandom.nextRange(0.5, 3));

    this.cueSamples = Math.round(SYNTHETIC_MI_TIMING.cueSec * fs);
  }

  /** Sample index of the next row to be generated (starts at 0). */
  get nextSampleIndex(): number {
    return this.sampleIndex;
  }

  /** The options this generator was built with (validated, frozen). */
  get settings(): Readonly<SyntheticOptions> {
    return this.options;
  }

  /**
   * Fills out[0 .. rowCount*channelCount) with rowCount interleaved rows (row-major: row r, channel
   * c at r*channelCount + c), in µV. Calls onMarker for every cue that starts within these rows
   * (synchronously, before `generate` returns). No allocation per sample.
   */
  generate(out: Float64Array, rowCount: number, onMarker?: (marker: BoardMarker) => void): void {
    const channelCount = this.channelCount;
    if (!Number.isInteger(rowCount) || rowCount < 0) {
      throw new RangeError(`SyntheticEeg.generate: rowCount must be a non-negative integer (got ${String(rowCount)})`);
    }
    if (out.length < rowCount * channelCount) {
      throw new RangeError(
        `SyntheticEeg.generate: output holds ${out.length} values but ${rowCount} rows × ${channelCount} channels need ${rowCount * channelCount}`,
      );
    }
    const fs = this.sampleRateHz;
    const invFs = 1 / fs;
    const phaseStepPerHz = TWO_PI / fs;
    const mi = this.options.mode === 'mi';
    const mainsHz = this.options.mainsHz;
    const mainsPhasePerCycle = TWO_PI / fs;
    const noise = this.noise;

    const sections = this.pinkSections;
    const pinkB0 = this.pinkB0;
    const pinkB1 = this.pinkB1;
    const pinkA1 = this.pinkA1;
    const pinkState = this.pinkState;
    const pinkInputUv = this.pinkInputUv;

    const oscPhase = this.oscPhase;
    const oscFreqHz = this.oscFreqHz;
    const oscWanderHz = this.oscWanderHz;
    const oscWanderA = this.oscWanderA;
    const oscWanderB = this.oscWanderB;
    const oscWander = this.oscWander;
    const oscAmplitudeUv = this.oscAmplitudeUv;
    const oscEnvSigma = this.oscEnvSigma;
    const oscEnvA = this.oscEnvA;
    const oscEnvB = this.oscEnvB;
    const oscEnv = this.oscEnv;
    const erdGain = this.erdGain;
    const erdTarget = this.erdTarget;
    const erdStep = this.erdStep;

    const dcUv = this.dcUv;
    const sharedGain = this.sharedGain;
    const alphaGain = this.alphaGain;
    const leftGain = this.leftGain;
    const rightGain = this.rightGain;
    const blinkGain = this.blinkGain;
    const mainsP = this.mainsP;
    const mainsQ = this.mainsQ;
    const driftUv = this.driftUv;
    const driftVelocity = this.driftVelocityUvPerSec;
    const driftVelocityScale = this.driftVelocityScale;
    const driftA = this.driftVelocityA;
    const driftB = this.driftVelocityB;
    const driftLeak = invFs / DRIFT_LEAK_TAU_SEC;
    const blinkTemplate = this.blinkTemplate;
    const blinkLength = blinkTemplate.length;
    const sharedStateBase = channelCount * sections;

    let n = this.sampleIndex;
    let mainsCycle = this.mainsCycle;
    let driftCountdown = this.driftCountdown;
    let blinkPosition = this.blinkPosition;

    for (let r = 0; r < rowCount; r++, n++) {
      // Events first: they change state that this very sample already uses.
      if (mi && n === this.nextCueSample) this.startPeriod(n, onMarker);
      if (n === this.nextBlinkSample) {
        this.blinkAmplitudeUv = this.blinkRandom.nextRange(BLINK_MIN_UV, BLINK_MAX_UV);
        blinkPosition = 0;
        const gapSec = BLINK_MIN_GAP_SEC + this.blinkRandom.nextExponential(BLINK_MEAN_EXTRA_GAP_SEC);
        this.nextBlinkSample = n + Math.max(blinkLength, Math.round(gapSec * fs));
      }

      // Oscillators: envelope and frequency wander, then one sine each.
      let alpha = 0;
      let left = 0;
      let right = 0;
      for (let k = 0; k < OSC_COUNT; k++) {
        const env = oscEnvA[k] * oscEnv[k] + oscEnvB[k] * noise.nextGaussian();
        oscEnv[k] = env;
        const wander = oscWanderA[k] * oscWander[k] + oscWanderB[k] * noise.nextGaussian();
        oscWander[k] = wander;
        let phase = oscPhase[k] + phaseStepPerHz * (oscFreqHz[k] + oscWanderHz[k] * wander);
        if (phase >= TWO_PI) phase -= TWO_PI;
        oscPhase[k] = phase;
        const sigma = oscEnvSigma[k];
        const value = oscAmplitudeUv[k] * Math.exp(sigma * env - 0.5 * sigma * sigma) * Math.sin(phase);
        if (k === OSC_ALPHA) alpha = value;
        else if (k === OSC_MU_LEFT || k === OSC_BETA_LEFT) left += value;
        else right += value;
      }
      for (let h = 0; h < 2; h++) {
        const g = erdGain[h];
        const t = erdTarget[h];
        if (g < t) erdGain[h] = Math.min(t, g + erdStep);
        else if (g > t) erdGain[h] = Math.max(t, g - erdStep);
      }
      left *= erdGain[0];
      right *= erdGain[1];

      let blink = 0;
      if (blinkPosition < blinkLength) blink = this.blinkAmplitudeUv * blinkTemplate[blinkPosition++];

      const mainsPhase = mainsPhasePerCycle * mainsCycle;
      const mainsSin = Math.sin(mainsPhase);
      const mainsCos = Math.cos(mainsPhase);
      mainsCycle += mainsHz;
      if (mainsCycle >= fs) mainsCycle -= fs;

      // Shared background source.
      let shared = pinkInputUv[channelCount] * noise.nextGaussian();
      for (let s = 0; s < sections; s++) {
        const i = sharedStateBase + s;
        const y = pinkB0[s] * shared + pinkState[i];
        pinkState[i] = pinkB1[s] * shared - pinkA1[s] * y;
        shared = y;
      }

      const base = r * channelCount;
      for (let c = 0; c < channelCount; c++) {
        let x = pinkInputUv[c] * noise.nextGaussian();
        const stateBase = c * sections;
        for (let s = 0; s < sections; s++) {
          const i = stateBase + s;
          const y = pinkB0[s] * x + pinkState[i];
          pinkState[i] = pinkB1[s] * x - pinkA1[s] * y;
          x = y;
        }
        const drift = driftUv[c] + driftVelocity[c] * invFs - driftUv[c] * driftLeak;
        driftUv[c] = drift;
        out[base + c] =
          dcUv[c] +
          drift +
          x +
          sharedGain[c] * shared +
          alphaGain[c] * alpha +
          leftGain[c] * left +
          rightGain[c] * right +
          blinkGain[c] * blink +
          mainsP[c] * mainsSin +
          mainsQ[c] * mainsCos;
      }

      // Drift velocity ticks (after the channels, so the draw order is fixed).
      if (--driftCountdown <= 0) {
        driftCountdown = this.driftTickSamples;
        for (let c = 0; c < channelCount; c++) {
          driftVelocity[c] = driftA * driftVelocity[c] + driftB * driftVelocityScale[c] * noise.nextGaussian();
        }
      }
    }

    this.sampleIndex = n;
    this.mainsCycle = mainsCycle;
    this.driftCountdown = driftCountdown;
    this.blinkPosition = blinkPosition;
  }

  /** Starts the next 'mi' period at sample n: draws its length (and cue), sets the ERD targets. */
  private startPeriod(n: number, onMarker: ((marker: BoardMarker) => void) | undefined): void {
    const timing = SYNTHETIC_MI_TIMING;
    let label: SyntheticCueLabel;
    if (this.nextPeriodIsRest) {
      label = 'rest';
      this.erdTarget[0] = 1;
      this.erdTarget[1] = 1;
      const restSec = this.cueRandom.nextRange(timing.restMinSec, timing.restMaxSec);
      this.nextCueSample = n + Math.max(1, Math.round(restSec * this.sampleRateHz));
    } else {
      if (this.cueBlockPosition >= this.cueBlock.length) this.shuffleCueBlock();
      const cue = this.cueBlock[this.cueBlockPosition++];
      // Imagining the left hand desynchronises the right hemisphere (C4), and vice versa.
      label = cue === CUE_LEFT ? 'left' : 'right';
      this.erdTarget[0] = cue === CUE_RIGHT ? 1 - this.erdDepth : 1;
      this.erdTarget[1] = cue === CUE_LEFT ? 1 - this.erdDepth : 1;
      this.nextCueSample = n + this.cueSamples;
    }
    this.nextPeriodIsRest = !this.nextPeriodIsRest;
    if (onMarker !== undefined) onMarker({ sampleIndex: n, label });
  }

  /** A new balanced block of cues (half left, half right), Fisher-Yates shuffled. */
  private shuffleCueBlock(): void {
    const block = this.cueBlock;
    for (let i = 0; i < block.length; i++) block[i] = i % 2 === 0 ? CUE_LEFT : CUE_RIGHT;
    for (let i = block.length - 1; i > 0; i--) {
      const j = this.cueRandom.nextInt(i + 1);
      const t = block[i];
      block[i] = block[j];
      block[j] = t;
    }
    this.cueBlockPosition = 0;
  }

  /** RMS (µV) in [lowHz, highHz] of the pink filter driven by unit-variance white noise. */
  private pinkBandRms(lowHz: number, highHz: number): number {
    const fs = this.sampleRateHz;
    const steps = 4000;
    const df = (highHz - lowHz) / steps;
    let power = 0;
    for (let i = 0; i <= steps; i++) {
      const f = lowHz + i * df;
      const cosW = Math.cos((TWO_PI * f) / fs);
      let gain2 = 1;
      for (let s = 0; s < this.pinkSections; s++) {
        const b0 = this.pinkB0[s];
        const b1 = this.pinkB1[s];
        const a1 = this.pinkA1[s];
        gain2 *= (b0 * b0 + b1 * b1 + 2 * b0 * b1 * cosW) / (1 + a1 * a1 + 2 * a1 * cosW);
      }
      // One-sided PSD of unit white noise at rate fs is 2/fs per Hz; trapezoid weights.
      power += (i === 0 || i === steps ? 0.5 : 1) * gain2 * (2 / fs) * df;
    }
    return Math.sqrt(power);
  }
}

/** The 'mi' cue labels, for consumers that want to check a marker. */
export const SYNTHETIC_CUE_LABELS: readonly SyntheticCueLabel[] = Object.freeze(['rest', 'left', 'right']);
