// Electrode montages: default 10-20 / 10-10 label sets by channel count, and where each label sits
// on the scalp (an approximate flat map and a coarse region), for the synthetic board's spatial
// mixing and for anything else that needs "is this electrode frontal / over the left motor strip".
//
// Labels use the standard 10-10 capitalisation (Oostenveld & Praamstra 2001): row prefixes Fp, AF,
// F, FT, FC, T, C, TP, CP, P, PO, O, I; odd numbers on the left, even on the right, `z` on the
// midline (Fpz, FCz, …).

/** OpenBCI Cyton's default GUI montage. */
export const MONTAGE_8: readonly string[] = Object.freeze(['Fp1', 'Fp2', 'C3', 'C4', 'P7', 'P8', 'O1', 'O2']);

/** OpenBCI Cyton + Daisy default montage: the 8 above, then the Daisy's 8. */
export const MONTAGE_16: readonly string[] = Object.freeze([
  ...MONTAGE_8,
  'F7', 'F8', 'F3', 'F4', 'T7', 'T8', 'P3', 'P4',
]);

/**
 * A 32-channel 10-10 set: the same 32 sites as the BioSemi / common 32-channel caps, ordered so that
 * the 16-channel set is its prefix (a 24-channel board gets the 16 then 8 more).
 */
export const MONTAGE_32: readonly string[] = Object.freeze([
  ...MONTAGE_16,
  'Fz', 'Cz', 'Pz', 'Oz', 'FC1', 'FC2', 'FC5', 'FC6',
  'CP1', 'CP2', 'CP5', 'CP6', 'AF3', 'AF4', 'PO3', 'PO4',
]);

/**
 * The 64-channel 10-10 set in the channel order of the PhysioNet EEG Motor Movement/Imagery
 * dataset (EEGMMIDB, BCI2000 recordings), so that synthetic and replayed data line up column for
 * column. It does not start with the smaller sets.
 */
export const MONTAGE_64: readonly string[] = Object.freeze([
  'FC5', 'FC3', 'FC1', 'FCz', 'FC2', 'FC4', 'FC6',
  'C5', 'C3', 'C1', 'Cz', 'C2', 'C4', 'C6',
  'CP5', 'CP3', 'CP1', 'CPz', 'CP2', 'CP4', 'CP6',
  'Fp1', 'Fpz', 'Fp2',
  'AF7', 'AF3', 'AFz', 'AF4', 'AF8',
  'F7', 'F5', 'F3', 'F1', 'Fz', 'F2', 'F4', 'F6', 'F8',
  'FT7', 'FT8', 'T7', 'T8', 'T9', 'T10', 'TP7', 'TP8',
  'P7', 'P5', 'P3', 'P1', 'Pz', 'P2', 'P4', 'P6', 'P8',
  'PO7', 'PO3', 'POz', 'PO4', 'PO8',
  'O1', 'Oz', 'O2', 'Iz',
]);

/** The largest channel count that has default labels. */
export const MAX_MONTAGE_CHANNELS = 64;

/**
 * Default labels for a board with `channelCount` EEG channels (1..64): the smallest of the 8-, 16-,
 * 32- and 64-channel sets that has at least that many labels, truncated to `channelCount`. So 1..8
 * channels are a prefix of the Cyton set (`Fp1 Fp2 C3 …`), 9..16 of the Cyton+Daisy set, 17..32 of
 * the 32-channel set (which extends the 16), and 33..64 a prefix of the PhysioNet 64-channel order.
 * Returns a new array each call.
 */
export function montageLabels(channelCount: number): string[] {
  if (!Number.isInteger(channelCount) || channelCount < 1 || channelCount > MAX_MONTAGE_CHANNELS) {
    throw new RangeError(
      `montageLabels: channel count must be an integer from 1 to ${MAX_MONTAGE_CHANNELS} (got ${String(channelCount)})`,
    );
  }
  const set =
    channelCount <= MONTAGE_8.length
      ? MONTAGE_8
      : channelCount <= MONTAGE_16.length
        ? MONTAGE_16
        : channelCount <= MONTAGE_32.length
          ? MONTAGE_32
          : MONTAGE_64;
  return set.slice(0, channelCount);
}

// ---------------------------------------------------------------------------------------------
// Positions

/**
 * An electrode's place on a flat map of the head: azimuthal equidistant projection centred on Cz,
 * in degrees of arc from Cz. `x` grows to the right ear (T8 at x = 72), `y` to the nose (Fpz at
 * y = 72); Oz is at (0, -72). Accurate to a few degrees: good for spatial weighting, not for
 * source localisation.
 */
export interface ScalpPosition {
  readonly x: number;
  readonly y: number;
}

/** Arc from Cz to the circumference through Fpz, T7, Oz, T8 (10% of nasion-inion above them). */
const RIM_DEG = 72;
/** Arc from Cz to the lowest ring (T9, Iz): the nasion-inion line itself. */
const LOW_RIM_DEG = 90;
const DEG = Math.PI / 180;

/** Row prefix → index from front (Fp = 0) to back (O = 8); I is handled apart. */
const ROW_INDEX: Readonly<Record<string, number>> = {
  FP: 0, AF: 1, F: 2, FC: 3, FT: 3, C: 4, T: 4, CP: 5, TP: 5, P: 6, PO: 7, O: 8,
};

/** Old 10-20 names that the 10-10 system renamed. */
const OLD_NAMES: Readonly<Record<string, string>> = { T3: 'T7', T4: 'T8', T5: 'P7', T6: 'P8' };

