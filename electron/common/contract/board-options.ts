// Boards as the contract sees them: what a user asks of a board when connecting, and what a board
// says about itself. Every board has a kind; every kind has its options as a strict zod schema (a
// pick of common/boards/option-fields.ts). A connect request keeps one wire shape,
// `{ board: id, ...options }`, and is checked against the schema of that board's kind
// (`validateBoardOptions`), with refusals in sentences. `listBoards` answers BoardInfo: id, name,
// kind, capabilities and option fields, all plain data, so that a UI and the CLI build pickers,
// controls and help without testing board ids.

import { explainIssues, type FailureIssue } from './failure.js';
import { z } from 'zod';
import { OPTION_SPECS as F, type BoardOptionField, type OptionKey } from '../boards/option-fields.js';

export type { BoardOptionField } from '../boards/option-fields.js';

const boardIdSchema = z.string().min(1).max(100);

/** The built-in synthetic EEG: its signal, size and pacing. */
export const syntheticOptionsSchema = z.strictObject({
  board: boardIdSchema,
  channelCount: F.channelCount.schema.optional(),
  sampleRateHz: F.sampleRateHz.schema.optional(),
  mode: F.mode.schema.optional(),
  mainsHz: F.mainsHz.schema.optional(),
  seed: F.seed.schema.optional(),
  paced: F.paced.schema.optional(),
  durationSec: F.durationSec.schema.optional(),
});

/** Amplifiers on a serial port (the Cyton over its USB dongle): the port. */
export const serialOptionsSchema = z.strictObject({
  board: boardIdSchema,
  port: F.port.schema.optional(),
});

/** A recording played through the live pipeline. */
export const playbackOptionsSchema = z.strictObject({
  board: boardIdSchema,
  file: F.file.schema,
  speed: F.speed.schema.optional(),
  loop: F.loop.schema.optional(),
  startSec: F.startSec.schema.optional(),
  layout: F.layout.schema.optional(),
});

/** Any stream on the Lab Streaming Layer, resolved by name or by property. */
export const lslOptionsSchema = z.strictObject({
  board: boardIdSchema,
  lslStream: F.lslStream.schema,
});

/** A board through BrainFlow's library: BrainFlow's input parameters, each where the board needs it. */
export const brainflowOptionsSchema = z.strictObject({
  board: boardIdSchema,
  port: F.port.schema.optional(),
  ipAddress: F.ipAddress.schema.optional(),
  file: F.file.schema.optional(),
  masterBoard: F.masterBoard.schema.optional(),
  macAddress: F.macAddress.schema.optional(),
  ipPort: F.ipPort.schema.optional(),
  ipProtocol: F.ipProtocol.schema.optional(),
  serialNumber: F.serialNumber.schema.optional(),
  otherInfo: F.otherInfo.schema.optional(),
  timeoutSec: F.timeoutSec.schema.optional(),
});

/** The options of each board kind. A new kind adds its schema here. */
export const BOARD_OPTION_SCHEMAS = {
  synthetic: syntheticOptionsSchema,
  serial: serialOptionsSchema,
  playback: playbackOptionsSchema,
  lsl: lslOptionsSchema,
  brainflow: brainflowOptionsSchema,
} as const;

export type BoardKind = keyof typeof BOARD_OPTION_SCHEMAS;
export const BOARD_KINDS = Object.freeze(Object.keys(BOARD_OPTION_SCHEMAS) as BoardKind[]);

/** The options of a board of kind K, as validated. */
export type BoardOptionsOf<K extends BoardKind> = z.output<(typeof BOARD_OPTION_SCHEMAS)[K]>;

/** Validated options, discriminated by the board's kind: what the registry builds drivers from. */
export type KindedBoardOptions = { [K in BoardKind]: { readonly kind: K; readonly options: BoardOptionsOf<K> } }[BoardKind];

/**
 * A connect request on the wire, whatever the board: the board id and any kind's options (all
 * optional here; the board's own kind decides, in `validateBoardOptions`). Unknown keys are refused.
 */
export const boardOptionsSchema = z
  .strictObject({ ...syntheticOptionsSchema.shape, ...serialOptionsSchema.shape, ...playbackOptionsSchema.shape, ...lslOptionsSchema.shape, ...brainflowOptionsSchema.shape })
  .partial()
  .extend({ board: boardIdSchema });

export type BoardOptions = z.infer<typeof boardOptionsSchema>;

/** How a board is reached: nothing to choose, a serial port, a recording file, a network address, an LSL stream. */
export type BoardConnection = 'none' | 'serial-port' | 'file' | 'network-address' | 'lsl-stream';

export interface BoardCapabilities {
  readonly connection: BoardConnection;
  /** The option that names the port, file, address or stream (null when the connection is 'none'). */
  readonly connectionField: string | null;
  /** Channel settings (power, gain, input, bias, SRB) and the register dump: setChannels, resetChannels, registerDump. */
  readonly amplifierSettings: boolean;
  /** A lead-off impedance test: measureImpedance. */
  readonly impedance: boolean;
  /** A transport (pause, resume, seek, speed, loop): controlPlayback; its state is the status's `playback`. */
  readonly playbackTransport: boolean;
  /** The rows it produces when the hardware fixes them; null when its options or its file decide. */
  readonly layout: { readonly eegChannelCount: number; readonly sampleRateHz: number } | null;
}

