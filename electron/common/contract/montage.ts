// Named montages: per channel of a board, the label a lab gives it, its type (EEG, EOG, EMG, …) and
// optionally its 10-20 / 10-10 position. Saved in the data folder (engine/montage/montage-store.ts),
// applied to the connected board (the descriptor every client sees takes the labels, types and
// positions), and carried by recordings (file header, channels.tsv, electrodes.tsv, session file).
// Pure: the schema, the checks a form shows inline, and how a montage relabels a descriptor.

import { z } from 'zod';
import { EngineError } from './failure.js';
import { electrodePosition } from '../boards/montage.js';
import type { BoardDescriptor, ChannelDescriptor, ChannelType } from '../boards/descriptor.js';

/** The channel types a montage can give (BIDS names, lower case); `misc` is the board's `aux`. */
export const MONTAGE_TYPES = ['eeg', 'eog', 'emg', 'ecg', 'accel', 'misc'] as const;
export type MontageChannelType = (typeof MONTAGE_TYPES)[number];

/** A label in a BDF/EDF header is 16 ASCII characters; types other than EEG and accel get an EDF+ prefix ("EOG ") in it. */
export const MAX_LABEL_CHARS = 16;
const PREFIXED: Readonly<Partial<Record<MontageChannelType, string>>> = { eog: 'EOG', emg: 'EMG', ecg: 'ECG', misc: 'MISC' };

/** Old 10-20 names that the 10-10 system renamed (read, never listed). */
const OLD_NAMES: Readonly<Record<string, string>> = { T3: 'T7', T4: 'T8', T5: 'P7', T6: 'P8' };

const ROWS = ['Fp', 'AF', 'F', 'FT', 'FC', 'T', 'C', 'TP', 'CP', 'P', 'PO', 'O', 'I'] as const;

/** Every 10-20 / 10-10 position the head map knows, canonically spelt (Fp1, AFz, FT10, …), front to back. */
export const MONTAGE_POSITIONS: readonly string[] = Object.freeze(
  ROWS.flatMap((row) => ['z', ...Array.from({ length: 10 }, (_, i) => String(i + 1))].map((n) => `${row}${n}`)).filter((name) => electrodePosition(name) !== undefined && !(name in OLD_NAMES)),
);
const CANONICAL = new Map(MONTAGE_POSITIONS.map((p) => [p.toUpperCase(), p]));

/** The canonical spelling of a 10-20 / 10-10 position (case-insensitive; T3-T6 become T7/T8/P7/P8), or undefined. */
export function canonicalPosition(text: string): string | undefined {
  const upper = text.trim().toUpperCase();
  return CANONICAL.get(OLD_NAMES[upper] ?? upper);
}

