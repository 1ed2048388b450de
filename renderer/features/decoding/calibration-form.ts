// The calibration panel's form: what its fields say (as typed), one form per paradigm so that
// switching keeps both, the configuration it stands for (or the problems, each with its field),
// and what is remembered between visits. Pure: no DOM.

import { configProblems, type CalibrationConfig, type ConfigProblem, type ParadigmKind, type PhaseTiming } from './paradigm.js';

export interface ParadigmForm {
  /** Comma-separated class labels. */
  readonly classes: string;
  /** SSVEP: comma-separated flicker frequencies (Hz), one per class. */
  readonly frequencies: string;
  readonly trialsPerClass: string;
  readonly fixationSec: string;
  readonly cueSec: string;
  readonly taskSec: string;
  readonly breakSec: string;
  readonly jitterSec: string;
  readonly seed: string;
  readonly phaseMarkers: boolean;
}

export interface CalibrationSettings {
  readonly kind: ParadigmKind;
  readonly forms: { readonly [K in ParadigmKind]: ParadigmForm };
  /** On a board that sends its own cue markers: follow them instead of drawing a schedule. */
  readonly useBoardCues: boolean;
}

/** Graz-style motor imagery: cross 2 s, arrow 1.25 s, imagery 3 s, break 2-3 s; 30 trials. */
export const DEFAULT_MI_FORM: ParadigmForm = Object.freeze({
  classes: 'left, right, rest',
  frequencies: '',
  trialsPerClass: '10',
  fixationSec: '2',
  cueSec: '1.25',
  taskSec: '3',
  breakSec: '2',
  jitterSec: '1',
  seed: '1',
  phaseMarkers: true,
});

/** Two SSVEP targets at 30 and 20 Hz (whole frames at 60 Hz): look 1 s, flicker 4 s. */
export const DEFAULT_SSVEP_FORM: ParadigmForm = Object.freeze({
  classes: '30Hz, 20Hz',
  frequencies: '30, 20',
  trialsPerClass: '10',
  fixationSec: '1',
  cueSec: '1',
  taskSec: '4',
  breakSec: '1.5',
  jitterSec: '0.5',
  seed: '1',
  phaseMarkers: true,
});

export const DEFAULT_SETTINGS: CalibrationSettings = Object.freeze({ kind: 'mi', forms: Object.freeze({ mi: DEFAULT_MI_FORM, ssvep: DEFAULT_SSVEP_FORM }), useBoardCues: true });

export const PARADIGM_NAMES: { readonly [K in ParadigmKind]: string } = { mi: 'Motor imagery', ssvep: 'SSVEP' };

/** What the task period is called in each paradigm. */
export const TASK_NAMES: { readonly [K in ParadigmKind]: string } = { mi: 'Imagery', ssvep: 'Flicker' };

export type FormResult = { readonly ok: true; readonly config: CalibrationConfig } | { readonly ok: false; readonly problems: readonly ConfigProblem[] };

const splitList = (text: string): string[] =>
  text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');

/** The configuration a form stands for, or every problem with its field. */
export function parseForm(kind: ParadigmKind, form: ParadigmForm): FormResult {
  const problems: ConfigProblem[] = [];
  const number = (text: string, field: ConfigProblem['field'], what: string): number => {
    const t = text.trim();
    const v = t === '' ? Number.NaN : Number(t);
    if (!Number.isFinite(v)) problems.push({ field, message: `${what} must be a number (got "${t}")` });
    return v;
  };
  const classes = splitList(form.classes);
  const frequenciesHz = kind === 'ssvep' ? splitList(form.frequencies).map((f) => number(f, 'frequenciesHz', 'each flicker frequency')) : [];
  const timing: PhaseTiming = {
    fixationSec: number(form.fixationSec, 'fixationSec', 'the fixation (s)'),
    cueSec: number(form.cueSec, 'cueSec', 'the cue (s)'),
    taskSec: number(form.taskSec, 'taskSec', `the ${TASK_NAMES[kind].toLowerCase()} period (s)`),
    breakSec: number(form.breakSec, 'breakSec', 'the break (s)'),
    jitterSec: number(form.jitterSec, 'jitterSec', 'the jitter (s)'),
  };
  const config: CalibrationConfig = {
    kind,
    classes,
    frequenciesHz,
    trialsPerClass: number(form.trialsPerClass, 'trialsPerClass', 'trials per class'),
    timing,
    seed: number(form.seed, 'seed', 'the seed'),
    phaseMarkers: form.phaseMarkers,
  };
  if (problems.length > 0) return { ok: false, problems };
  const more = configProblems(config);
  return more.length > 0 ? { ok: false, problems: more } : { ok: true, config };
}

/** A run's length in seconds without the jitter, and with its mean. */
export function runLengthSec(config: CalibrationConfig): number {
  const t = config.timing;
  return config.classes.length * config.trialsPerClass * (t.fixationSec + t.cueSec + t.taskSec + t.breakSec + t.jitterSec / 2);
}

const FORM_KEYS: readonly (keyof ParadigmForm)[] = ['classes', 'frequencies', 'trialsPerClass', 'fixationSec', 'cueSec', 'taskSec', 'breakSec', 'jitterSec', 'seed', 'phaseMarkers'];

function restoreForm(raw: unknown, defaults: ParadigmForm): ParadigmForm {
  if (typeof raw !== 'object' || raw === null) return defaults;
  const source = raw as Record<string, unknown>;
  const out: Record<string, string | boolean> = { ...defaults };
  for (const key of FORM_KEYS) {
    const v = source[key];
    if (typeof v === typeof defaults[key] && (typeof v !== 'string' || v.length <= 400)) out[key] = v as string | boolean;
  }
  return out as unknown as ParadigmForm;
}

/** Settings from what an earlier visit stored (anything unreadable falls back to the defaults). */
export function restoreSettings(stored: string | null): CalibrationSettings {
  if (!stored) return DEFAULT_SETTINGS;
  try {
    const raw = JSON.parse(stored) as Record<string, unknown>;
    const forms = (typeof raw.forms === 'object' && raw.forms !== null ? raw.forms : {}) as Record<string, unknown>;
    return {
      kind: raw.kind === 'ssvep' ? 'ssvep' : 'mi',
      forms: { mi: restoreForm(forms.mi, DEFAULT_MI_FORM), ssvep: restoreForm(forms.ssvep, DEFAULT_SSVEP_FORM) },
      useBoardCues: typeof raw.useBoardCues === 'boolean' ? raw.useBoardCues : DEFAULT_SETTINGS.useBoardCues,
    };
  } catch {
    return DEFAULT_SETTINGS;
  }
}
