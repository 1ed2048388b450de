// Board option fields: every option a user can set on a board, declared once, each with its zod
// schema (what the engine accepts) and its description as data (label, type, range or choices,
// default, unit, command-line flag, help), built from the same numbers. A board kind's options
// (contract/board-options.ts) are a pick of these; a UI and the CLI build controls and help from
// the descriptions without knowing board ids. Pure.

import { z } from 'zod';
import { SYNTHETIC_DEFAULTS } from './synthetic.js';
import { BRAINFLOW_LAYOUTS, type BrainflowBoardId } from '../formats/brainflow-layouts.js';

interface OptionFieldBase {
  /** The option's key in a connect request (`{ board, [key]: value }`). */
  readonly key: string;
  /** A short name for a form ("Sampling rate"). */
  readonly label: string;
  /** One line: what it does ("number of EEG channels"). */
  readonly help: string;
  /** The unit of its value ('Hz', 's', '×'), if it has one. */
  readonly unit?: string;
  /** A connect request without it is refused. */
  readonly required: boolean;
  /** Tuning a picker may keep out of sight (seeds, pacing, durations); the CLI offers every field. */
  readonly advanced: boolean;
  /**
   * Its command-line flag without the dashes and the placeholder help shows (`--channels N`). A
   * flag of a boolean field takes no value and sets the field to `sets` (`--unpaced` sets
   * `paced: false`), and `help` says what the flag does when the field's help does not.
   */
  readonly cli?: { readonly flag: string; readonly placeholder?: string; readonly sets?: boolean; readonly help?: string };
}

export interface NumberOptionField extends OptionFieldBase {
  readonly type: 'integer' | 'number';
  readonly min: number;
  /** The minimum itself is refused (a duration above 0). */
  readonly minExclusive?: boolean;
  readonly max?: number;
  /** Words accepted instead of a number (a playback speed of `max`). */
  readonly words?: readonly string[];
  readonly default?: number | string;
}

export interface EnumOptionField extends OptionFieldBase {
  readonly type: 'enum';
  readonly choices: readonly { readonly value: string | number; readonly label: string }[];
  readonly default?: string | number;
}

export interface BooleanOptionField extends OptionFieldBase {
  readonly type: 'boolean';
  readonly default?: boolean;
}

export interface StringOptionField extends OptionFieldBase {
  readonly type: 'string';
  readonly maxLength: number;
  readonly default?: string;
}

/** A user-settable board option, described for forms, help and tests. Serialisable. */
export type BoardOptionField = NumberOptionField | EnumOptionField | BooleanOptionField | StringOptionField;

/** Omit over each member of a union (plain Omit keeps only the keys all members share). */
type OmitEach<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** A field's description without the parts its place in a kind decides (key, required). */
type Described<F extends BoardOptionField> = Omit<F, 'key' | 'required' | 'advanced'> & { readonly advanced?: boolean };

/** One option: the schema of its value and its description. */
export interface OptionSpec<S extends z.ZodType = z.ZodType> {
  readonly schema: S;
  readonly field: OmitEach<BoardOptionField, 'key' | 'required'>;
}

function integerOption(field: Omit<Described<NumberOptionField>, 'type' | 'words' | 'minExclusive'> & { readonly max: number; readonly default?: number }): OptionSpec<z.ZodNumber> {
  return { schema: z.number().int().min(field.min).max(field.max), field: { type: 'integer', advanced: false, ...field } };
}

function numberOption(field: Omit<Described<NumberOptionField>, 'type' | 'words' | 'default'> & { readonly default?: number }): OptionSpec<z.ZodNumber> {
  let schema = field.minExclusive ? z.number().gt(field.min) : z.number().min(field.min);
  if (field.max !== undefined) schema = schema.max(field.max);
  return { schema, field: { type: 'number', advanced: false, ...field } };
}

/** A number, or one of a few words instead (a speed of `max`). */
function numberOrWordOption<const W extends string>(
  field: Omit<Described<NumberOptionField>, 'type' | 'words' | 'default'> & { readonly words: readonly [W, ...W[]]; readonly default?: number | W },
): OptionSpec<z.ZodType<number | W>> {
  const number = numberOption({ ...field, default: undefined }).schema;
  return { schema: z.union([number, z.literal(field.words)]), field: { type: 'number', advanced: false, ...field } };
}

