// Turns the filter flags shared by `bci stream`, `record`, `replay` and `convert` into a pipeline
// description (validated later by the engine against the board's rate).

import type { PipelineInput, StageDescription } from '../common/contract/pipeline.js';
import { UsageError } from './errors.js';

export interface FilterFlags {
  highpass?: string;
  lowpass?: string;
  bandpass?: string;
  bandstop?: string;
  notch?: string;
  'notch-harmonics'?: string;
  'notch-q'?: string;
  order?: string;
  car?: boolean;
}

export const FILTER_OPTIONS = {
  highpass: { type: 'string' },
  lowpass: { type: 'string' },
  bandpass: { type: 'string' },
  bandstop: { type: 'string' },
  notch: { type: 'string' },
  'notch-harmonics': { type: 'string' },
  'notch-q': { type: 'string' },
  order: { type: 'string' },
  car: { type: 'boolean' },
} as const;

export const FILTER_HELP = `Filters (applied in this order after re-referencing; Butterworth as second-order sections):
  --car                 common average reference over the EEG channels
  --notch 50|60         remove mains interference (IIR notch, Q 30)
  --notch-harmonics N   also remove N harmonics of the notch frequency (default 0)
  --notch-q Q           the notch's quality factor (default 30)
  --highpass HZ         high-pass cut-off
  --lowpass HZ          low-pass cut-off
  --bandpass LO-HI      band-pass edges, e.g. 1-40
  --bandstop LO-HI      band-stop edges, e.g. 48-52
  --order N             Butterworth order 1-8 (SciPy's N; default 4)`;

export function parseNumber(flag: string, text: string, { integer = false, min = -Infinity } = {}): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || (integer && !Number.isInteger(value)) || value < min) {
    const kind = integer ? 'an integer' : 'a number';
    throw new UsageError(`--${flag} needs ${kind}${min > -Infinity ? ` ≥ ${min}` : ''}, got "${text}"`);
  }
  return value;
}

function parseBand(flag: string, text: string): [number, number] {
  const m = /^\s*([0-9.]+)\s*[-:,]\s*([0-9.]+)\s*$/.exec(text);
  if (!m) throw new UsageError(`--${flag} needs two edges in Hz as LO-HI, e.g. --${flag} 1-40 (got "${text}")`);
  const lo = parseNumber(flag, m[1]);
  const hi = parseNumber(flag, m[2]);
  if (!(lo > 0)) throw new UsageError(`--${flag}: the low edge must be above 0 Hz (got ${lo}); for no low edge use --lowpass ${hi}`);
  if (lo >= hi) throw new UsageError(`--${flag}: the low edge (${lo} Hz) must be below the high edge (${hi} Hz): did you mean --${flag} ${hi}-${lo}?`);
  return [lo, hi];
}

export function pipelineFromFlags(flags: FilterFlags): PipelineInput {
  const order = flags.order === undefined ? 4 : parseNumber('order', flags.order, { integer: true });
  if (order < 1 || order > 8) throw new UsageError(`--order must be 1 to 8 (SciPy's N in butter(N, …)), got ${order}`);
  const stages: StageDescription[] = [];
  if (flags.notch !== undefined) {
    const f = parseNumber('notch', flags.notch);
    if (f !== 50 && f !== 60) throw new UsageError(`--notch is the mains frequency: 50 or 60 (got ${flags.notch})`);
    const harmonics = flags['notch-harmonics'] === undefined ? 0 : parseNumber('notch-harmonics', flags['notch-harmonics'], { integer: true, min: 0 });
    const q = flags['notch-q'] === undefined ? 30 : parseNumber('notch-q', flags['notch-q']);
    if (!(q > 0)) throw new UsageError(`--notch-q must be above 0, got ${q}`);
    stages.push({ kind: 'notch', frequencyHz: f, q, harmonics });
  }
  const positive = (flag: 'highpass' | 'lowpass', text: string) => {
    const f = parseNumber(flag, text);
    if (!(f > 0)) throw new UsageError(`--${flag} needs a cut-off above 0 Hz, got ${text}`);
    return f;
  };
  if (flags.highpass !== undefined) stages.push({ kind: 'highpass', cutoffHz: positive('highpass', flags.highpass), order });
  if (flags.lowpass !== undefined) stages.push({ kind: 'lowpass', cutoffHz: positive('lowpass', flags.lowpass), order });
  if (flags.bandpass !== undefined) {
    const [lowHz, highHz] = parseBand('bandpass', flags.bandpass);
    stages.push({ kind: 'bandpass', lowHz, highHz, order });
  }
  if (flags.bandstop !== undefined) {
    const [lowHz, highHz] = parseBand('bandstop', flags.bandstop);
    stages.push({ kind: 'bandstop', lowHz, highHz, order });
  }
  return { reference: flags.car ? 'car' : 'none', stages };
}
