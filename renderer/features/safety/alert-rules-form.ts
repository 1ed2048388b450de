// The Alert rules form's pure side: the thresholds setAlertRules accepts, each with its label and
// unit, the rules in force as the form's text, the change to send (only the fields that differ; a
// field that is not a number is refused here with a sentence), and the engine's refusal turned
// into a sentence on its field. The engine validates the ranges (contract/ethics.ts) and saves the
// rules in the data folder's site settings.

import type { AlertRules } from '../../../electron/common/contract/ethics.js';
import { EngineError } from '../../../electron/common/contract/failure.js';
import { errorText } from '../../ui/format.js';

export type RuleKey = keyof AlertRules;

export interface RuleField {
  readonly key: RuleKey;
  readonly label: string;
  readonly unit: string;
  /** What it does, for the tooltip. */
  readonly help: string;
}

export const RULE_FIELDS: readonly RuleField[] = [
  { key: 'railedFlatSec', label: 'Railed or flat for', unit: 's', help: 'a used channel railed or flat this long raises an alert' },
  { key: 'artefactUv', label: 'Artefact above', unit: 'µV p-p', help: 'peak to peak after the 1-40 Hz quality filter, per 0.25 s segment' },
  { key: 'sustainedArtefactSec', label: 'Artefacts for', unit: 's', help: 'artefacts in this many consecutive seconds raise an alert' },
  { key: 'impedanceMaxKOhm', label: 'Impedance above', unit: 'kΩ', help: 'a measured electrode above this raises an alert and turns the checklist red' },
  { key: 'lossPercent', label: 'Samples lost above', unit: '% of 10 s', help: 'device gaps and overflows over the last 10 s' },
  { key: 'diskMinMb', label: 'Free disk below', unit: 'MB', help: 'free space where the recording goes' },
  { key: 'protocolWarnMinutes', label: 'Warn before the protocol max', unit: 'min', help: "minutes before the protocol's maximum session length" },
  { key: 'fatigueMinutes', label: 'Fatigue reminder after', unit: 'min (0: never)', help: 'a reminder to check on the person' },
];

export type RuleTexts = Readonly<Record<RuleKey, string>>;

/** The rules in force as the form's text. */
export function rulesToTexts(rules: AlertRules): RuleTexts {
  const out = {} as Record<RuleKey, string>;
  for (const f of RULE_FIELDS) out[f.key] = String(rules[f.key]);
  return out;
}

export type RulesChange = { readonly ok: true; readonly change: Partial<AlertRules> } | { readonly ok: false; readonly errors: Partial<Record<RuleKey, string>> };

/** The change to send: the fields whose number differs from the rules in force (empty: nothing to apply). */
export function rulesChange(texts: RuleTexts, inForce: AlertRules): RulesChange {
  const change: Partial<Record<RuleKey, number>> = {};
  const errors: Partial<Record<RuleKey, string>> = {};
  for (const f of RULE_FIELDS) {
    const text = texts[f.key].trim();
    const n = Number(text);
    if (text === '' || !Number.isFinite(n)) {
      errors[f.key] = `${f.label} must be a number (${f.unit}).`;
      continue;
    }
    if (n !== inForce[f.key]) change[f.key] = n;
  }
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, change };
}

/** The engine's refusal: per field where an issue names one ("lossPercent: Too big…" → that field's sentence), else one sentence. */
export function rulesRefusal(error: unknown): { readonly errors: Partial<Record<RuleKey, string>>; readonly text: string | null } {
  const errors: Partial<Record<RuleKey, string>> = {};
  if (error instanceof EngineError) {
    for (const issue of error.issues) {
      const f = RULE_FIELDS.find((r) => r.key === issue.path);
      if (f && errors[f.key] === undefined) errors[f.key] = `${f.label}: ${rangeText(issue.message)}`;
    }
  }
  if (Object.keys(errors).length > 0) return { errors, text: null };
  const t = errorText(error).trim();
  return { errors, text: t.charAt(0).toUpperCase() + t.slice(1) };
}

/** zod's "Too big: expected number to be <=100" as "at most 100." (its other messages pass through as a sentence). */
function rangeText(message: string): string {
  const big = /expected number to be <=\s*(-?[\d.e+]+)/.exec(message);
  if (big) return `at most ${big[1]}.`;
  const small = /expected number to be >=\s*(-?[\d.e+]+)/.exec(message);
  if (small) return `at least ${small[1]}.`;
  const positive = /expected number to be >\s*0\b/.exec(message);
  if (positive) return 'more than 0.';
  return /[.!?]$/.test(message) ? message : `${message}.`;
}
