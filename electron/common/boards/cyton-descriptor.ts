// Board descriptors of the OpenBCI Cyton (8 EEG channels at 250 Hz) and Cyton + Daisy (16 at
// 125 Hz), each followed by the 3 accelerometer axes, as data. Pure; shared with the UI.

import type { BoardDescriptor, ChannelDescriptor } from './descriptor.js';
import { montageLabels } from './montage.js';
import {
  CYTON_ACCEL_SCALE_G,
  CYTON_CHANNELS,
  CYTON_DEFAULT_GAIN,
  CYTON_PACKET_RATE_HZ,
  DAISY_CHANNELS,
  fullScaleUv,
} from './cyton-protocol.js';

export type CytonBoardId = 'cyton' | 'cyton-daisy';

export const CYTON_BOARD_IDS: readonly CytonBoardId[] = Object.freeze(['cyton', 'cyton-daisy'] as const);

export function isCytonBoardId(id: string): id is CytonBoardId {
  return id === 'cyton' || id === 'cyton-daisy';
}

/** Names and one-line summaries for board pickers and `bci boards`. */
export const CYTON_BOARD_INFO: Readonly<Record<CytonBoardId, { readonly name: string; readonly summary: string }>> = Object.freeze({
  cyton: {
    name: 'OpenBCI Cyton',
    summary: 'OpenBCI Cyton over its USB dongle: 8 EEG channels at 250 Hz + accelerometer (--port PATH|auto)',
  },
  'cyton-daisy': {
    name: 'OpenBCI Cyton + Daisy',
    summary: 'OpenBCI Cyton with the Daisy module: 16 EEG channels at 125 Hz + accelerometer (--port PATH|auto)',
  },
});

/** ±4.096 g: the int16 range at 0.002 / 16 g per count. */
const ACCEL_FULL_SCALE_G = 32768 * CYTON_ACCEL_SCALE_G;

/** EEG channels per board. */
export function cytonEegChannels(board: CytonBoardId): number {
  return board === 'cyton-daisy' ? DAISY_CHANNELS : CYTON_CHANNELS;
}

/** Rows per second the driver produces. */
export function cytonSampleRateHz(board: CytonBoardId): number {
  return board === 'cyton-daisy' ? CYTON_PACKET_RATE_HZ / 2 : CYTON_PACKET_RATE_HZ;
}

/**
 * The descriptor of a Cyton board. `gains` (per EEG channel, default 24) set each channel's
 * physical range (±4.5 V / gain: ±187 500 µV at 24); `labels` default to the montage defaults.
 */
export function cytonDescriptor(board: CytonBoardId, options: { gains?: readonly number[]; labels?: readonly string[] } = {}): BoardDescriptor {
  const eeg = cytonEegChannels(board);
  const labels = options.labels ?? montageLabels(eeg);
  if (labels.length !== eeg) throw new RangeError(`${board} has ${eeg} EEG channels: got ${labels.length} labels`);
  const channels: ChannelDescriptor[] = [];
  for (let c = 0; c < eeg; c++) {
    const range = fullScaleUv(options.gains?.[c] ?? CYTON_DEFAULT_GAIN);
    channels.push({ label: labels[c], type: 'eeg', unit: 'uV', physicalMin: -range, physicalMax: range, resolution: range / (2 ** 23 - 1) });
  }
  for (const axis of ['X', 'Y', 'Z']) {
    channels.push({ label: `Accel${axis}`, type: 'accel', unit: 'g', physicalMin: -ACCEL_FULL_SCALE_G, physicalMax: ACCEL_FULL_SCALE_G, resolution: CYTON_ACCEL_SCALE_G });
  }
  return { id: board, name: CYTON_BOARD_INFO[board].name, sampleRateHz: cytonSampleRateHz(board), channels };
}

export const CYTON_DESCRIPTOR: BoardDescriptor = cytonDescriptor('cyton');
export const CYTON_DAISY_DESCRIPTOR: BoardDescriptor = cytonDescriptor('cyton-daisy');
