// Epoching by sample index: labelled events (annotations, markers) chosen by label, a window of
// START-END seconds relative to each, cut from continuous rows as they stream past (so a long
// recording is never held whole). An epoch is rejected, and counted by reason, when its window
// - runs past either end of the recording ('incomplete'),
// - spans a discontinuity of the recording, or starts on its first row after one ('gap'),
// - overlaps rows the recorder marked lost (zero-filled, annotated "gap: N samples lost") ('lost-rows'),
// - holds a value of one of its channels at the edge of that channel's physical range ('railed').
// The first three are known from the events alone (planEpochs); railing is seen in the raw rows
// (EpochCutter). Pure: rows in, planar epochs out.

import type { Block } from '../pipeline/block.js';
import { EngineError } from '../contract/failure.js';
import type { RejectionReason } from './model-file.js';

export type { RejectionReason };

export interface EpochWindow {
  /** Seconds from the event to the window's first row (may be negative). */
  readonly startSec: number;
  /** Seconds from the event to the end of the window (exclusive). */
  readonly endSec: number;
}

/** The window in rows: its first row relative to the event, and its length. */
export function windowRows(window: EpochWindow, sampleRateHz: number): { offsetRows: number; rowCount: number } {
  const offsetRows = Math.round(window.startSec * sampleRateHz);
  const rowCount = Math.round((window.endSec - window.startSec) * sampleRateHz);
  if (!(window.endSec > window.startSec) || rowCount < 1) {
    throw new EngineError('invalid-request', `the epoch window ${window.startSec}-${window.endSec} s holds no rows at ${sampleRateHz} Hz: it must end after it starts`);
  }
  return { offsetRows, rowCount };
}

/** A labelled event at a row of the recording. */
export interface RowEvent {
  readonly row: number;
  readonly label: string;
}

/** What the epocher needs to know about a recording besides its rows. */
export interface EpochSource {
  readonly sampleRateHz: number;
  /** Rows in the recording. */
  readonly rowCount: number;
  readonly events: readonly RowEvent[];
  /** Rows that follow a discontinuity (rows d-1 and d are not contiguous in time). */
  readonly discontinuityRows: readonly number[];
  /** Spans of rows that were lost and filled in: [firstRow, endRow). */
  readonly lostSpans: readonly { readonly firstRow: number; readonly endRow: number }[];
}

export interface PlannedEpoch {
  /** The first row of its window. */
  readonly firstRow: number;
  /** Its class, as an index into `classes`. */
  readonly label: number;
  readonly eventRow: number;
}

export type RejectionCounts = Record<RejectionReason, number>;

export const noRejections = (): RejectionCounts => ({ gap: 0, 'lost-rows': 0, railed: 0, incomplete: 0 });

export function totalRejected(r: RejectionCounts): number {
  return r.gap + r['lost-rows'] + r.railed + r.incomplete;
}

export interface EpochPlan {
  readonly planned: PlannedEpoch[];
  readonly rejected: RejectionCounts;
  /** Events found per class (before rejection), in the order of `classes`. */
  readonly eventsPerClass: number[];
  readonly rowCount: number;
}

/** A recording's event labels and how many of each, for a message that says what there is. */
export function labelCounts(events: readonly { label: string }[]): string {
  const counts = new Map<string, number>();
  for (const e of events) counts.set(e.label, (counts.get(e.label) ?? 0) + 1);
  if (counts.size === 0) return 'it has no events';
  const shown = [...counts].slice(0, 20).map(([label, n]) => `${label} (${n})`);
  return `its event labels are ${shown.join(', ')}${counts.size > 20 ? ', …' : ''}`;
}

/**
 * Which events become epochs: those labelled with one of `classes` (exact label, spaces trimmed),
 * in row order, minus those whose window is incomplete, touches a discontinuity or overlaps lost rows.
 */
export function planEpochs(source: EpochSource, classes: readonly string[], window: EpochWindow): EpochPlan {
  const { offsetRows, rowCount } = windowRows(window, source.sampleRateHz);
  const classOf = new Map(classes.map((c, i) => [c, i]));
  const rejected = noRejections();
  const eventsPerClass = new Array<number>(classes.length).fill(0);
  const planned: PlannedEpoch[] = [];
  const events = [...source.events].sort((a, b) => a.row - b.row);
  for (const e of events) {
    const label = classOf.get(e.label.trim());
    if (label === undefined) continue;
    eventsPerClass[label]++;
    const firstRow = e.row + offsetRows;
    const endRow = firstRow + rowCount;
    if (firstRow < 0 || endRow > source.rowCount) rejected.incomplete++;
    else if (source.discontinuityRows.some((d) => d >= firstRow && d < endRow)) rejected.gap++;
    else if (source.lostSpans.some((s) => s.firstRow < endRow && s.endRow > firstRow)) rejected['lost-rows']++;
    else planned.push({ firstRow, label, eventRow: e.row });
  }
  return { planned, rejected, eventsPerClass, rowCount };
}

