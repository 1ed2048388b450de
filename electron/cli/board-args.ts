// The board flags of every command that opens a board (stream, record): their parsing into the
// contract's BoardOptions, and when a run with --duration ends.

import type { Engine } from '../engine/engine.js';
import type { BoardOptions } from '../common/contract/board-options.js';
import { parseNumber } from './filter-args.js';
import { UsageError } from './errors.js';

/** The board flags every command that opens a board takes (stream, record). */
export const BOARD_FLAG_OPTIONS = {
  board: { type: 'string', default: 'synthetic' },
  channels: { type: 'string' },
  rate: { type: 'string' },
  seed: { type: 'string' },
  mode: { type: 'string' },
  mains: { type: 'string' },
  duration: { type: 'string' },
  unpaced: { type: 'boolean' },
  port: { type: 'string' },
} as const;


export function boardOptionsFromFlags(values: {
  board?: string;
  channels?: string;
  rate?: string;
  seed?: string;
  mode?: string;
  mains?: string;
  duration?: string;
  unpaced?: boolean;
  port?: string;
}): BoardOptions {
  const options: { -readonly [K in keyof BoardOptions]: BoardOptions[K] } = { board: values.board ?? 'synthetic' };
  if (values.channels !== undefined) options.channelCount = parseNumber('channels', values.channels, { integer: true, min: 1 });
  if (values.rate !== undefined) options.sampleRateHz = parseNumber('rate', values.rate, { integer: true, min: 1 });
  if (values.seed !== undefined) options.seed = parseNumber('seed', values.seed, { integer: true, min: 0 });
  if (values.mode !== undefined) {
    if (values.mode !== 'rest' && values.mode !== 'mi') throw new UsageError(`--mode is rest or mi, got "${values.mode}"`);
    options.mode = values.mode;
  }
  if (values.mains !== undefined) {
    const mains = parseNumber('mains', values.mains);
    if (mains !== 50 && mains !== 60) throw new UsageError(`--mains is 50 or 60, got "${values.mains}"`);
    options.mainsHz = mains;
  }
  if (values.duration !== undefined) {
    options.durationSec = parseNumber('duration', values.duration);
    if (!(options.durationSec > 0)) throw new UsageError(`--duration needs a number of seconds above 0, got "${values.duration}"`);
  }
  if (values.unpaced) options.paced = false;
  if (values.port !== undefined) options.port = values.port;
  return options;
}

/** A software board ends by itself after --duration; a hardware board is stopped after that long. */
export function endOfRun(engine: Engine, durationSec: number): Promise<void> {
  return engine.finite ? engine.ended() : new Promise((resolve) => setTimeout(resolve, durationSec * 1000));
}
