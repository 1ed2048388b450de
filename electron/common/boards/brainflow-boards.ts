// BrainFlow's boards as the workstation sees them, pure: a board description (the JSON that
// BrainFlow's `get_board_descr` answers) becomes a board id (`brainflow:<name>`), a descriptor
// (rows the workstation keeps, with labels, kinds and units) and the row map the driver uses to
// pick those rows, the package counter, the timestamp and the marker out of BrainFlow's rows.
// BrainFlow's exit codes become sentences here too. The library itself is bound in
// native/brainflow.ts; the driver is engine/boards/brainflow.ts.
//
// BrainFlow's data layout: `get_board_data` answers a (num_rows × count) matrix, row-major: row r
// of the description (eeg_channels, accel_channels …) holds one value per sample. Units: ExG rows
// in µV, accelerometer in g, timestamp in seconds since the Unix epoch (host time when BrainFlow
// read the packet), package_num a per-sample counter (a byte on OpenBCI boards), the marker row 0
// except where insert_marker put a value.

import { z } from 'zod';
import type { BoardDescriptor, ChannelDescriptor, ChannelType, ChannelUnit } from './descriptor.js';

export const BRAINFLOW_PREFIX = 'brainflow:';

/** BrainFlow's board ids with a special meaning (brainflow_constants.h). */
export const BRAINFLOW_PLAYBACK_BOARD = -3;
export const BRAINFLOW_STREAMING_BOARD = -2;
export const BRAINFLOW_SYNTHETIC_BOARD = -1;
/** The range of board ids the library is asked about (BoardIds::FIRST … a margin past LAST). */
export const BRAINFLOW_FIRST_BOARD = -3;
export const BRAINFLOW_LAST_BOARD = 80;

const channelList = z.array(z.number().int().min(0).max(100_000)).max(10_000);

/** A board description as `get_board_descr` answers it (only what the workstation reads; the rest passes). */
export const brainflowDescriptionSchema = z.looseObject({
  name: z.string().min(1).max(200),
  sampling_rate: z.number().positive().max(1_000_000).optional(),
  num_rows: z.number().int().positive().max(100_000).optional(),
  package_num_channel: z.number().int().min(0).optional(),
  timestamp_channel: z.number().int().min(0).optional(),
  marker_channel: z.number().int().min(0).optional(),
  battery_channel: z.number().int().min(0).optional(),
  eeg_names: z.string().max(100_000).optional(),
  eeg_channels: channelList.optional(),
  emg_channels: channelList.optional(),
  ecg_channels: channelList.optional(),
  eog_channels: channelList.optional(),
  accel_channels: channelList.optional(),
  gyro_channels: channelList.optional(),
  magnetometer_channels: channelList.optional(),
  rotation_channels: channelList.optional(),
  analog_channels: channelList.optional(),
  ppg_channels: channelList.optional(),
  eda_channels: channelList.optional(),
  optical_channels: channelList.optional(),
  temperature_channels: channelList.optional(),
  resistance_channels: channelList.optional(),
  other_channels: channelList.optional(),
});

export type BrainflowDescription = z.infer<typeof brainflowDescriptionSchema>;

/** A board BrainFlow knows: its BrainFlow id, the workstation's id for it, and its description. */
export interface BrainflowBoard {
  readonly boardId: number;
  /** `brainflow:<name>`: the name in lower case, anything but letters and digits as '-'. */
  readonly id: string;
  readonly name: string;
  /** Absent for boards whose layout is another board's (playback, streaming: the master board's). */
  readonly description: BrainflowDescription | undefined;
}

/** How a BrainFlow board is reached, where BrainFlow's documentation says (others take what their fields say). */
export type BrainflowConnection = 'none' | 'serial-port' | 'file' | 'network-address';

// BrainFlow ids of boards on a serial port (OpenBCI dongle, FreeEEG, PiEEG, Knight, OB, IronBCI)
// and on a network address (Wi-Fi shields, Galea, NTL), from BrainFlow's supported-boards page.
const SERIAL_BOARDS = new Set([0, 1, 2, 17, 52, 56, 57, 60, 63, 64, 65, 66]);
const NETWORK_BOARDS = new Set([-2, 3, 4, 5, 6, 50]);

