// Channel labels and pages for the time series at any channel count: labels made distinct (three
// channels named "Accel Channel" read "Accel Channel 1", "… 2", "… 3"), shortened in the middle so
// that what tells them apart (usually the end) stays visible, and the visible channels cut into
// pages of as many rows as fit at a readable height. Pure: no DOM.

/** Rows below this many pixels lose their scale and swatch (the compact density). */
export const READABLE_ROW_PX = 17;

/** Labels with every repeated one numbered in order ("Accel Channel 1", "Accel Channel 2"); unique ones unchanged. */
export function distinctLabels(labels: readonly string[]): string[] {
  const counts = new Map<string, number>();
  for (const l of labels) counts.set(l, (counts.get(l) ?? 0) + 1);
  const seen = new Map<string, number>();
  const taken = new Set(labels);
  return labels.map((l) => {
    if ((counts.get(l) ?? 0) < 2) return l;
    let k = (seen.get(l) ?? 0) + 1;
    // never collide with another channel's real label ("A 1" may exist already)
    while (taken.has(`${l} ${k}`)) k++;
    seen.set(l, k);
    taken.add(`${l} ${k}`);
    return `${l} ${k}`;
  });
}

/** `label` in at most `max` characters, cut in the middle ("Accel Channel 12" → "Acce…nel 12"), so endings stay apart. */
export function middleEllipsis(label: string, max: number): string {
  const chars = Array.from(label);
  if (chars.length <= max || max < 3) return label;
  const tail = Math.ceil((max - 1) / 2);
  const head = max - 1 - tail;
  return `${chars.slice(0, head).join('')}…${chars.slice(chars.length - tail).join('')}`;
}

export interface ChannelPage {
  /** The channels on this page, in order. */
  readonly channels: readonly number[];
  /** 0-based, clamped into range. */
  readonly page: number;
  readonly pageCount: number;
  /** 1-based positions of the first and last channel shown, within the visible ones. */
  readonly first: number;
  readonly last: number;
}

/** How many rows fit in `heightPx` at a readable height (at least one). */
export function rowsThatFit(heightPx: number, minRowPx = READABLE_ROW_PX): number {
  return Math.max(1, Math.floor(heightPx / minRowPx));
}

/** Page `page` of `visible`, `pageSize` channels a page (0 or ≥ visible.length: everything on one page). */
export function pageOf(visible: readonly number[], pageSize: number, page: number): ChannelPage {
  const n = visible.length;
  if (n === 0) return { channels: [], page: 0, pageCount: 1, first: 0, last: 0 };
  const size = pageSize <= 0 || pageSize >= n ? n : pageSize;
  const pageCount = Math.ceil(n / size);
  const p = Math.min(Math.max(0, page), pageCount - 1);
  const from = p * size;
  const to = Math.min(n, from + size);
  return { channels: visible.slice(from, to), page: p, pageCount, first: from + 1, last: to };
}