function enumOption<const V extends string | number>(
  choices: readonly { readonly value: V; readonly label: string }[],
  field: Omit<Described<EnumOptionField>, 'type' | 'choices' | 'default'> & { readonly default?: V },
): OptionSpec<z.ZodType<V>> {
  return { schema: z.literal(choices.map((c) => c.value)), field: { advanced: false, ...field, type: 'enum', choices } };
}

function booleanOption(field: Omit<Described<BooleanOptionField>, 'type'>): OptionSpec<z.ZodBoolean> {
  return { schema: z.boolean(), field: { type: 'boolean', advanced: false, ...field } };
}

function stringOption(field: Omit<Described<StringOptionField>, 'type'>, missing?: string): OptionSpec<z.ZodString> {
  const schema = missing === undefined ? z.string() : z.string({ error: (issue) => (issue.input === undefined ? missing : undefined) });
  return { schema: schema.min(1).max(field.maxLength), field: { type: 'string', advanced: false, ...field } };
}

/** The serial port a serial board opens when none is named: the one OpenBCI dongle present. */
export const AUTO_SERIAL_PORT = 'auto';
/** Playback speed when none is given (real time). */
export const DEFAULT_PLAYBACK_SPEED = 1;

/** Every option a board may take, by key. Kinds pick theirs in contract/board-options.ts. */
export const OPTION_SPECS = {
  // synthetic
  channelCount: integerOption({ label: 'Channels', help: 'number of EEG channels', min: 1, max: 64, default: SYNTHETIC_DEFAULTS.channelCount, cli: { flag: 'channels', placeholder: 'N' } }),
  sampleRateHz: integerOption({ label: 'Sampling rate', help: 'sampling rate', unit: 'Hz', min: 100, max: 1000, default: SYNTHETIC_DEFAULTS.sampleRateHz, cli: { flag: 'rate', placeholder: 'HZ' } }),
  mode: enumOption(
    [
      { value: 'rest', label: 'Resting EEG' },
      { value: 'mi', label: 'Motor-imagery cues' },
    ],
    { label: 'Signal', help: 'resting EEG, or motor-imagery cues with left/right/rest markers', default: SYNTHETIC_DEFAULTS.mode, cli: { flag: 'mode', placeholder: 'rest|mi' } },
  ),
  mainsHz: enumOption(
    [
      { value: 50, label: '50 Hz' },
      { value: 60, label: '60 Hz' },
    ],
    { label: 'Mains', help: 'mains frequency', unit: 'Hz', default: SYNTHETIC_DEFAULTS.mainsHz, cli: { flag: 'mains', placeholder: '50|60' } },
  ),
  seed: integerOption({ label: 'Seed', help: 'random seed: the same seed, the same samples', min: 0, max: 0xffffffff, default: SYNTHETIC_DEFAULTS.seed, advanced: true, cli: { flag: 'seed', placeholder: 'N' } }),
  paced: booleanOption({ label: 'Real time', help: 'paced by the host clock (off: as fast as the pipeline keeps up)', default: true, advanced: true, cli: { flag: 'unpaced', sets: false, help: 'as fast as the pipeline keeps up, not in real time' } }),
  durationSec: numberOption({ label: 'Duration', help: 'stop by itself after this many seconds of data', unit: 's', min: 0, minExclusive: true, advanced: true, cli: { flag: 'duration', placeholder: 'S' } }),
  // serial
  port: stringOption({ label: 'Serial port', help: `the dongle's serial port, or ${AUTO_SERIAL_PORT}: the one OpenBCI dongle present`, maxLength: 4096, default: AUTO_SERIAL_PORT, cli: { flag: 'port', placeholder: `PATH|${AUTO_SERIAL_PORT}` } }),
  // playback
  file: stringOption(
    { label: 'Recording', help: "the recording to play (BDF/EDF, OpenBCI text, BrainFlow CSV, XDF, BrainVision), on the engine's machine", maxLength: 4096, cli: { flag: 'file', placeholder: 'PATH' } },
    'the playback board needs a recording: give its path (--file PATH, or "Open recording" in the app)',
  ),
  speed: numberOrWordOption({ label: 'Speed', help: 'times real time, or max: as fast as the pipeline keeps up', unit: '×', min: 0.25, max: 16, words: ['max'], default: DEFAULT_PLAYBACK_SPEED, cli: { flag: 'speed', placeholder: 'X|max' } }),
  loop: booleanOption({ label: 'Loop', help: 'start again at the end', default: false, cli: { flag: 'loop', sets: true } }),
  startSec: numberOption({ label: 'Start at', help: 'where to start, in seconds of the recording', unit: 's', min: 0, default: 0, advanced: true, cli: { flag: 'start', placeholder: 'S' } }),
  layout: enumOption(
    (Object.keys(BRAINFLOW_LAYOUTS) as BrainflowBoardId[]).map((id) => ({ value: id, label: BRAINFLOW_LAYOUTS[id].name })),
    { label: 'BrainFlow CSV layout', help: "a BrainFlow CSV file's board layout; without it, its column count decides", advanced: true, cli: { flag: 'layout', placeholder: 'ID' } },
  ),
  // lsl
  lslStream: stringOption(
    { label: 'LSL stream', help: 'the LSL stream to take as the board: its name, or type=EEG (name=, type=, source_id=, hostname=)', maxLength: 500, cli: { flag: 'lsl-stream', placeholder: 'NAME|type=T' } },
    'the LSL board needs a stream: give its name or type (--lsl-stream NAME or --lsl-stream type=EEG; `bci lsl list` shows what is there)',
  ),
  // BrainFlow boards (BrainFlow's input parameters; port and file above are its serial_port and file)
  macAddress: stringOption({ label: 'MAC address', help: "the board's Bluetooth MAC address (BrainFlow's mac_address), where it needs one", maxLength: 64, advanced: true, cli: { flag: 'mac-address', placeholder: 'MAC' } }),
  ipAddress: stringOption({ label: 'IP address', help: "the board's IP address (BrainFlow's ip_address: Wi-Fi shields, Galea, streaming board)", maxLength: 256, cli: { flag: 'ip-address', placeholder: 'IP' } }),
  ipPort: integerOption({ label: 'IP port', help: "the board's IP port (BrainFlow's ip_port)", min: 0, max: 65535, advanced: true, cli: { flag: 'ip-port', placeholder: 'N' } }),
  ipProtocol: enumOption(
    [
      { value: 'none', label: 'None' },
      { value: 'udp', label: 'UDP' },
      { value: 'tcp', label: 'TCP' },
    ],
    { label: 'IP protocol', help: "BrainFlow's ip_protocol, for boards that ask for one", advanced: true, cli: { flag: 'ip-protocol', placeholder: 'none|udp|tcp' } },
  ),
  serialNumber: stringOption({ label: 'Serial number', help: "the board's serial number (BrainFlow's serial_number: Unicorn, BrainBit, Muse …)", maxLength: 256, advanced: true, cli: { flag: 'serial-number', placeholder: 'S' } }),
  otherInfo: stringOption({ label: 'Other info', help: "BrainFlow's other_info, for boards that read it", maxLength: 4096, advanced: true, cli: { flag: 'other-info', placeholder: 'TEXT' } }),
  masterBoard: stringOption({ label: 'Master board', help: "the board whose layout a BrainFlow playback file or stream has (a brainflow board id or BrainFlow's name: cyton, synthetic …)", maxLength: 100, cli: { flag: 'master-board', placeholder: 'BOARD' } }),
  timeoutSec: integerOption({ label: 'Timeout', help: "how long BrainFlow waits for the board to answer (BrainFlow's timeout)", unit: 's', min: 0, max: 600, advanced: true, cli: { flag: 'timeout', placeholder: 'S' } }),
} as const satisfies Record<string, OptionSpec>;

export type OptionKey = keyof typeof OPTION_SPECS;
