// The board registry: the one list of the boards the engine can open. Each entry gives the board's
// id, name, kind (which decides its options: contract/board-options.ts), capabilities, and how to
// build its driver. `listBoards` (for `bci boards`, the UI's picker, the CLI's flags and help) and
// `openBoard` (for `connect`) read it; adding a board touches this file and its driver only.

import type { BoardDriver } from './driver.js';
import { EngineError } from '../../common/contract/failure.js';
import {
  optionFieldsOf,
  validateBoardOptions,
  type BoardCapabilities,
  type BoardInfo,
  type BoardKind,
  type BoardOptionField,
  type BoardOptionsOf,
  type KindedBoardOptions,
} from '../../common/contract/board-options.js';
import { SYNTHETIC_DEFAULTS } from '../../common/boards/synthetic.js';
import { AUTO_SERIAL_PORT, DEFAULT_PLAYBACK_SPEED } from '../../common/boards/option-fields.js';
import { SyntheticDriver } from './synthetic.js';
import { PlaybackDriver } from './playback.js';
import { LslBoardDriver } from '../lsl/lsl-board.js';
import { createCytonDriver } from './cyton.js';
import { CYTON_BOARD_IDS, CYTON_BOARD_INFO, cytonEegChannels, cytonSampleRateHz } from '../../common/boards/cyton-descriptor.js';
import { brainflowEntries } from './brainflow-entries.js';

export interface BoardEntryOf<K extends BoardKind> {
  readonly id: string;
  readonly name: string;
  readonly summary: string;
  readonly kind: K;
  readonly capabilities: BoardCapabilities;
  /** The fields this board shows, when not every field of its kind (default: the kind's). */
  readonly fields?: readonly BoardOptionField[];
  /** Why it cannot be opened here and how to make it available (see BoardInfo.unavailable). */
  readonly unavailable?: string;
  create(options: BoardOptionsOf<K>): BoardDriver;
}

/** A registry entry: a board of one kind, with a driver factory taking that kind's options. */
export type BoardEntry = { [K in BoardKind]: BoardEntryOf<K> }[BoardKind];

const SOFTWARE: Omit<BoardCapabilities, 'connection' | 'connectionField' | 'playbackTransport'> = { amplifierSettings: false, impedance: false, layout: null };

const synthetic: BoardEntryOf<'synthetic'> = {
  id: 'synthetic',
  name: 'Synthetic EEG',
  summary: 'built-in simulated EEG (1/f background, alpha, mains, drift, blinks; --mode mi for motor-imagery cues); 1-64 channels, 100-1000 Hz',
  kind: 'synthetic',
  capabilities: { ...SOFTWARE, connection: 'none', connectionField: null, playbackTransport: false },
  create(options) {
    const sampleRateHz = options.sampleRateHz ?? SYNTHETIC_DEFAULTS.sampleRateHz;
    return new SyntheticDriver({
      channelCount: options.channelCount ?? SYNTHETIC_DEFAULTS.channelCount,
      sampleRateHz,
      seed: options.seed ?? SYNTHETIC_DEFAULTS.seed,
      mode: options.mode ?? SYNTHETIC_DEFAULTS.mode,
      mainsHz: options.mainsHz ?? SYNTHETIC_DEFAULTS.mainsHz,
      paced: options.paced ?? true,
      totalRows: options.durationSec === undefined ? undefined : Math.round(options.durationSec * sampleRateHz),
    });
  },
};

const playback: BoardEntryOf<'playback'> = {
  id: 'playback',
  name: 'Playback',
  summary: 'plays a recording (BDF/EDF, OpenBCI GUI text, BrainFlow CSV, XDF, BrainVision) through the live pipeline at 0.25-16x or max',
  kind: 'playback',
  capabilities: { ...SOFTWARE, connection: 'file', connectionField: 'file', playbackTransport: true },
  create(options) {
    return new PlaybackDriver({ path: options.file, speed: options.speed ?? DEFAULT_PLAYBACK_SPEED, loop: options.loop, startSec: options.startSec, board: options.layout });
  },
};

const cytonBoards: BoardEntryOf<'serial'>[] = CYTON_BOARD_IDS.map((board) => ({
  id: board,
  ...CYTON_BOARD_INFO[board],
  kind: 'serial',
  capabilities: {
    connection: 'serial-port',
    connectionField: 'port',
    amplifierSettings: true,
    impedance: true,
    playbackTransport: false,
    layout: { eegChannelCount: cytonEegChannels(board), sampleRateHz: cytonSampleRateHz(board) },
  },
  create: (options) => createCytonDriver({ board, port: options.port ?? AUTO_SERIAL_PORT }),
}));

