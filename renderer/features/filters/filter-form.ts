// The filter panel's model: what its controls say (notch, band-pass preset or custom band, order,
// common average) and the pipeline description that stands for it, both ways. The panel shows the
// pipeline the engine runs (from getSnapshot / session events), so `pipelineToForm` must read any
// valid pipeline; stages it cannot show are listed, not silently dropped. Pure: no DOM.

import { describePipeline, type PipelineDescription, type PipelineInput, type StageDescription } from '../../../electron/common/contract/pipeline.js';

export type NotchChoice = 'off' | '50' | '60';
export const NOTCH_CHOICES: readonly NotchChoice[] = ['off', '50', '60'];

export interface BandPreset {
  readonly value: string;
  readonly label: string;
  /** High-pass edge (absent: no high-pass). */
  readonly lowHz?: number;
  /** Low-pass edge (absent: no low-pass). */
  readonly highHz?: number;
}

export const BAND_PRESETS: readonly BandPreset[] = Object.freeze([
  { value: 'off', label: 'Off' },
  { value: '1-40', label: '1-40 Hz', lowHz: 1, highHz: 40 },
  { value: '0.5-45', label: '0.5-45 Hz', lowHz: 0.5, highHz: 45 },
  { value: '8-30', label: '8-30 Hz (mu/beta)', lowHz: 8, highHz: 30 },
  { value: '1-15', label: '1-15 Hz', lowHz: 1, highHz: 15 },
  { value: 'hp-0.5', label: 'High-pass 0.5 Hz', lowHz: 0.5 },
  { value: 'hp-1', label: 'High-pass 1 Hz', lowHz: 1 },
]);
export const CUSTOM_BAND = 'custom';

export const DEFAULT_ORDER = 4;
export const NOTCH_Q = 30;

export interface FilterForm {
  readonly notch: NotchChoice;
  /** A BAND_PRESETS value, or 'custom'. */
  readonly band: string;
  /** Custom edges as typed (empty: that edge is off). */
  readonly customLowHz: string;
  readonly customHighHz: string;
  readonly order: number;
  readonly car: boolean;
}

export const DEFAULT_FORM: FilterForm = Object.freeze({ notch: 'off', band: 'off', customLowHz: '1', customHighHz: '40', order: DEFAULT_ORDER, car: false });

export type FormResult = { readonly ok: true; readonly pipeline: PipelineInput } | { readonly ok: false; readonly error: string };

function bandEdges(form: FilterForm): { lowHz?: number; highHz?: number } | string {
  if (form.band !== CUSTOM_BAND) {
    const preset = BAND_PRESETS.find((p) => p.value === form.band);
    if (!preset) return `unknown band-pass preset "${form.band}"`;
    return { lowHz: preset.lowHz, highHz: preset.highHz };
  }
  const parse = (text: string, what: string): number | undefined | string => {
    const t = text.trim();
    if (t === '') return undefined;
    const v = Number(t);
    if (!Number.isFinite(v) || v <= 0) return `the ${what} edge must be a positive number of Hz (got "${t}")`;
    return v;
  };
  const lowHz = parse(form.customLowHz, 'low');
  if (typeof lowHz === 'string') return lowHz;
  const highHz = parse(form.customHighHz, 'high');
  if (typeof highHz === 'string') return highHz;
  if (lowHz !== undefined && highHz !== undefined && lowHz >= highHz) return `the low edge (${lowHz} Hz) must be below the high edge (${highHz} Hz)`;
  return { lowHz, highHz };
}

/** The pipeline the form stands for, or a sentence saying what to fix. */
export function formToPipeline(form: FilterForm): FormResult {
  const edges = bandEdges(form);
  if (typeof edges === 'string') return { ok: false, error: edges };
  const order = form.order;
  if (!Number.isInteger(order) || order < 1 || order > 8) return { ok: false, error: 'the filter order must be 1 to 8' };
  const stages: StageDescription[] = [];
  const { lowHz, highHz } = edges;
  if (lowHz !== undefined && highHz !== undefined) stages.push({ kind: 'bandpass', lowHz, highHz, order });
  else if (lowHz !== undefined) stages.push({ kind: 'highpass', cutoffHz: lowHz, order });
  else if (highHz !== undefined) stages.push({ kind: 'lowpass', cutoffHz: highHz, order });
  if (form.notch !== 'off') stages.push({ kind: 'notch', frequencyHz: Number(form.notch), q: NOTCH_Q, harmonics: 0 });
  return { ok: true, pipeline: { reference: form.car ? 'car' : 'none', stages } };
}

export interface FormReading {
  readonly form: FilterForm;
  /** Stages of the pipeline the form cannot show (they would be replaced by an edit here). */
  readonly others: readonly string[];
}

/** Reads a pipeline into the form; `previous` keeps the custom fields' text when unaffected. */
export function pipelineToForm(pipeline: PipelineDescription, previous: FilterForm = DEFAULT_FORM): FormReading {
  let notch: NotchChoice = 'off';
  let lowHz: number | undefined;
  let highHz: number | undefined;
  let order = previous.order;
  const others: string[] = [];
  const describe = (s: StageDescription) => describePipeline({ reference: 'none', stages: [s] });
  for (const s of pipeline.stages) {
    if (s.channels) {
      others.push(describe(s));
      continue;
    }
    switch (s.kind) {
      case 'notch':
        if (notch === 'off' && (s.frequencyHz === 50 || s.frequencyHz === 60)) {
          notch = String(s.frequencyHz) as NotchChoice;
          if (s.harmonics > 0 || s.q !== NOTCH_Q) others.push(`(notch Q ${s.q}${s.harmonics ? `, +${s.harmonics} harmonics` : ''})`);
        } else others.push(describe(s));
        break;
      case 'bandpass':
        if (lowHz === undefined && highHz === undefined) {
          lowHz = s.lowHz;
          highHz = s.highHz;
          order = s.order;
        } else others.push(describe(s));
        break;
      case 'highpass':
        if (lowHz === undefined) {
          lowHz = s.cutoffHz;
          order = s.order;
        } else others.push(describe(s));
        break;
      case 'lowpass':
        if (highHz === undefined) {
          highHz = s.cutoffHz;
          order = s.order;
        } else others.push(describe(s));
        break;
      case 'bandstop':
        others.push(describe(s));
        break;
    }
  }
  let band = 'off';
  let customLowHz = previous.customLowHz;
  let customHighHz = previous.customHighHz;
  if (lowHz !== undefined || highHz !== undefined) {
    const preset = BAND_PRESETS.find((p) => p.value !== 'off' && p.lowHz === lowHz && p.highHz === highHz);
    const asTyped = (text: string, v: number | undefined) => (text.trim() === '' ? v === undefined : Number(text) === v);
    // a custom band that happens to equal a preset stays custom for whoever typed it
    const keepCustom = previous.band === CUSTOM_BAND && asTyped(previous.customLowHz, lowHz) && asTyped(previous.customHighHz, highHz);
    if (preset && !keepCustom) band = preset.value;
    else {
      band = CUSTOM_BAND;
      customLowHz = lowHz === undefined ? '' : String(lowHz);
      customHighHz = highHz === undefined ? '' : String(highHz);
    }
  }
  return { form: { notch, band, customLowHz, customHighHz, order, car: pipeline.reference === 'car' }, others };
}

/** The next notch choice for the `n` shortcut: off → 50 → 60 → off. */
export function nextNotch(current: NotchChoice): NotchChoice {
  return NOTCH_CHOICES[(NOTCH_CHOICES.indexOf(current) + 1) % NOTCH_CHOICES.length];
}