/** A board as `listBoards` describes it. Serialisable. */
export interface BoardInfo {
  readonly id: string;
  readonly name: string;
  readonly summary: string;
  readonly kind: BoardKind;
  readonly capabilities: BoardCapabilities;
  /** The options a user may set, in the order a form shows them. */
  readonly fields: readonly BoardOptionField[];
  /** Set when the board cannot be opened here, saying in one line how to make it available (BrainFlow's boards without BrainFlow's library). */
  readonly unavailable?: string;
}

/** The option fields of a kind, in its schema's order, with `required` read from the schema. */
export function optionFieldsOf(kind: BoardKind): BoardOptionField[] {
  return Object.entries(BOARD_OPTION_SCHEMAS[kind].shape)
    .filter(([key]) => key !== 'board')
    .map(([key, schema]): BoardOptionField => ({ key, ...F[key as OptionKey].field, required: !schema.safeParse(undefined).success }));
}

/** A refusal of board options: one sentence, and the options at fault (as every failure carries them). */
export interface BoardOptionsRefusal {
  readonly ok: false;
  readonly error: string;
  readonly issues: readonly FailureIssue[];
}

function refusal(error: string, issues: readonly FailureIssue[]): BoardOptionsRefusal {
  return { ok: false, error, issues };
}

function invalid(error: z.ZodError): BoardOptionsRefusal {
  const explained = explainIssues('board options', error.issues);
  return refusal(explained.message, explained.issues);
}

const envelopeSchema = z.looseObject({ board: boardIdSchema });

function boardsText(ids: readonly string[]): string {
  return ids.length === 1 ? `the ${ids[0]} board` : `the ${ids.join(', ')} boards`;
}

/** What a board has and takes, for a refusal: its fixed layout (and its siblings'), and its options. */
function factsOf(board: BoardInfo, boards: readonly BoardInfo[]): string {
  const facts: string[] = [];
  const layout = board.capabilities.layout;
  if (layout) {
    const others = boards
      .filter((b) => b.kind === board.kind && b.id !== board.id && b.capabilities.layout)
      .map((b) => `${b.capabilities.layout!.eegChannelCount} at ${b.capabilities.layout!.sampleRateHz} Hz: --board ${b.id}`);
    facts.push(`has ${layout.eegChannelCount} channels at ${layout.sampleRateHz} Hz${others.length ? ` (${others.join('; ')})` : ''}`);
  }
  facts.push(board.fields.length ? `takes ${board.fields.map((f) => f.key).join(', ')}` : 'takes no options');
  return facts.join(' and ');
}

/**
 * Checks a connect request against the schema of its board's kind, strictly. `boards` is the
 * registry's list. Refusals are one sentence: an unknown board, options of another kind ("channelCount
 * apply to the synthetic board only: …"), or a value out of range.
 */
export function validateBoardOptions(
  boards: readonly BoardInfo[],
  input: unknown,
): { readonly ok: true; readonly board: BoardInfo; readonly options: KindedBoardOptions } | BoardOptionsRefusal {
  const envelope = envelopeSchema.safeParse(input);
  if (!envelope.success) return invalid(envelope.error);
  const id = envelope.data.board;
  const board = boards.find((b) => b.id === id);
  if (!board) {
    const error = `unknown board "${id}": choose one of ${boards.map((b) => b.id).join(', ')} (see \`bci boards\`)`;
    return refusal(error, [{ path: 'board', message: error }]);
  }
  // a key sent as undefined (a form's empty field) is the same as no key
  const given = Object.fromEntries(Object.entries(envelope.data).filter(([, v]) => v !== undefined));
  const schema = BOARD_OPTION_SCHEMAS[board.kind];
  // a board's fields are what it takes (a BrainFlow board takes only the BrainFlow parameters it lists)
  const own = new Set(['board', ...board.fields.map((f) => f.key)]);
  const foreign = Object.keys(given).filter((k) => !Object.hasOwn(schema.shape, k) || !own.has(k));
  if (foreign.length > 0) {
    const owners = boards.filter((b) => foreign.every((k) => b.fields.some((f) => f.key === k))).map((b) => b.id);
    const facts = factsOf(board, boards);
    const error = owners.length ? `${foreign.join(', ')} apply to ${boardsText(owners)} only: ${board.name} ${facts}` : `${board.name} takes no ${foreign.join(', ')}: it ${facts}`;
    return refusal(error, foreign.map((key) => ({ path: key, message: `${board.name} takes no ${key}` })));
  }
  const parsed = schema.safeParse(given);
  if (!parsed.success) return invalid(parsed.error);
  // what the board's own fields add to its kind's schema: a field it requires, the choices it lists
  const fieldIssues = board.fields.flatMap((f) => {
    const value = (parsed.data as Record<string, unknown>)[f.key];
    if (value === undefined) return f.required ? [{ path: [f.key], message: `${board.name} needs its ${f.label}${f.cli ? ` (--${f.cli.flag})` : ''}: ${f.help}` }] : [];
    if (f.type === 'enum' && !f.choices.some((c) => c.value === value)) return [{ path: [f.key], message: `one of ${f.choices.map((c) => c.value).join(', ')}` }];
    return [];
  });
  if (fieldIssues.length > 0) {
    const explained = explainIssues('board options', fieldIssues);
    return refusal(explained.message, explained.issues);
  }
  // parsed by the schema of board.kind: the pair is one member of the union
  return { ok: true, board, options: { kind: board.kind, options: parsed.data } as KindedBoardOptions };
}