export function brainflowConnection(boardId: number): BrainflowConnection {
  if (boardId === BRAINFLOW_SYNTHETIC_BOARD) return 'none';
  if (boardId === BRAINFLOW_PLAYBACK_BOARD) return 'file';
  if (SERIAL_BOARDS.has(boardId)) return 'serial-port';
  if (NETWORK_BOARDS.has(boardId)) return 'network-address';
  return 'none';
}

/** The workstation ids of BrainFlow's boards: names as slugs, a later board with a taken name gets its BrainFlow id appended. */
export function brainflowBoardIds(boards: readonly { boardId: number; name: string }[]): string[] {
  const taken = new Set<string>();
  return boards.map(({ boardId, name }) => {
    const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || `board${boardId}`;
    let id = `${BRAINFLOW_PREFIX}${slug}`;
    if (taken.has(id)) id = `${id}-${boardId}`;
    taken.add(id);
    return id;
  });
}

/** Which of BrainFlow's rows the workstation keeps, in the order of its descriptor's channels. */
export interface BrainflowRowMap {
  readonly numRows: number;
  /** BrainFlow row of each descriptor channel. */
  readonly rows: Int32Array;
  readonly packageRow: number | undefined;
  readonly timestampRow: number | undefined;
  readonly markerRow: number | undefined;
}

// Physical ranges for recording headers. BrainFlow does not say them: ExG rows get ±1 V (wider
// than any of its amplifiers: an ADS1299 at gain 1 reaches ±4.5 V /1 but no board ships it),
// accelerometers ±16 g, the rest ±10^6 (counts, ohms, degrees; an EDF header field holds 8 characters; a value outside is clipped and annotated as such by the recorder).
const EXG_RANGE_UV = 1_000_000;
const ACCEL_RANGE_G = 16;
const OTHER_RANGE = 1e6;

interface Kind {
  readonly key: keyof BrainflowDescription;
  readonly type: ChannelType;
  readonly unit: ChannelUnit;
  readonly range: number;
  readonly label: string;
}

// In this order; a row listed under several kinds (BrainFlow lists a Cyton's ExG rows as eeg, emg,
// ecg and eog alike) is kept once, under the first.
const KINDS: readonly Kind[] = [
  { key: 'eeg_channels', type: 'eeg', unit: 'uV', range: EXG_RANGE_UV, label: 'EEG' },
  { key: 'emg_channels', type: 'emg', unit: 'uV', range: EXG_RANGE_UV, label: 'EMG' },
  { key: 'ecg_channels', type: 'ecg', unit: 'uV', range: EXG_RANGE_UV, label: 'ECG' },
  { key: 'eog_channels', type: 'eog', unit: 'uV', range: EXG_RANGE_UV, label: 'EOG' },
  { key: 'accel_channels', type: 'accel', unit: 'g', range: ACCEL_RANGE_G, label: 'Accel' },
  { key: 'gyro_channels', type: 'aux', unit: 'counts', range: OTHER_RANGE, label: 'Gyro' },
  { key: 'magnetometer_channels', type: 'aux', unit: 'counts', range: OTHER_RANGE, label: 'Mag' },
  { key: 'rotation_channels', type: 'aux', unit: 'counts', range: OTHER_RANGE, label: 'Rotation' },
  { key: 'ppg_channels', type: 'aux', unit: 'counts', range: OTHER_RANGE, label: 'PPG' },
  { key: 'eda_channels', type: 'aux', unit: 'counts', range: OTHER_RANGE, label: 'EDA' },
  { key: 'optical_channels', type: 'aux', unit: 'counts', range: OTHER_RANGE, label: 'Optical' },
  { key: 'temperature_channels', type: 'aux', unit: 'counts', range: OTHER_RANGE, label: 'Temp' },
  { key: 'resistance_channels', type: 'aux', unit: 'counts', range: OTHER_RANGE, label: 'Resist' },
  { key: 'analog_channels', type: 'aux', unit: 'counts', range: OTHER_RANGE, label: 'Analog' },
  { key: 'other_channels', type: 'aux', unit: 'counts', range: OTHER_RANGE, label: 'Other' },
];

const AXES = ['X', 'Y', 'Z'];