function rimPoint(azimuthDeg: number, radiusDeg: number, side: number): ScalpPosition {
  return { x: side * radiusDeg * Math.sin(azimuthDeg * DEG), y: radiusDeg * Math.cos(azimuthDeg * DEG) };
}

/**
 * Where a 10-20 / 10-10 label sits (case-insensitive; old names T3/T4/T5/T6 accepted), or
 * `undefined` for a label that is not a scalp electrode of the system (A1, M2, EOG, …).
 *
 * Geometry: the midline sites of row i (Fpz … Oz) are 18° apart; the rim (azimuth from the front
 * 18°·k: Fp1, AF7, F7, FT7, T7, TP7, P7, PO7, O1) is 72° from Cz; sites with number n lie
 * ⌈n/2⌉/4 of the way from the midline to the rim along their row; 9/10 (T9, FT10, …) and I1/I2
 * sit on the lower ring at 90°.
 */
export function electrodePosition(label: string): ScalpPosition | undefined {
  const upper = label.trim().toUpperCase();
  const name = OLD_NAMES[upper] ?? upper;
  const match = /^(FP|AF|FT|FC|TP|CP|PO|F|T|C|P|O|I)(Z|\d{1,2})$/.exec(name);
  if (match === null) return undefined;
  const prefix = match[1];
  const suffix = match[2];
  const number = suffix === 'Z' ? 0 : Number(suffix);
  if (suffix !== 'Z' && (number < 1 || number > 10)) return undefined;
  const side = number === 0 ? 0 : number % 2 === 1 ? -1 : 1;
  const step = Math.ceil(number / 2); // 0 on the midline, 4 on the rim, 5 on the lower ring

  if (prefix === 'I') {
    if (number === 0) return { x: 0, y: -LOW_RIM_DEG };
    return step === 1 ? rimPoint(162, LOW_RIM_DEG, side) : undefined;
  }
  const row = ROW_INDEX[prefix];
  if (prefix === 'T' && number !== 0 && step < 4) return undefined; // T1..T6 are not 10-10 names
  if (row === 0 || row === 8) {
    // Fp and O rows: Fpz/Oz on the midline, Fp1/Fp2/O1/O2 on the rim.
    if (number === 0) return { x: 0, y: row === 0 ? RIM_DEG : -RIM_DEG };
    if (step !== 1) return undefined;
    return rimPoint(row === 0 ? 18 : 162, RIM_DEG, side);
  }
  const azimuth = 18 * (row + 1);
  if (step >= 5) return step === 5 ? rimPoint(azimuth, LOW_RIM_DEG, side) : undefined;
  const midY = RIM_DEG - 18 * row;
  const rim = rimPoint(azimuth, RIM_DEG, side);
  const f = step / 4;
  return { x: rim.x * f, y: midY + (rim.y - midY) * f };
}

// ---------------------------------------------------------------------------------------------
// Regions

/**
 * Coarse scalp regions. `frontal`: Fp, AF and F rows. `occipital-parietal`: P, PO, O and I rows.
 * The strip between (FC, FT, C, T, CP, TP rows) is split into `central-left`, `central-midline`
 * (FCz, Cz, CPz) and `central-right`; the temporal sites of that strip (T7, FT8, …) count as
 * central of their side.
 */
export type ScalpRegion = 'frontal' | 'central-left' | 'central-midline' | 'central-right' | 'occipital-parietal';

/** Boundary between the F and FC rows (and between CP and P), in degrees from Cz. */
const CENTRAL_HALF_WIDTH_DEG = 27;

/** The region of a position on the flat map (see {@link ScalpRegion}). */
export function regionOfPosition(position: ScalpPosition): ScalpRegion {
  if (position.y > CENTRAL_HALF_WIDTH_DEG) return 'frontal';
  if (position.y < -CENTRAL_HALF_WIDTH_DEG) return 'occipital-parietal';
  if (position.x < -1e-9) return 'central-left';
  if (position.x > 1e-9) return 'central-right';
  return 'central-midline';
}

/** The region of a label, or `undefined` when the label is not a 10-20 / 10-10 site. */
export function electrodeRegion(label: string): ScalpRegion | undefined {
  const position = electrodePosition(label);
  return position === undefined ? undefined : regionOfPosition(position);
}

/** Arc distance on the flat map between two positions, in degrees. */
export function scalpDistanceDeg(a: ScalpPosition, b: ScalpPosition): number {
  return Math.hypot(a.x - b.x, a.y - b.y);
}

/**
 * A flat-map position as a point on a spherical head of `radiusMm` (X to the right ear, Y to the
 * nose, Z up, origin at the centre): the map's distance from Cz is the arc from the vertex. The
 * same geometry as the LSL outlets' channel locations.
 */
export function sphericalPositionMm(position: ScalpPosition, radiusMm: number): { x: number; y: number; z: number } {
  const rho = Math.hypot(position.x, position.y);
  const theta = rho * DEG;
  const s = rho > 0 ? Math.sin(theta) / rho : 0;
  return { x: radiusMm * s * position.x, y: radiusMm * s * position.y, z: radiusMm * Math.cos(theta) };
}

/**
 * Where a board's channel sits: the position an applied montage gave it ('' for none), else its
 * label's when it is an EEG channel labelled with a 10-20 / 10-10 name; undefined otherwise.
 */
export function channelPosition(channel: { readonly label: string; readonly type: string; readonly position?: string }): ScalpPosition | undefined {
  if (channel.position !== undefined) return channel.position === '' ? undefined : electrodePosition(channel.position);
  return channel.type === 'eeg' ? electrodePosition(channel.label) : undefined;
}
