// What the board picker holds: the board and its options (synthetic, playback, serial port), and
// the connect options they stand for (a Cyton gets its port only: the engine refuses synthetic
// options for serial boards).

import type { BoardOptions } from '../../../electron/common/contract/board-options.js';
import { isAmplifierBoard } from '../../ui/board-kinds.js';
import { AUTO_PORT, connectPort } from './serial-ports.js';

export interface BoardChoice {
  readonly board: string;
  /** Synthetic. */
  readonly channelCount: number;
  readonly sampleRateHz: number;
  readonly mode: 'rest' | 'mi';
  readonly mainsHz: 50 | 60;
  /** Playback: a recording's path on the engine's machine, the speed, looping. */
  readonly file: string;
  readonly speed: number | 'max';
  readonly loop: boolean;
  /** Serial boards (Cyton): `auto`, a listed port, or a typed path (customPort). */
  readonly port: string;
  readonly customPort: boolean;
}

export const DEFAULT_BOARD_CHOICE: BoardChoice = Object.freeze({ board: 'synthetic', channelCount: 8, sampleRateHz: 250, mode: 'rest', mainsHz: 50, file: '', speed: 1, loop: false, port: AUTO_PORT, customPort: false });


/** The connect options a choice stands for. */
export function boardOptionsOf(choice: BoardChoice): BoardOptions {
  if (choice.board === 'synthetic') {
    return { board: 'synthetic', channelCount: choice.channelCount, sampleRateHz: choice.sampleRateHz, mode: choice.mode, mainsHz: choice.mainsHz };
  }
  if (choice.board === 'playback') {
    return { board: 'playback', file: choice.file.trim(), speed: choice.speed, loop: choice.loop };
  }
  if (isAmplifierBoard(choice.board)) {
    // synthetic-only options (channelCount, …) are refused for serial boards: send the port only
    return { board: choice.board, port: connectPort(choice.port) ?? AUTO_PORT };
  }
  return { board: choice.board };
}