const lsl: BoardEntryOf<'lsl'> = {
  id: 'lsl',
  name: 'LSL stream',
  summary: 'any Lab Streaming Layer stream on the network (another amplifier, BrainFlow, a second workstation), by name or type=EEG; time-corrected, gaps counted, reconnects',
  kind: 'lsl',
  capabilities: { ...SOFTWARE, connection: 'lsl-stream', connectionField: 'lslStream', playbackTransport: false },
  create: (options) => new LslBoardDriver({ stream: options.lslStream }),
};

/** The built-in boards, in the order pickers and `bci boards` list them; the first is the default. */
const builtIn: readonly BoardEntry[] = [synthetic, ...cytonBoards, playback, lsl];

let listed: { readonly key: string; readonly entries: readonly BoardEntry[]; readonly infos: readonly BoardInfo[] } | undefined;

/** Every board: the built-in ones, then the boards of the libraries found on this machine (BrainFlow's), read once per library. */
function registry(): { readonly entries: readonly BoardEntry[]; readonly infos: readonly BoardInfo[] } {
  const found = brainflowEntries();
  if (!listed || listed.key !== found.key) {
    const entries = [...builtIn, ...found.entries];
    const infos = Object.freeze(
      entries.map(({ id, name, summary, kind, capabilities, fields, unavailable }) =>
        Object.freeze({ id, name, summary, kind, capabilities, fields: fields ?? optionFieldsOf(kind), ...(unavailable !== undefined && { unavailable }) }),
      ),
    );
    listed = { key: found.key, entries, infos };
  }
  return listed;
}

export function listBoards(): BoardInfo[] {
  return [...registry().infos];
}

/** The board a host opens when none is named (the first listed). */
export function defaultBoardId(): string {
  return builtIn[0].id;
}

export function findBoard(id: string): BoardEntry {
  const entries = registry().entries;
  const entry = entries.find((e) => e.id === id);
  if (!entry) {
    throw new EngineError('invalid-request', `unknown board "${id}": choose one of ${entries.map((e) => e.id).join(', ')} (see \`bci boards\`)`);
  }
  return entry;
}

/** The driver of the board a connect request names, its options checked against the board's kind first (refusals are sentences). */
export function openBoard(request: unknown): BoardDriver {
  // an unavailable entry `X` stands for the boards `X:…` its library would list (brainflow:cyton without BrainFlow)
  const id = typeof request === 'object' && request !== null ? (request as { board?: unknown }).board : undefined;
  const family = registry().entries.find((e) => e.unavailable !== undefined && typeof id === 'string' && id.startsWith(`${e.id}:`));
  if (family?.unavailable !== undefined) throw new EngineError('not-found', family.unavailable);
  const checked = validateBoardOptions(registry().infos, request);
  if (!checked.ok) throw new EngineError('invalid-request', checked.error, checked.issues);
  const entry = findBoard(checked.board.id);
  if (entry.unavailable !== undefined) throw new EngineError('not-found', entry.unavailable);
  return create(entry, checked.options);
}

function create(entry: BoardEntry, kinded: KindedBoardOptions): BoardDriver {
  // entry and options share a kind (validated against entry.kind); the switch lets the compiler see it
  switch (kinded.kind) {
    case 'synthetic':
      return entry.kind === 'synthetic' ? entry.create(kinded.options) : mismatch(entry, kinded.kind);
    case 'serial':
      return entry.kind === 'serial' ? entry.create(kinded.options) : mismatch(entry, kinded.kind);
    case 'playback':
      return entry.kind === 'playback' ? entry.create(kinded.options) : mismatch(entry, kinded.kind);
    case 'lsl':
      return entry.kind === 'lsl' ? entry.create(kinded.options) : mismatch(entry, kinded.kind);
    case 'brainflow':
      return entry.kind === 'brainflow' ? entry.create(kinded.options) : mismatch(entry, kinded.kind);
  }
}

function mismatch(entry: BoardEntry, kind: BoardKind): never {
  throw new EngineError('internal', `options of a ${kind} board given to ${entry.id} (a ${entry.kind} board)`);
}