/** Where a channel counts as railed: at or beyond these values (raw, physical units). */
export interface RailLimits {
  readonly low: Float64Array;
  readonly high: Float64Array;
}

/** How close to a bound of the physical range a value must come to count as railed (fraction of the range). */
export const RAIL_MARGIN = 0.01;

/** Rail limits from each channel's declared physical range: within RAIL_MARGIN of either bound. */
export function railLimits(ranges: readonly { physicalMin: number; physicalMax: number }[]): RailLimits {
  const low = new Float64Array(ranges.length);
  const high = new Float64Array(ranges.length);
  ranges.forEach((r, c) => {
    const span = r.physicalMax - r.physicalMin;
    const ok = Number.isFinite(span) && span > 0;
    low[c] = ok ? r.physicalMin + RAIL_MARGIN * span : -Infinity;
    high[c] = ok ? r.physicalMax - RAIL_MARGIN * span : Infinity;
  });
  return { low, high };
}

/**
 * Cuts planned epochs out of rows streaming past, in row order: each `push` brings the next rows,
 * filtered (a planar block) and raw (interleaved, for the rail check), of the same channels.
 */
export class EpochCutter {
  private readonly epochs: (Float64Array | null)[];
  private readonly railed: Uint8Array;
  private nextRow = 0;
  /** Planned epochs before this index have ended. */
  private firstOpen = 0;

  constructor(
    private readonly planned: readonly PlannedEpoch[],
    private readonly channelCount: number,
    private readonly rowCount: number,
    private readonly rails: RailLimits | null,
  ) {
    for (let i = 1; i < planned.length; i++) {
      if (planned[i].firstRow < planned[i - 1].firstRow) throw new RangeError('planned epochs must be in row order');
    }
    this.epochs = planned.map(() => null);
    this.railed = new Uint8Array(planned.length);
  }

  /** The row after the last epoch ends: rows from here on are not needed. */
  get endRow(): number {
    return this.planned.length ? this.planned[this.planned.length - 1].firstRow + this.rowCount : 0;
  }

  push(filtered: Block, raw: Float64Array, firstRow: number): void {
    if (firstRow !== this.nextRow) throw new RangeError(`rows must come in order: expected row ${this.nextRow}, got ${firstRow}`);
    const n = filtered.rowCount;
    const endRow = firstRow + n;
    this.nextRow = endRow;
    const channels = this.channelCount;
    const W = this.rowCount;
    for (let i = this.firstOpen; i < this.planned.length; i++) {
      const p = this.planned[i];
      if (p.firstRow >= endRow) break;
      const from = Math.max(p.firstRow, firstRow);
      const to = Math.min(p.firstRow + W, endRow);
      if (to <= from) {
        if (i === this.firstOpen) this.firstOpen++;
        continue;
      }
      const epoch = (this.epochs[i] ??= new Float64Array(channels * W));
      for (let c = 0; c < channels; c++) {
        const src = c * filtered.stride + (from - firstRow);
        epoch.set(filtered.data.subarray(src, src + (to - from)), c * W + (from - p.firstRow));
      }
      if (this.rails && !this.railed[i]) {
        const { low, high } = this.rails;
        scan: for (let r = from - firstRow; r < to - firstRow; r++) {
          for (let c = 0; c < channels; c++) {
            const v = raw[r * channels + c];
            if (v <= low[c] || v >= high[c]) {
              this.railed[i] = 1;
              break scan;
            }
          }
        }
      }
    }
  }

  /** The complete, unrailed epochs with their labels, and how many were railed. */
  finish(): { epochs: Float64Array[]; labels: number[]; eventRows: number[]; railed: number; incomplete: number } {
    const epochs: Float64Array[] = [];
    const labels: number[] = [];
    const eventRows: number[] = [];
    let railed = 0;
    let incomplete = 0;
    this.planned.forEach((p, i) => {
      const e = this.epochs[i];
      if (!e || this.nextRow < p.firstRow + this.rowCount) incomplete++;
      else if (this.railed[i]) railed++;
      else {
        epochs.push(e);
        labels.push(p.label);
        eventRows.push(p.eventRow);
      }
    });
    return { epochs, labels, eventRows, railed, incomplete };
  }
}