/** The descriptor and row map of a described board: ExG rows first (EEG with BrainFlow's names), then the others, each row once. */
export function brainflowLayout(id: string, name: string, description: BrainflowDescription): { descriptor: BoardDescriptor; map: BrainflowRowMap } {
  if (description.sampling_rate === undefined || description.num_rows === undefined) {
    throw new RangeError(`BrainFlow's description of ${name} has no sampling rate or row count`);
  }
  const numRows = description.num_rows;
  const special = new Set([description.package_num_channel, description.timestamp_channel, description.marker_channel].filter((r) => r !== undefined));
  const seen = new Set<number>();
  const channels: ChannelDescriptor[] = [];
  const rows: number[] = [];
  const eegNames = (description.eeg_names ?? '').split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  for (const kind of KINDS) {
    const list = (description[kind.key] as readonly number[] | undefined) ?? [];
    list.forEach((row, i) => {
      if (seen.has(row) || special.has(row) || row >= numRows) return;
      seen.add(row);
      let label: string;
      if (kind.key === 'eeg_channels' && eegNames.length === list.length) label = eegNames[i];
      else if (kind.type === 'accel' || kind.key === 'gyro_channels' || kind.key === 'magnetometer_channels') label = list.length === 3 ? `${kind.label}${AXES[i]}` : `${kind.label}${i + 1}`;
      else label = `${kind.label}${i + 1}`;
      channels.push({ label, type: kind.type, unit: kind.unit, physicalMin: -kind.range, physicalMax: kind.range });
      rows.push(row);
    });
  }
  if (description.battery_channel !== undefined && !seen.has(description.battery_channel) && description.battery_channel < numRows) {
    channels.push({ label: 'Battery', type: 'aux', unit: 'counts', physicalMin: -OTHER_RANGE, physicalMax: OTHER_RANGE });
    rows.push(description.battery_channel);
  }
  // labels must be unique in a recording
  const counts = new Map<string, number>();
  const unique = channels.map((c) => {
    const n = (counts.get(c.label) ?? 0) + 1;
    counts.set(c.label, n);
    return n === 1 ? c : { ...c, label: `${c.label}-${n}` };
  });
  return {
    descriptor: { id, name: `${name} (BrainFlow)`, sampleRateHz: description.sampling_rate, channels: unique },
    map: {
      numRows,
      rows: Int32Array.from(rows),
      packageRow: description.package_num_channel,
      timestampRow: description.timestamp_channel,
      markerRow: description.marker_channel,
    },
  };
}

/**
 * Rows lost between two package counters. BrainFlow's OpenBCI boards count in a byte (0-255,
 * wrapping); others count up without wrapping. `wraps` says which (a counter seen above 255 does not).
 */
export function lostPackages(previous: number, current: number, wraps: boolean): number {
  if (wraps) return (((current - previous - 1) % 256) + 256) % 256;
  const diff = current - previous;
  return diff > 1 ? diff - 1 : 0;
}

/** BrainFlow's exit codes (brainflow_constants.h BrainFlowExitCodes). */
export const BRAINFLOW_EXIT_CODES: Readonly<Record<number, string>> = Object.freeze({
  1: 'PORT_ALREADY_OPEN_ERROR',
  2: 'UNABLE_TO_OPEN_PORT_ERROR',
  3: 'SET_PORT_ERROR',
  4: 'BOARD_WRITE_ERROR',
  5: 'INCOMMING_MSG_ERROR',
  6: 'INITIAL_MSG_ERROR',
  7: 'BOARD_NOT_READY_ERROR',
  8: 'STREAM_ALREADY_RUN_ERROR',
  9: 'INVALID_BUFFER_SIZE_ERROR',
  10: 'STREAM_THREAD_ERROR',
  11: 'STREAM_THREAD_IS_NOT_RUNNING',
  12: 'EMPTY_BUFFER_ERROR',
  13: 'INVALID_ARGUMENTS_ERROR',
  14: 'UNSUPPORTED_BOARD_ERROR',
  15: 'BOARD_NOT_CREATED_ERROR',
  16: 'ANOTHER_BOARD_IS_CREATED_ERROR',
  17: 'GENERAL_ERROR',
  18: 'SYNC_TIMEOUT_ERROR',
  19: 'JSON_NOT_FOUND_ERROR',
  20: 'NO_SUCH_DATA_IN_JSON_ERROR',
  21: 'CLASSIFIER_IS_NOT_PREPARED_ERROR',
  22: 'ANOTHER_CLASSIFIER_IS_PREPARED_ERROR',
  23: 'UNSUPPORTED_CLASSIFIER_AND_METRIC_COMBINATION_ERROR',
});

