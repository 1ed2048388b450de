// The board registry: every board the engine can open, by id. `bci boards` and the UI's board
// picker list it; `connect` creates drivers from it.

import type { BoardDriver } from './driver.js';
import { EngineError } from '../../common/contract/failure.js';
import type { BoardInfo, BoardOptions } from '../../common/contract/board-options.js';
import { SYNTHETIC_DEFAULTS } from '../../common/boards/synthetic.js';
import { SyntheticDriver } from './synthetic.js';
import { PlaybackDriver } from './playback.js';
import { createCytonDriver } from './cyton.js';
import { CYTON_BOARD_INFO } from '../../common/boards/cyton-descriptor.js';

export interface BoardEntry extends BoardInfo {
  create(options: BoardOptions): BoardDriver;
}

const synthetic: BoardEntry = {
  id: 'synthetic',
  name: 'Synthetic EEG',
  summary: 'built-in simulated EEG (1/f background, alpha, mains, drift, blinks; --mode mi for motor-imagery cues); 1-64 channels, 100-1000 Hz',
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

const playback: BoardEntry = {
  id: 'playback',
  name: 'Playback',
  summary: 'plays a recording (BDF/EDF, OpenBCI GUI text, BrainFlow CSV, XDF, BrainVision) through the live pipeline at 0.25-16x or max',
  create(options) {
    if (!options.file) throw new EngineError('invalid-request', 'the playback board needs a recording: give its path (--file PATH, or "Open recording" in the app)');
    return new PlaybackDriver({ path: options.file, speed: options.speed ?? 1, loop: options.loop, startSec: options.startSec, board: options.layout });
  },
};

const cytonBoards: BoardEntry[] = (['cyton', 'cyton-daisy'] as const).map((board) => ({
  id: board,
  ...CYTON_BOARD_INFO[board],
  create: (options) => {
    const synthetic = (['channelCount', 'sampleRateHz', 'seed', 'mode', 'mainsHz', 'paced', 'durationSec'] as const).filter((k) => options[k] !== undefined && k !== 'durationSec');
    if (synthetic.length) {
      throw new EngineError('invalid-request', `${synthetic.join(', ')} apply to the synthetic board only: the ${CYTON_BOARD_INFO[board].name} has ${board === 'cyton' ? '8 channels at 250 Hz (16 at 125 Hz: --board cyton-daisy)' : '16 channels at 125 Hz'}`);
    }
    return createCytonDriver({ board, port: options.port ?? 'auto' });
  },
}));

const entries: readonly BoardEntry[] = [synthetic, ...cytonBoards, playback];

export function listBoards(): BoardInfo[] {
  return entries.map(({ id, name, summary }) => ({ id, name, summary }));
}

export function findBoard(id: string): BoardEntry {
  const entry = entries.find((e) => e.id === id);
  if (!entry) {
    throw new EngineError('invalid-request', `unknown board "${id}": choose one of ${entries.map((e) => e.id).join(', ')} (see \`bci boards\`)`);
  }
  return entry;
}
