// `--layout ID`: which BrainFlow board wrote a BrainFlow CSV file (its columns say nothing of it).
// One name for it in every command that reads files (info, convert, replay, train, evaluate);
// `--board` is still read by info and convert, where it was the name before, and means the same.

import { BRAINFLOW_LAYOUTS, type BrainflowBoardId } from '../common/formats/brainflow-layouts.js';
import { UsageError } from './errors.js';

export const LAYOUT_IDS = Object.keys(BRAINFLOW_LAYOUTS) as BrainflowBoardId[];

export const LAYOUT_HELP = `  --layout ID           BrainFlow CSV board layout: ${LAYOUT_IDS.join(', ')}`;

export const LAYOUT_OPTIONS = { layout: { type: 'string' } } as const;

/** The layout asked for by --layout (or by `--board`, its older name, where a command takes it). */
export function layoutFromFlags(values: { layout?: string; board?: string }): BrainflowBoardId | undefined {
  if (values.layout !== undefined && values.board !== undefined && values.layout !== values.board) {
    throw new UsageError(`--board is the older name of --layout: give one of them (got --layout ${values.layout} and --board ${values.board})`);
  }
  const text = values.layout ?? values.board;
  if (text === undefined) return undefined;
  if (!(LAYOUT_IDS as readonly string[]).includes(text)) throw new UsageError(`--layout is ${LAYOUT_IDS.join(', ')}; got "${text}"`);
  return text as BrainflowBoardId;
}
