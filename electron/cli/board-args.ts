// The board flags of every command that opens a board (stream, record), read from the registry's
// boards and their option fields, never from board ids: the flags, their parsing into a connect
// request, their help, the capability line of `bci boards`, and when a run with --duration ends.

import type { Engine } from '../engine/engine.js';
import { defaultBoardId, listBoards } from '../engine/boards/registry.js';
import type { BoardCapabilities, BoardInfo, BoardOptionField, BoardOptions } from '../common/contract/board-options.js';
import { parseNumber } from './filter-args.js';
import { UsageError } from './errors.js';

/** The flag every run takes: stop after S seconds. A board with an option on this flag (a software source) also ends by itself. */
const RUN_FLAG = 'duration';

type FlagOption = { readonly type: 'string' | 'boolean'; readonly default?: string };
type FlagValues = Readonly<Record<string, string | boolean | undefined>>;

/** Each option flag once, with the fields it sets (boards of several kinds may share one). */
function optionFlags(): Map<string, BoardOptionField> {
  const flags = new Map<string, BoardOptionField>();
  for (const board of listBoards()) {
    for (const field of board.fields) {
      if (field.cli && field.cli.flag !== RUN_FLAG && !flags.has(field.cli.flag)) flags.set(field.cli.flag, field);
    }
  }
  return flags;
}

const FLAGS = optionFlags();

/** The board flags, for parseArgs: --board, --duration, and every board option's flag. */
export const BOARD_FLAG_OPTIONS: Readonly<Record<string, FlagOption>> & { readonly board: FlagOption; readonly [RUN_FLAG]: FlagOption } = {
  board: { type: 'string', default: defaultBoardId() },
  [RUN_FLAG]: { type: 'string' },
  ...Object.fromEntries([...FLAGS].map(([flag, field]): [string, FlagOption] => [flag, { type: field.type === 'boolean' ? 'boolean' : 'string' }])),
};

/** What the board flags ask for: the connect request, and how long the run lasts. */
export interface BoardRequest {
  readonly options: BoardOptions;
  /** --duration: the host stops a live board after this long; software sources end by themselves. */
  readonly durationSec: number | undefined;
}

function oneOf(values: readonly (string | number)[]): string {
  return values.length <= 2 ? values.join(' or ') : `${values.slice(0, -1).join(', ')} or ${values[values.length - 1]}`;
}

/** A flag's text as the value of its field (ranges are the engine's to check, in its words). */
function fieldValue(flag: string, field: BoardOptionField, text: string | boolean): string | number | boolean {
  if (field.type === 'boolean') return field.cli?.sets ?? true;
  const value = String(text);
  switch (field.type) {
    case 'string':
      return value;
    case 'enum': {
      const choice = field.choices.find((c) => String(c.value) === value);
      if (!choice) throw new UsageError(`--${flag} is ${oneOf(field.choices.map((c) => c.value))}, got "${value}"`);
      return choice.value;
    }
    case 'integer':
    case 'number':
      if (field.words?.includes(value)) return value;
      return parseNumber(flag, value, { integer: field.type === 'integer', min: field.minExclusive ? -Infinity : field.min });
  }
}

/**
 * The connect request the flags stand for. A flag of an option the board does not take is passed
 * on all the same, for the engine to refuse in a sentence; --duration is every run's.
 */
export function boardOptionsFromFlags(values: FlagValues): BoardRequest {
  const id = typeof values.board === 'string' ? values.board : defaultBoardId();
  const board = listBoards().find((b) => b.id === id);
  const options: Record<string, string | number | boolean> = { board: id };
  for (const [flag, field] of FLAGS) {
    const text = values[flag];
    if (text === undefined || text === false) continue;
    // a board's own field on this flag (the same key, perhaps another range) wins
    const own = board?.fields.find((f) => f.cli?.flag === flag) ?? field;
    options[own.key] = fieldValue(flag, own, text);
  }
  let durationSec: number | undefined;
  if (typeof values[RUN_FLAG] === 'string') {
    durationSec = parseNumber(RUN_FLAG, values[RUN_FLAG]);
    if (!(durationSec > 0)) throw new UsageError(`--${RUN_FLAG} needs a number of seconds above 0, got "${values[RUN_FLAG]}"`);
    const ends = board?.fields.find((f) => f.cli?.flag === RUN_FLAG);
    if (ends) options[ends.key] = durationSec;
  }
  // the engine validates these against the board's kind before anything is opened
  return { options: options as BoardOptions, durationSec };
}

