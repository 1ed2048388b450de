// BrainFlow's boards as registry entries (registry.ts lists them after the built-in boards): one
// `brainflow:<name>` entry per board BrainFlow's board controller describes, read from the
// library found on this machine (native/brainflow.ts), once per library. Without a library, one
// entry that cannot be opened says in one line how to get one.

import { EngineError } from '../../common/contract/failure.js';
import { optionFieldsOf, type BoardCapabilities, type BoardOptionField, type BoardOptionsOf } from '../../common/contract/board-options.js';
import {
  BRAINFLOW_FIRST_BOARD,
  BRAINFLOW_LAST_BOARD,
  BRAINFLOW_PLAYBACK_BOARD,
  BRAINFLOW_PREFIX,
  BRAINFLOW_STREAMING_BOARD,
  brainflowBoardIds,
  brainflowConnection,
  brainflowDescriptionSchema,
  brainflowLayout,
  type BrainflowBoard,
} from '../../common/boards/brainflow-boards.js';
import { AUTO_SERIAL_PORT } from '../../common/boards/option-fields.js';
import { loadBrainflow, type BrainflowInputParams, type BrainflowLibrary } from '../../../native/brainflow.js';
import { resolveSerialPort } from '../serial/ports.js';
import { BrainflowDriver } from './brainflow.js';
import type { BoardEntryOf } from './registry.js';

type BrainflowEntry = BoardEntryOf<'brainflow'>;

/** BrainFlow's boards, or the one unavailable entry; `key` changes when another library is found. */
export function brainflowEntries(): { readonly key: string; readonly entries: readonly BrainflowEntry[] } {
  const loaded = loadBrainflow();
  if (!loaded.library) return { key: `missing:${loaded.error}`, entries: [unavailableEntry(loaded.error)] };
  const key = loaded.library.located.boardController;
  if (cache?.key !== key) cache = { key, entries: describe(loaded.library) };
  return cache;
}

let cache: { readonly key: string; readonly entries: readonly BrainflowEntry[] } | undefined;

const NO_CAPABILITIES: Omit<BoardCapabilities, 'connection' | 'connectionField' | 'layout'> = { amplifierSettings: false, impedance: false, playbackTransport: false };

function unavailableEntry(message: string): BrainflowEntry {
  return {
    id: 'brainflow',
    name: 'BrainFlow boards',
    summary: message,
    kind: 'brainflow',
    capabilities: { ...NO_CAPABILITIES, connection: 'none', connectionField: null, layout: null },
    fields: [],
    unavailable: message,
    create() {
      throw new EngineError('not-found', message);
    },
  };
}

/** Every board id the library describes (unsupported ids answer an error and are skipped). */
export function brainflowBoardsOf(library: BrainflowLibrary): BrainflowBoard[] {
  const found: { boardId: number; name: string; description: BrainflowBoard['description'] }[] = [];
  for (let boardId = BRAINFLOW_FIRST_BOARD; boardId <= BRAINFLOW_LAST_BOARD; boardId++) {
    const { code, json } = library.description(boardId);
    if (code !== 0) continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(json);
    } catch {
      continue;
    }
    const description = brainflowDescriptionSchema.safeParse(parsed);
    if (!description.success) continue;
    const described = description.data.sampling_rate !== undefined && description.data.num_rows !== undefined;
    found.push({ boardId, name: description.data.name, description: described ? description.data : undefined });
  }
  const ids = brainflowBoardIds(found);
  return found.map((b, i) => ({ ...b, id: ids[i] }));
}

const CONNECTION_FIELD = { 'serial-port': 'port', file: 'file', 'network-address': 'ipAddress', none: null } as const;

/** A board's fields: its connection's field, what playback and streaming need, and BrainFlow's other parameters (advanced). */
function fieldsOf(boardId: number, connection: BoardCapabilities['connection'], masterChoices: readonly { value: string; label: string }[]): BoardOptionField[] {
  const all = optionFieldsOf('brainflow');
  const wanted = new Set<string>(['macAddress', 'ipPort', 'ipProtocol', 'serialNumber', 'otherInfo', 'timeoutSec']);
  if (connection === 'serial-port') wanted.add('port');
  if (connection === 'network-address') wanted.add('ipAddress');
  if (boardId === BRAINFLOW_PLAYBACK_BOARD) wanted.add('file').add('masterBoard');
  if (boardId === BRAINFLOW_STREAMING_BOARD) wanted.add('masterBoard');
  const required = boardId === BRAINFLOW_PLAYBACK_BOARD ? new Set(['file', 'masterBoard']) : boardId === BRAINFLOW_STREAMING_BOARD ? new Set(['masterBoard', 'ipAddress']) : new Set<string>();
  return all
    .filter((f) => wanted.has(f.key))
    .map((f) => (required.has(f.key) ? { ...f, required: true } : f))
    .map((f): BoardOptionField => (f.key === 'file' ? { ...f, label: 'BrainFlow CSV file', help: "a BrainFlow CSV file (BrainFlow's DataFilter.write_file) with the master board's rows, on the engine's machine" } : f))
    .map((f): BoardOptionField => (f.key === 'masterBoard' ? { ...f, type: 'enum', choices: masterChoices, default: masterChoices[0]?.value } : f));
}

