// The online view's figures: from the newest class probabilities (plain numbers, one per class),
// the current class (the most probable, or none while it is below a confidence threshold), one bar
// per class, and whether it agrees with the cue on screen when there is one. Pure: no DOM.

export interface OnlineClassBar {
  readonly label: string;
  readonly probability: number;
  /** "87%". */
  readonly percent: string;
  readonly current: boolean;
  readonly cued: boolean;
}

export interface OnlineViewModel {
  /** The most probable class at or above the threshold; null before any prediction or below it. */
  readonly current: string | null;
  /** "87%" of the current class ("—" without a prediction). */
  readonly confidence: string;
  readonly bars: readonly OnlineClassBar[];
  readonly cue: string | null;
  /** The current class is the cue (null when there is no cue or no current class). */
  readonly followsCue: boolean | null;
  /** One line for a screen reader and the title: "left 87% · cue left". */
  readonly summary: string;
}

/**
 * @param probabilities one per class (null: no prediction yet)
 * @param cue the class cued on screen now, if any
 * @param threshold a class shows as current only at or above this probability (default 0: the most probable)
 */
export function onlineViewModel(classes: readonly string[], probabilities: ArrayLike<number> | null, cue: string | null, threshold = 0): OnlineViewModel {
  let best = -1;
  if (probabilities && probabilities.length === classes.length) {
    for (let c = 0; c < classes.length; c++) {
      const p = probabilities[c];
      if (Number.isFinite(p) && (best < 0 || p > probabilities[best])) best = c;
    }
  }
  const bestP = best >= 0 ? probabilities![best] : Number.NaN;
  const current = best >= 0 && bestP >= threshold ? classes[best] : null;
  const percent = (p: number) => (Number.isFinite(p) ? `${Math.round(p * 100)}%` : '—');
  const bars = classes.map(
    (label, c): OnlineClassBar => {
      const p = probabilities && probabilities.length === classes.length ? probabilities[c] : Number.NaN;
      return { label, probability: p, percent: percent(p), current: label === current, cued: label === cue };
    },
  );
  const cueKnown = cue !== null && classes.includes(cue) ? cue : null;
  const followsCue = cueKnown !== null && current !== null ? current === cueKnown : null;
  const parts = [current !== null ? `${current} ${percent(bestP)}` : best >= 0 ? `no class above ${percent(threshold)}` : 'no prediction yet'];
  if (cueKnown !== null) parts.push(`cue ${cueKnown}`);
  return { current, confidence: current !== null ? percent(bestP) : '—', bars, cue: cueKnown, followsCue, summary: parts.join(' · ') };
}