function kindsWith(flag: string): string[] {
  return [...new Set(listBoards().filter((b) => b.fields.some((f) => f.cli?.flag === flag)).map((b) => b.kind))];
}

function placeholderOf(field: BoardOptionField): string {
  return field.cli?.placeholder ? ` ${field.cli.placeholder}` : '';
}

/** One help line per board flag, from the fields: which kinds take it, its range, its default. */
export function boardFlagsHelp(): string {
  const boards = listBoards();
  const lines = [
    ['--board ID', `board to open (default ${defaultBoardId()}; see \`bci boards\`): ${boards.map((b) => b.id).join(', ')}`],
    [`--${RUN_FLAG} S`, 'stop after S seconds of data'],
  ];
  for (const [flag, field] of FLAGS) {
    const notes: string[] = [];
    if ((field.type === 'integer' || field.type === 'number') && field.max !== undefined) {
      notes.push(`${field.min}-${field.max}${field.unit && field.unit !== '×' ? ` ${field.unit}` : ''}${field.words?.length ? ` or ${field.words.join(', ')}` : ''}`);
    }
    if (field.type === 'enum' && field.cli?.placeholder !== field.choices.map((c) => c.value).join('|')) notes.push(oneOf(field.choices.map((c) => c.value)));
    if (field.default !== undefined && field.type !== 'boolean') notes.push(`default ${field.default}`);
    const help = field.cli?.help ?? field.help;
    lines.push([`--${flag}${placeholderOf(field)}`, `${help} (${kindsWith(flag).join(', ')}${notes.length ? `: ${notes.join(', ')}` : ''})`]);
  }
  return lines.map(([flag, text]) => `  ${flag.padEnd(21)} ${text}`).join('\n');
}

/** The board flags in one wrapped list (`--board ID, --channels N, …`), for commands that refer to `bci stream`. */
export function boardFlagsList(indent: string, width = 96): string {
  const items = ['--board ID', ...[...FLAGS].map(([flag, field]) => `--${flag}${placeholderOf(field)}`), `--${RUN_FLAG} S`];
  const lines: string[] = [];
  let line = '';
  for (const item of items) {
    const next = line ? `${line}, ${item}` : item;
    if (line && indent.length + next.length > width) {
      lines.push(line + ',');
      line = item;
    } else line = next;
  }
  lines.push(line);
  return lines.join(`\n${indent}`);
}

const CONNECTION_WORDS: Readonly<Record<BoardCapabilities['connection'], string>> = {
  none: 'no connection',
  'serial-port': 'serial port',
  file: 'recording file',
  'network-address': 'network address',
  'lsl-stream': 'LSL stream',
};

/** `bci boards`' second line for a board: how it connects, what else it can do, its flags. */
export function capabilitiesLine(board: BoardInfo): string {
  const c = board.capabilities;
  const can = [c.amplifierSettings && 'amplifier settings', c.impedance && 'impedance', c.playbackTransport && 'playback transport'].filter((x): x is string => typeof x === 'string');
  const flags = board.fields.filter((f) => f.cli).map((f) => `--${f.cli!.flag}${placeholderOf(f)}`);
  return [CONNECTION_WORDS[c.connection], ...can, flags.length ? `flags ${flags.join(' ')}` : 'no flags'].join(' · ');
}

/** The ids of the boards with a capability (`bci impedance --board …`), in registry order. */
export function boardIdsWith(capability: 'amplifierSettings' | 'impedance' | 'playbackTransport'): string[] {
  return listBoards()
    .filter((b) => b.capabilities[capability])
    .map((b) => b.id);
}

/**
 * When a run ends by itself: a software board after --duration (or a recording at its end); a
 * hardware board is stopped after --duration; without it a live board runs until Ctrl-C.
 */
export function endOfRun(engine: Engine, durationSec: number | undefined): Promise<void> {
  return engine.finite || durationSec === undefined ? engine.ended() : new Promise((resolve) => setTimeout(resolve, durationSec * 1000));
}

/**
 * `bci boards`'s serial-port lines: each port once (its description starts with its path: maker,
 * ids, serial number), the OpenBCI dongle saying that `--port auto` picks it.
 */
export function serialPortLines(ports: readonly { readonly description: string; readonly openBciDongle: boolean }[]): string[] {
  return ['', `serial ports${ports.length ? ':' : ': none found'}`, ...ports.map((p) => `  ${p.description}${p.openBciDongle ? ': --port auto picks it' : ''}`)];
}