function describe(library: BrainflowLibrary): BrainflowEntry[] {
  const boards = brainflowBoardsOf(library);
  // the boards whose layout a playback file or a stream may have: those BrainFlow describes
  const masterChoices = boards.filter((b) => b.description).map((b) => ({ value: b.id.slice(BRAINFLOW_PREFIX.length), label: b.name }));
  return boards.map((board): BrainflowEntry => {
    const connection = brainflowConnection(board.boardId);
    const d = board.description;
    const eeg = d?.eeg_channels?.length ?? 0;
    const layoutText = d
      ? `${eeg} EEG channel${eeg === 1 ? '' : 's'}${d.eeg_names ? ` (${d.eeg_names})` : ''} at ${d.sampling_rate} Hz, ${d.num_rows} BrainFlow rows`
      : "the master board's layout (--master-board)";
    return {
      id: board.id,
      name: `${board.name} (BrainFlow)`,
      summary: `BrainFlow's ${board.name} board (BrainFlow id ${board.boardId}): ${layoutText}`,
      kind: 'brainflow',
      capabilities: {
        ...NO_CAPABILITIES,
        connection,
        connectionField: CONNECTION_FIELD[connection],
        layout: d && eeg > 0 ? { eegChannelCount: eeg, sampleRateHz: d.sampling_rate! } : null,
      },
      fields: fieldsOf(board.boardId, connection, masterChoices),
      create: (options) => createDriver(library, board, boards, options),
    };
  });
}

const IP_PROTOCOLS = { none: 0, udp: 1, tcp: 2 } as const;

/** A master board named by id (`brainflow:cyton`, `cyton`), BrainFlow's name (`Cyton`) or BrainFlow's number. */
export function findMasterBoard(boards: readonly BrainflowBoard[], name: string): BrainflowBoard | undefined {
  const wanted = name.trim().toLowerCase();
  return boards.find(
    (b) => b.description && (b.id === wanted || b.id === `${BRAINFLOW_PREFIX}${wanted}` || b.name.toLowerCase() === wanted || String(b.boardId) === wanted),
  );
}

function createDriver(library: BrainflowLibrary, board: BrainflowBoard, boards: readonly BrainflowBoard[], options: BoardOptionsOf<'brainflow'>): BrainflowDriver {
  let layoutBoard = board;
  const params: { -readonly [K in keyof BrainflowInputParams]?: BrainflowInputParams[K] } = {};
  if (!board.description) {
    if (options.masterBoard === undefined) {
      throw new EngineError('invalid-request', `${board.name} (BrainFlow) needs the board its data comes from: give --master-board (cyton, synthetic …)`, [
        { path: 'masterBoard', message: 'the master board is required' },
      ]);
    }
    const master = findMasterBoard(boards, options.masterBoard);
    if (!master) {
      const choices = boards.filter((b) => b.description).map((b) => b.id.slice(BRAINFLOW_PREFIX.length));
      const message = `unknown master board "${options.masterBoard}": choose one of ${choices.join(', ')}`;
      throw new EngineError('invalid-request', message, [{ path: 'masterBoard', message }]);
    }
    layoutBoard = master;
    params.master_board = master.boardId;
  }
  if (board.boardId === BRAINFLOW_PLAYBACK_BOARD && options.file === undefined) {
    const message = 'the BrainFlow playback board needs a BrainFlow CSV file: give its path (--file PATH)';
    throw new EngineError('invalid-request', message, [{ path: 'file', message }]);
  }
  const { descriptor, map } = brainflowLayout(board.id, layoutBoard === board ? board.name : `${board.name} of ${layoutBoard.name}`, layoutBoard.description!);
  if (options.port !== undefined) params.serial_port = options.port;
  else if (brainflowConnection(board.boardId) === 'serial-port') params.serial_port = AUTO_SERIAL_PORT;
  if (options.ipAddress !== undefined) params.ip_address = options.ipAddress;
  if (options.ipPort !== undefined) params.ip_port = options.ipPort;
  if (options.ipProtocol !== undefined) params.ip_protocol = IP_PROTOCOLS[options.ipProtocol];
  if (options.macAddress !== undefined) params.mac_address = options.macAddress;
  if (options.serialNumber !== undefined) params.serial_number = options.serialNumber;
  if (options.otherInfo !== undefined) params.other_info = options.otherInfo;
  if (options.timeoutSec !== undefined) params.timeout = options.timeoutSec;
  if (options.file !== undefined) params.file = options.file;
  return new BrainflowDriver({
    library,
    boardId: board.boardId,
    descriptor,
    map,
    params,
    beforePrepare: async (p) => {
      if (p.serial_port !== AUTO_SERIAL_PORT) return p;
      try {
        return { ...p, serial_port: await resolveSerialPort(AUTO_SERIAL_PORT) };
      } catch (error) {
        throw new EngineError('not-found', (error as Error).message);
      }
    },
  });
}
