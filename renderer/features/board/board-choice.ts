// What the board picker holds and draws, from the engine's board list alone (BoardInfo: kind,
// capabilities, option fields), never from board ids: the chosen board (the first listed until
// the user picks), the values of its fields, the control each field takes (the port picker for a
// serial connection, a path for a file, a select, a check box, a number or text input), whether
// Connect can go, and the connect request, checked by the engine's own validateBoardOptions. Pure.

import type { BoardDescriptor } from '../../../electron/common/boards/descriptor.js';
import { validateBoardOptions, type BoardInfo, type BoardOptionField, type BoardOptions } from '../../../electron/common/contract/board-options.js';
import { fieldChoices, fitsField, type FieldChoice, type FieldValue } from '../../ui/option-controls.js';

export interface BoardChoice {
  /** The chosen board's id ('' before the list arrives; an id no longer listed means the first board). */
  readonly board: string;
  /** Field values by option key, shared by the boards that take the same option; a missing key is the field's default. */
  readonly values: Readonly<Record<string, FieldValue>>;
  /** The serial port is typed rather than picked from the list. */
  readonly customPort: boolean;
}

export const EMPTY_CHOICE: BoardChoice = Object.freeze({ board: '', values: Object.freeze({}), customPort: false });

/** The control a field takes in the picker. */
export type FieldControl =
  | { readonly kind: 'serial-port' }
  | { readonly kind: 'file' }
  | { readonly kind: 'select'; readonly choices: readonly FieldChoice[] }
  | { readonly kind: 'check' }
  | { readonly kind: 'number'; readonly min: number; readonly max?: number; readonly step: number | 'any' }
  | { readonly kind: 'text' };

/** The board a choice stands for: the chosen one if listed, else the first listed (the default); null before the list arrives. Boards that cannot be opened here are never chosen. */
export function chosenBoard(boards: readonly BoardInfo[], choice: BoardChoice): BoardInfo | null {
  const openable = boards.filter((b) => b.unavailable === undefined);
  return openable.find((b) => b.id === choice.board) ?? openable[0] ?? null;
}

/** The fields the picker shows: all but the advanced ones (seeds, pacing, start offsets), which keep their defaults. */
export function pickerFields(board: BoardInfo): BoardOptionField[] {
  // a board with a transport is set going from the Open recording panel, then driven from the
  // transport bar: its speed and loop are not asked for a second time in the header
  return board.fields.filter((f) => (!f.advanced || f.key === board.capabilities.connectionField) && !(board.capabilities.playbackTransport && TRANSPORT_KEYS.has(f.key)));
}

/** The fields of a playback board that its transport bar sets. */
const TRANSPORT_KEYS: ReadonlySet<string> = new Set(['speed', 'loop']);

/** The value a field shows: the one chosen, else its default. */
export function fieldValue(choice: BoardChoice, field: BoardOptionField): FieldValue | undefined {
  return choice.values[field.key] ?? field.default;
}

export function withValue(choice: BoardChoice, key: string, value: FieldValue): BoardChoice {
  return { ...choice, values: { ...choice.values, [key]: value } };
}

/** The control of a field: its board's connection decides for the connection field, its type for the rest. */
export function fieldControl(board: BoardInfo, field: BoardOptionField, current?: FieldValue): FieldControl {
  if (field.key === board.capabilities.connectionField) {
    if (board.capabilities.connection === 'serial-port') return { kind: 'serial-port' };
    if (board.capabilities.connection === 'file') return { kind: 'file' };
  }
  const choices = fieldChoices(field, current);
  if (choices) return { kind: 'select', choices };
  switch (field.type) {
    case 'boolean':
      return { kind: 'check' };
    case 'integer':
    case 'number':
      return { kind: 'number', min: field.min, max: field.max, step: field.type === 'integer' ? 1 : 'any' };
    default:
      return { kind: 'text' };
  }
}

function isEmpty(value: FieldValue | undefined): boolean {
  return value === undefined || (typeof value === 'string' && value.trim() === '');
}

/** The field that still needs a value before Connect (a recording's path, a typed port), or null. */
export function missingField(board: BoardInfo, choice: BoardChoice): BoardOptionField | null {
  return pickerFields(board).find((f) => (f.required || f.key === board.capabilities.connectionField) && isEmpty(fieldValue(choice, f))) ?? null;
}

/**
 * The connect request a choice stands for: the board and the value of each field the picker
 * shows (empty text left out), checked by the engine's validateBoardOptions, so a refusal reads
 * as the engine's would.
 */
export function connectRequest(boards: readonly BoardInfo[], choice: BoardChoice): { readonly ok: true; readonly options: BoardOptions } | { readonly ok: false; readonly error: string } {
  const board = chosenBoard(boards, choice);
  if (!board) return { ok: false, error: 'the board list has not arrived from the engine yet' };
  const request: Record<string, FieldValue> = { board: board.id };
  for (const field of pickerFields(board)) {
    const value = fieldValue(choice, field);
    if (isEmpty(value)) continue;
    request[field.key] = typeof value === 'string' ? value.trim() : value!;
  }
  const checked = validateBoardOptions(boards, request);
  return checked.ok ? { ok: true, options: checked.options.options } : { ok: false, error: checked.error };
}

/** The picker's values from connect options (a remembered or adopted connection): every option given. */
export function valuesOf(options: BoardOptions): Record<string, FieldValue> {
  const values: Record<string, FieldValue> = {};
  for (const [key, value] of Object.entries(options)) {
    if (key !== 'board' && (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')) values[key] = value;
  }
  return values;
}

/** A choice showing connect options: their board and values (a typed port shows in the list or the path field). */
export function choiceOf(choice: BoardChoice, options: BoardOptions): BoardChoice {
  return { board: options.board, values: { ...choice.values, ...valuesOf(options) }, customPort: false };
}

/**
 * The values of a connected board's layout options, read back from its descriptor (a board whose
 * options decide its layout: channelCount and sampleRateHz), for a board connected elsewhere.
 */
export function layoutValues(board: BoardInfo, descriptor: BoardDescriptor): Record<string, FieldValue> {
  if (board.capabilities.layout !== null) return {};
  const fromDescriptor: Record<string, number> = { channelCount: descriptor.channels.filter((c) => c.type === 'eeg').length, sampleRateHz: descriptor.sampleRateHz };
  const values: Record<string, FieldValue> = {};
  for (const field of board.fields) {
    const value = fromDescriptor[field.key];
    if (value !== undefined && fitsField(field, value)) values[field.key] = value;
  }
  return values;
}