/** What a failed call was doing, for the sentence. */
export interface BrainflowCallContext {
  /** 'prepare', 'start', 'stop', 'release', 'read', 'configure', 'marker'. */
  readonly action: string;
  readonly boardName: string;
  readonly serialPort?: string;
  readonly file?: string;
}

/** The failure kind an exit code stands for (contract/failure.ts's kinds). */
export function brainflowFailureKind(code: number): 'device' | 'invalid-request' | 'not-found' | 'state' | 'internal' {
  switch (code) {
    case 13:
    case 14:
    case 19:
    case 20:
      return 'invalid-request';
    case 8:
    case 11:
    case 15:
    case 16:
      return 'state';
    case 9:
    case 21:
    case 22:
    case 23:
      return 'internal';
    default:
      return 'device';
  }
}

/** One sentence for a BrainFlow exit code: what happened and what to do, with the code's name at the end. */
export function brainflowErrorSentence(code: number, context: BrainflowCallContext): string {
  const board = context.boardName;
  const port = context.serialPort ? ` ${context.serialPort}` : '';
  let sentence: string;
  switch (code) {
    case 1:
      sentence = `the serial port${port} is already open (another program or another connection has it): close it there, then connect again`;
      break;
    case 2:
      sentence = context.serialPort
        ? `BrainFlow could not open the serial port${port} for ${board}: check the path (\`bci boards\` lists the ports), that the dongle is plugged in, and that you may use it (on Linux, the dialout group)`
        : `BrainFlow could not open the connection to ${board}: give its serial port (--port), or check its address`;
      break;
    case 3:
      sentence = `BrainFlow could not set up the serial port${port} for ${board} (baud rate, flags): is it a serial device?`;
      break;
    case 4:
      sentence = `BrainFlow could not write to ${board}: check the link (dongle plugged in, board on)`;
      break;
    case 5:
    case 6:
      sentence = `${board} did not answer as BrainFlow expects: check that the board is on, on the dongle's radio channel, and that this is the right board type`;
      break;
    case 7:
      sentence = `${board} is not ready: turn it on (and, for a Cyton, its dongle's switch to GPIO 6 / the board's to PC), then connect again`;
      break;
    case 8:
      sentence = `${board} is already streaming`;
      break;
    case 9:
      sentence = `BrainFlow refused the buffer size the workstation asked for ${board} (a fault of the workstation: please report it)`;
      break;
    case 21:
    case 22:
    case 23:
      sentence = `BrainFlow's classifier module refused a call for ${board} (the workstation does not use it for boards: please report it)`;
      break;
    case 10:
      sentence = `BrainFlow's reading thread for ${board} failed to start`;
      break;
    case 11:
      sentence = `${board} is not streaming`;
      break;
    case 12:
      sentence = `BrainFlow has no data from ${board} yet`;
      break;
    case 13:
      sentence = context.action === 'prepare' ? `BrainFlow refused the parameters for ${board}: check the port, address, file or master board given` : `BrainFlow refused the arguments of a call to ${board}`;
      break;
    case 14:
      sentence = `this BrainFlow library does not support ${board} (it may have been built without it: Bluetooth LE boards need BrainFlow's BLE build)`;
      break;
    case 15:
      sentence = `${board} is not connected in BrainFlow (no session): connect it first`;
      break;
    case 16:
      sentence = `another session of ${board} is open in BrainFlow with other parameters: disconnect it first`;
      break;
    case 17:
      sentence = context.file
        ? `BrainFlow reported a general error on ${board}: check that ${context.file} is a BrainFlow CSV file of the master board given`
        : `BrainFlow reported a general error on ${board}: see BrainFlow's log, and check the board and its parameters`;
      break;
    case 18:
      sentence = `${board} did not answer in time (sync timeout): check that it is on and in range, then connect again`;
      break;
    case 19:
    case 20:
      sentence = `BrainFlow could not read its parameters for ${board}: the workstation sent an incomplete parameter set`;
      break;
    default:
      sentence = `BrainFlow failed on ${board}`;
  }
  const name = BRAINFLOW_EXIT_CODES[code] ?? 'unknown';
  return `${sentence} (BrainFlow error ${code} ${name} while trying to ${context.action})`;
}
