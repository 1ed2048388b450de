// What the mains readout says: the figure for the mains frequency (the board's when it has one,
// else the worse of 50 and 60 Hz), its level, and, when the other frequency is the one present
// (a US recording played with the 50 Hz default, say), a suggestion to switch. Pure: the panel
// draws it, the tests check it.

/** The PSD peak over its neighbours at 50 and 60 Hz (dB), null while measuring. */
export type MainsDb = { readonly 50: number | null; readonly 60: number | null };

export interface MainsAdvice {
  /** The frequencies shown, the board's first. */
  readonly shown: readonly (50 | 60)[];
  /** The reported figure: the board's mains, or the worse of the two when unknown. */
  readonly primary: { readonly hz: 50 | 60; readonly db: number } | null;
  readonly level: 'unknown' | 'low' | 'some' | 'high';
  /** Set when the other frequency carries the interference: switch the mains setting (and notch) to it. */
  readonly suggestHz: 50 | 60 | null;
}

/** dB over the neighbouring bins from which interference is "high" (a notch is worth it). */
const HIGH_DB = 10;
const SOME_DB = 3;
/** How far the other frequency must stand above the set one (and above SOME_DB) before switching is suggested. */
const SWITCH_MARGIN_DB = 6;

export function mainsAdvice(values: MainsDb | null | undefined, mainsHz: 50 | 60 | null): MainsAdvice {
  const other: 50 | 60 | null = mainsHz === 50 ? 60 : mainsHz === 60 ? 50 : null;
  const candidates: (50 | 60)[] = mainsHz ? [mainsHz] : [50, 60];
  let primary: { hz: 50 | 60; db: number } | null = null;
  for (const hz of candidates) {
    const db = values?.[hz];
    if (db === null || db === undefined) continue;
    if (!primary || db > primary.db) primary = { hz, db };
  }
  const level = primary === null ? 'unknown' : primary.db >= HIGH_DB ? 'high' : primary.db >= SOME_DB ? 'some' : 'low';
  // the other frequency is measured too: a 60 Hz peak on a board set to 50 Hz is the wrong setting
  const otherDb = other === null ? null : (values?.[other] ?? null);
  const suggestHz = other !== null && otherDb !== null && otherDb >= SOME_DB && otherDb >= (primary?.db ?? -Infinity) + SWITCH_MARGIN_DB ? other : null;
  return { shown: suggestHz !== null && mainsHz !== null ? [mainsHz, suggestHz] : candidates, primary, level, suggestHz };
}
