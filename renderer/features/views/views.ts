// Which of the views beside the traces are open (spectrogram, head map, accelerometer), without
// DOM: the page's `views=` query (a comma list, `all` or `none`; the benchmarks and a second screen
// use it) wins over what the operator chose last time (kept in localStorage), which wins over all
// open. A closed view costs nothing: its panel is not mounted and takes no frames.

export const VIEW_IDS = ['spectrogram', 'headmap', 'accel'] as const;
export type ViewId = (typeof VIEW_IDS)[number];

export const VIEW_TITLES: Readonly<Record<ViewId, string>> = { spectrogram: 'Spectrogram', headmap: 'Head map', accel: 'Accelerometer' };

/** The localStorage key of the open views. */
export const VIEWS_KEY = 'bci.views';

/** A views list (`spectrogram,headmap`, `all`, `none`); null when absent. Unknown names are ignored. */
export function parseViews(value: string | null | undefined): ViewId[] | null {
  if (value === null || value === undefined) return null;
  const words = value.split(',').map((w) => w.trim().toLowerCase()).filter((w) => w !== '');
  if (words.includes('all')) return [...VIEW_IDS];
  return VIEW_IDS.filter((id) => words.includes(id));
}

/** The views open at start: the query's, else the stored ones, else all. */
export function initialViews(search: string, stored: string | null): ViewId[] {
  return parseViews(new URLSearchParams(search).get('views')) ?? parseViews(stored) ?? [...VIEW_IDS];
}

/** The stored form of a set of open views (`none` when empty, so that an empty choice is kept). */
export function storedViews(open: readonly ViewId[]): string {
  return open.length === 0 ? 'none' : VIEW_IDS.filter((id) => open.includes(id)).join(',');
}
