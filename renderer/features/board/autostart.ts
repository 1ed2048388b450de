// The page's autostart request (`?autostart=synthetic&channels=…`): which board to connect and
// start when the page opens (the end-to-end tests and the renderer benchmark use it). Pure: the
// URL's query comes in as a string.

import type { BoardOptions } from '../../../electron/common/contract/board-options.js';

export interface AutostartRequest {
  readonly options: BoardOptions;
}

/**
 * `?autostart=synthetic&channels=16&rate=500&mode=mi&mains=60` → what to connect and start, or
 * null when the page was not asked to. Out-of-range numbers are dropped (the board's defaults
 * apply); the engine validates again.
 */
export function parseAutostart(search: string): AutostartRequest | null {
  const q = new URLSearchParams(search);
  const board = q.get('autostart');
  if (!board) return null;
  const options: { -readonly [K in keyof BoardOptions]: BoardOptions[K] } = { board };
  const int = (name: string, min: number, max: number): number | undefined => {
    const raw = q.get(name);
    if (raw === null || raw.trim() === '') return undefined;
    const v = Number(raw);
    return Number.isInteger(v) && v >= min && v <= max ? v : undefined;
  };
  const channelCount = int('channels', 1, 64);
  if (channelCount !== undefined) options.channelCount = channelCount;
  const sampleRateHz = int('rate', 100, 1000);
  if (sampleRateHz !== undefined) options.sampleRateHz = sampleRateHz;
  const seed = int('seed', 0, 0xffffffff);
  if (seed !== undefined) options.seed = seed;
  const mode = q.get('mode');
  if (mode === 'rest' || mode === 'mi') options.mode = mode;
  const mains = q.get('mains');
  if (mains === '50' || mains === '60') options.mainsHz = Number(mains) as 50 | 60;
  return { options };
}
