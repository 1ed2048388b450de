// BrainFlow board layouts, as data: which row of BrainFlow's data array (a column of its CSV
// files, and of OpenBCI GUI v5/v6 text files, which write BrainFlow's rows) holds what. From
// BrainFlow's board descriptions (brainflow_boards.cpp): Cyton (board 0), Ganglion (1), Cyton+Daisy (2).

export type BrainflowBoardId = 'cyton' | 'cyton-daisy' | 'ganglion';

export interface BrainflowLayout {
  readonly id: BrainflowBoardId;
  readonly name: string;
  readonly sampleRateHz: number;
  /** Columns per row. */
  readonly rows: number;
  readonly packageColumn: number;
  readonly exg: readonly number[];
  readonly accel: readonly number[];
  readonly analog: readonly number[];
  readonly timestampColumn: number;
  readonly markerColumn: number;
}

const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);

export const BRAINFLOW_LAYOUTS: Readonly<Record<BrainflowBoardId, BrainflowLayout>> = {
  cyton: {
    id: 'cyton',
    name: 'OpenBCI Cyton',
    sampleRateHz: 250,
    rows: 24,
    packageColumn: 0,
    exg: range(1, 8),
    accel: [9, 10, 11],
    analog: [19, 20, 21],
    timestampColumn: 22,
    markerColumn: 23,
  },
  'cyton-daisy': {
    id: 'cyton-daisy',
    name: 'OpenBCI Cyton + Daisy',
    sampleRateHz: 125,
    rows: 32,
    packageColumn: 0,
    exg: range(1, 16),
    accel: [17, 18, 19],
    analog: [27, 28, 29],
    timestampColumn: 30,
    markerColumn: 31,
  },
  ganglion: {
    id: 'ganglion',
    name: 'OpenBCI Ganglion',
    sampleRateHz: 200,
    rows: 15,
    packageColumn: 0,
    exg: range(1, 4),
    accel: [5, 6, 7],
    analog: [],
    timestampColumn: 13,
    markerColumn: 14,
  },
};

/** The layout whose row count is `columns`, if exactly one has it. */
export function layoutByColumns(columns: number): BrainflowLayout | null {
  const matches = Object.values(BRAINFLOW_LAYOUTS).filter((l) => l.rows === columns);
  return matches.length === 1 ? matches[0] : null;
}

/** The layout with `exgChannels` EXG channels (8 Cyton, 16 Cyton+Daisy, 4 Ganglion). */
export function layoutByExgCount(exgChannels: number): BrainflowLayout | null {
  return Object.values(BRAINFLOW_LAYOUTS).find((l) => l.exg.length === exgChannels) ?? null;
}
