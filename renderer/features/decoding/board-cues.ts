// Boards that cue by themselves. Some boards send their own cue markers (`marker` events with
// `source: 'board'`): the synthetic board in its motor-imagery signal mode, or a replayed recording
// whose annotations are the cues. A calibration on such a board can follow those cues instead of
// drawing its own schedule (the markers are already in the stream, at the sample where each
// period begins). This module says whether the connected board will, from its option fields and
// the option the user picked (never from its id), and tallies the cues seen. Pure: no DOM.

import type { BoardInfo, BoardOptions } from '../../../electron/common/contract/board-options.js';

/** The option (`mode`) and its choice (`mi`) that make a board generate motor-imagery cues. */
const CUE_OPTION_KEY = 'mode';
const CUE_OPTION_VALUE = 'mi';

/**
 * Whether the connected board generates cue markers by itself: its option fields offer the
 * motor-imagery signal mode and it was connected with it. Answers the choice's own label for the
 * screen ("Motor-imagery cues"), or null.
 */
export function boardCueMode(info: BoardInfo | undefined, options: BoardOptions | null): string | null {
  if (!info || !options || options.board !== info.id) return null;
  const field = info.fields.find((f) => f.key === CUE_OPTION_KEY);
  if (!field || field.type !== 'enum') return null;
  const choice = field.choices.find((c) => c.value === CUE_OPTION_VALUE);
  const picked = (options as Record<string, unknown>)[CUE_OPTION_KEY] ?? field.default;
  return choice && picked === CUE_OPTION_VALUE ? choice.label : null;
}

/** How far a calibration on the board's cues has come: cues seen per class against the count wanted. */
export interface BoardCueProgress {
  readonly counts: readonly number[];
  readonly total: number;
  /** Every class has its count. */
  readonly done: boolean;
  /** "left 2/10 · right 1/10 · rest 3/10". */
  readonly text: string;
}

export function boardCueProgress(classes: readonly string[], trialsPerClass: number, labels: readonly string[]): BoardCueProgress {
  const counts = classes.map((c) => labels.filter((l) => l === c).length);
  return {
    counts,
    total: counts.reduce((a, b) => a + b, 0),
    done: classes.length > 0 && counts.every((n) => n >= trialsPerClass),
    text: classes.map((c, i) => `${c} ${counts[i]}/${trialsPerClass}`).join(' · '),
  };
}

/** The labels of `classes` among the board's markers seen (in first-seen order). */
export function cueLabelsAmong(classes: readonly string[], seen: readonly string[]): string[] {
  return [...new Set(seen)].filter((l) => classes.includes(l));
}