/** Why a label cannot go into a file header, or undefined when it can. */
export function labelProblem(label: string, type: MontageChannelType): string | undefined {
  const trimmed = label.trim();
  if (trimmed === '') return 'give the channel a label';
  if (!/^[\x21-\x7e]([\x20-\x7e]*[\x21-\x7e])?$/.test(trimmed)) return `the label "${trimmed}" must be plain ASCII letters, digits and signs (a BDF header holds nothing else)`;
  if (/[,"]/.test(trimmed)) return `the label "${trimmed}" cannot hold a comma or a quote (montage tables are comma-separated)`;
  const prefix = PREFIXED[type];
  const room = MAX_LABEL_CHARS - (prefix && !startsWithType(trimmed, prefix) ? prefix.length + 1 : 0);
  if (trimmed.length > room) return `the label "${trimmed}" is longer than ${room} characters${room < MAX_LABEL_CHARS ? ` (${/^[aeiou]/.test(type) ? 'an' : 'a'} ${type.toUpperCase()} channel's label is written "${prefix} ${trimmed}" in the 16-character BDF header)` : ' (the BDF header holds 16)'}`;
  return undefined;
}

/** Why a position is not one the workstation knows, or undefined (an empty position means none). */
export function positionProblem(position: string): string | undefined {
  if (position.trim() === '' || canonicalPosition(position) !== undefined) return undefined;
  return `"${position.trim()}" is not a 10-20 / 10-10 position: use a name such as Fp1, Cz or O2, or leave the position empty`;
}

export const montageChannelSchema = z
  .object({
    label: z.string().trim().min(1, 'give the channel a label').max(MAX_LABEL_CHARS, `a label has at most ${MAX_LABEL_CHARS} characters (the BDF header's field)`),
    type: z.enum(MONTAGE_TYPES, { message: `the type is one of ${MONTAGE_TYPES.join(', ')}` }),
    /** A 10-20 / 10-10 position (canonically spelt when saved); absent or empty: none (the head map leaves the channel out). */
    position: z.string().trim().max(8).optional(),
  })
  .strict()
  .superRefine((c, ctx) => {
    const label = labelProblem(c.label, c.type);
    if (label) ctx.addIssue({ code: 'custom', path: ['label'], message: label });
    const position = c.position === undefined ? undefined : positionProblem(c.position);
    if (position) ctx.addIssue({ code: 'custom', path: ['position'], message: position });
  })
  .transform((c) => {
    const position = c.position === undefined || c.position === '' ? undefined : canonicalPosition(c.position);
    return { label: c.label, type: c.type, ...(position !== undefined && { position }) };
  });

export const montageNameSchema = z
  .string()
  .trim()
  .min(1, 'give the montage a name')
  .max(60, 'a montage name has at most 60 characters')
  .regex(/^[A-Za-z0-9][A-Za-z0-9 ._+-]*$/, 'a montage name is letters, digits, spaces and . _ + - (starting with a letter or digit)');

export const montageSchema = z
  .object({
    name: montageNameSchema,
    channels: z.array(montageChannelSchema).min(1, 'a montage has at least one channel').max(256),
    notes: z.string().max(2000).optional(),
    /** When it was last saved (ISO 8601; set by the store). */
    savedAt: z.string().max(40).optional(),
  })
  .strict()
  .superRefine((m, ctx) => {
    const seen = new Map<string, number>();
    m.channels.forEach((c, i) => {
      const key = c.label.toLowerCase();
      const first = seen.get(key);
      if (first !== undefined) ctx.addIssue({ code: 'custom', path: ['channels', i, 'label'], message: `channels ${first + 1} and ${i + 1} are both labelled "${c.label}": each label must be unique` });
      else seen.set(key, i);
    });
    const positions = new Map<string, number>();
    m.channels.forEach((c, i) => {
      if (c.position === undefined) return;
      const first = positions.get(c.position);
      if (first !== undefined) ctx.addIssue({ code: 'custom', path: ['channels', i, 'position'], message: `channels ${first + 1} and ${i + 1} are both at ${c.position}: two electrodes cannot share a position` });
      else positions.set(c.position, i);
    });
  });

export type Montage = z.output<typeof montageSchema>;
export type MontageInput = z.input<typeof montageSchema>;
export type MontageChannel = Montage['channels'][number];

/** The montage type of a board's channel (its `aux` is `misc`). */
export function montageTypeOf(type: ChannelType): MontageChannelType {
  return type === 'aux' ? 'misc' : type;
}

function channelTypeOf(type: MontageChannelType): ChannelType {
  return type === 'misc' ? 'aux' : type;
}

/** A montage with the board's own labels, types and (where a label is one) positions: where an editor starts. */
export function montageFromDescriptor(name: string, board: BoardDescriptor): MontageInput {
  return {
    name,
    channels: board.channels.map((c) => {
      const position = c.position ?? (c.type === 'eeg' ? canonicalPosition(c.label) : undefined);
      return { label: c.label, type: montageTypeOf(c.type), ...(position !== undefined && position !== '' && { position }) };
    }),
  };
}

/** "8 EEG + 3 accel": what a board's channels are, for sentences. */
export function describeChannelCount(board: BoardDescriptor): string {
  const counts = new Map<string, number>();
  for (const c of board.channels) counts.set(montageTypeOf(c.type), (counts.get(montageTypeOf(c.type)) ?? 0) + 1);
  const parts = [...counts].map(([type, n]) => `${n} ${type === 'eeg' || type === 'eog' || type === 'emg' || type === 'ecg' ? type.toUpperCase() : type}`);
  return parts.length > 1 ? `${board.channels.length} (${parts.join(' + ')})` : String(board.channels.length);
}

/**
 * The board as a montage relabels it: each channel takes the montage's label, type and position
 * (`position: ''` where the montage gives none, so that the head map does not fall back to the
 * label); rate, units and ranges stay the board's. A montage with another channel count is refused
 * with a sentence.
 */
export function applyMontageTo(board: BoardDescriptor, montage: Montage): BoardDescriptor {
  if (montage.channels.length !== board.channels.length) {
    throw new EngineError(
      'invalid-request',
      `montage "${montage.name}" has ${montage.channels.length} channel${montage.channels.length === 1 ? '' : 's'} but the ${board.name} has ${describeChannelCount(board)}: a montage names every channel of the board, in order`,
      [{ path: 'name', message: 'channel count differs from the board' }],
    );
  }
  const channels: ChannelDescriptor[] = board.channels.map((c, i) => {
    const m = montage.channels[i];
    return { ...c, label: m.label, type: channelTypeOf(m.type), position: m.position ?? '' };
  });
  return { ...board, channels };
}

function startsWithType(label: string, prefix: string): boolean {
  return label.toUpperCase().startsWith(`${prefix} `);
}

/**
 * A channel's label in a BDF/EDF header: EDF+'s "TYPE label" for EOG, EMG, ECG and misc channels
 * (so that EDFbrowser shows, and MNE's `infer_types=True` reads, the type), the label alone for
 * EEG and the accelerometer (a file's bare label is EEG to every reader).
 */
export function headerLabel(channel: Pick<ChannelDescriptor, 'label' | 'type'>): string {
  const prefix = PREFIXED[montageTypeOf(channel.type)];
  return prefix === undefined || startsWithType(channel.label, prefix) ? channel.label : `${prefix} ${channel.label}`;
}

// ---------------------------------------------------------------------------------------------
// Montage tables: what a lab keeps in a spreadsheet (CSV or TSV), one channel a row.

/**
 * Reads a montage table: a header row naming the columns `label` (or `name`, as in channels.tsv),
 * optionally `type` (default eeg; BIDS's upper-case names are accepted) and `position` (empty:
 * none), comma- or tab-separated, then one row per channel in the board's order. Lines starting
 * with `#` and blank lines are skipped. Answers the channels, or throws an invalid-request
 * sentence naming the line. The values are checked when the montage is saved.
 */
export function parseMontageTable(text: string): MontageInput['channels'] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/).map((line, i) => ({ line, number: i + 1 })).filter(({ line }) => line.trim() !== '' && !line.trimStart().startsWith('#'));
  if (lines.length === 0) throw new EngineError('invalid-request', 'the montage table is empty: give a header row (label,type,position) and one row per channel');
  const separator = lines[0].line.includes('\t') ? '\t' : ',';
  const cells = (line: string) => line.split(separator).map((c) => c.trim().replace(/^"(.*)"$/, '$1').trim());
  const header = cells(lines[0].line).map((h) => h.toLowerCase());
  const column = (...names: string[]) => header.findIndex((h) => names.includes(h));
  const label = column('label', 'name', 'channel');
  const type = column('type');
  const position = column('position', 'site', 'location');
  if (label < 0) throw new EngineError('invalid-request', `the montage table's first row must name its columns: label (or name), and optionally type and position; got "${lines[0].line.trim()}"`);
  const unknown = header.filter((h, i) => h !== '' && ![label, type, position].includes(i));
  if (unknown.length > 0) throw new EngineError('invalid-request', `the montage table has a column "${unknown[0]}" the workstation does not know: use label, type and position`);
  const types = new Map<string, MontageChannelType>([...MONTAGE_TYPES.map((t) => [t, t] as const), ['aux', 'misc'], ['accelerometer', 'accel'], ['ekg', 'ecg']]);
  return lines.slice(1).map(({ line, number }) => {
    const row = cells(line);
    const typeText = type >= 0 ? (row[type] ?? '').toLowerCase() : '';
    const channelType = typeText === '' ? 'eeg' : types.get(typeText);
    if (channelType === undefined) throw new EngineError('invalid-request', `line ${number} of the montage table: the type "${row[type]}" is not one of ${MONTAGE_TYPES.join(', ')}`);
    const positionText = position >= 0 ? (row[position] ?? '') : '';
    return { label: row[label] ?? '', type: channelType, ...(positionText !== '' && positionText !== '-' && positionText.toLowerCase() !== 'n/a' && { position: positionText }) };
  });
}

/** A montage as a CSV table that parseMontageTable reads back. */
export function montageTable(montage: Pick<Montage, 'channels'>): string {
  return ['label,type,position', ...montage.channels.map((c) => `${c.label},${c.type},${c.position ?? ''}`)].join('\n') + '\n';
}

/**
 * A montage's problems as one sentence naming the channel (by number and label) of each, with the
 * issues kept field by field for a form: "montage lab8: channel 4 (HEOG): …; channel 6 (c4): …".
 */
export function explainMontageIssues(input: unknown, issues: readonly { readonly path: readonly PropertyKey[]; readonly message: string }[]): EngineError {
  const channels = (input as { channels?: unknown } | null)?.channels;
  const name = (input as { name?: unknown } | null)?.name;
  const where = (path: readonly PropertyKey[]): string => {
    if (path[0] !== 'channels' || typeof path[1] !== 'number') return path.length === 0 ? '' : `${path.map(String).join('.')}: `;
    const label = Array.isArray(channels) ? (channels[path[1]] as { label?: unknown } | undefined)?.label : undefined;
    return `channel ${path[1] + 1}${typeof label === 'string' && label.trim() !== '' ? ` (${label.trim()})` : ''}: `;
  };
  const text = issues.slice(0, 4).map((i) => `${where(i.path)}${i.message}`).join('; ');
  const more = issues.length > 4 ? ` (and ${issues.length - 4} more)` : '';
  return new EngineError('invalid-request', `montage${typeof name === 'string' && name.trim() !== '' ? ` ${name.trim()}` : ''}: ${text}${more}`, issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })));
}
