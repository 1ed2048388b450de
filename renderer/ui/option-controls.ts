// Controls drawn from a board's option fields (common/boards/option-fields.ts), whatever the board:
// the choices a select offers for a field (an enum's own choices; for a bounded number, a doubling
// ladder from its default, plus its words such as `max`), their labels with the field's unit,
// reading a control's text back into a value, and whether a value fits the field. Shared by the
// board picker and the playback feature (open recording, the transport's speed). Pure.

import type { BoardOptionField } from '../../electron/common/contract/board-options.js';

/** A field's value as a form holds it. */
export type FieldValue = string | number | boolean;

/** One option of a select drawn from a field. */
export interface FieldChoice {
  /** The `<option>`'s value: the field's value as text. */
  readonly value: string;
  readonly label: string;
}

/** A ladder longer than this is no list to pick from: the field gets a number input. */
const MAX_LADDER = 12;

type NumberField = Extract<BoardOptionField, { type: 'integer' | 'number' }>;

function isNumberField(field: BoardOptionField): field is NumberField {
  return field.type === 'integer' || field.type === 'number';
}

function inRange(field: NumberField, n: number): boolean {
  if (!Number.isFinite(n)) return false;
  if (field.type === 'integer' && !Number.isInteger(n)) return false;
  if (field.minExclusive ? n <= field.min : n < field.min) return false;
  return field.max === undefined || n <= field.max;
}

/** Whether a value is one the field accepts (its type, range, choices, length). */
export function fitsField(field: BoardOptionField, value: unknown): value is FieldValue {
  switch (field.type) {
    case 'integer':
    case 'number':
      return (typeof value === 'number' && inRange(field, value)) || (typeof value === 'string' && (field.words ?? []).includes(value));
    case 'enum':
      return field.choices.some((c) => c.value === value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'string':
      return typeof value === 'string' && value.length >= 1 && value.length <= field.maxLength;
  }
}

/**
 * The values a select offers for a bounded number: its default doubled up to the maximum (counts
 * and rates: 8, 16, 32, 64 channels; 250, 500, 1000 Hz) and, for a fractional number, halved down
 * to the minimum too (a speed: 0.25× … 16×). Null when the field has no maximum, no positive start,
 * or the ladder would be too short or too long to pick from.
 */
export function ladderOf(field: NumberField): number[] | null {
  const start = typeof field.default === 'number' ? field.default : field.min;
  if (field.max === undefined || !(start > 0) || !inRange(field, start)) return null;
  const values: number[] = [];
  for (let v = start; v <= field.max && values.length <= MAX_LADDER; v *= 2) values.push(v);
  if (field.type === 'number') for (let v = start / 2; inRange(field, v) && values.length <= MAX_LADDER; v /= 2) values.unshift(v);
  return values.length >= 2 && values.length <= MAX_LADDER ? values : null;
}

/** A value as a control shows it: an enum's label, a number with its unit (`250 Hz`, `4×`), a word. */
export function fieldValueLabel(field: BoardOptionField, value: FieldValue): string {
  if (field.type === 'enum') return field.choices.find((c) => c.value === value)?.label ?? String(value);
  if (isNumberField(field) && typeof value === 'number' && field.unit) return field.unit === '×' ? `${value}×` : `${value} ${field.unit}`;
  return String(value);
}

/**
 * The options of a select for the field, or null when the field takes another control (text, a
 * check box, a number input). A current value that fits the field but is not on the list (16 Hz
 * from an earlier connection, 12 channels from the page's URL) is added in its place.
 */
export function fieldChoices(field: BoardOptionField, current?: FieldValue): FieldChoice[] | null {
  if (field.type === 'enum') return field.choices.map((c) => ({ value: String(c.value), label: c.label }));
  if (!isNumberField(field)) return null;
  const ladder = ladderOf(field);
  if (!ladder) return null;
  if (typeof current === 'number' && inRange(field, current) && !ladder.includes(current)) {
    ladder.push(current);
    ladder.sort((a, b) => a - b);
  }
  const values: FieldValue[] = [...ladder, ...(field.words ?? [])];
  return values.map((v) => ({ value: String(v), label: fieldValueLabel(field, v) }));
}

/** A control's text back to a value the field accepts, or null. */
export function parseFieldValue(field: BoardOptionField, text: string): FieldValue | null {
  switch (field.type) {
    case 'enum':
      return field.choices.find((c) => String(c.value) === text)?.value ?? null;
    case 'integer':
    case 'number': {
      if ((field.words ?? []).includes(text)) return text;
      const n = Number(text);
      return text.trim() !== '' && inRange(field, n) ? n : null;
    }
    case 'boolean':
      return text === 'true' ? true : text === 'false' ? false : null;
    case 'string':
      return text;
  }
}
