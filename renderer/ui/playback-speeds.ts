// The speeds the playback board accepts, their labels and parsing: shared by the board picker
// (the playback board's options) and the playback feature (open recording, transport bar).

export type PlaybackSpeed = number | 'max';

/** The speeds the playback board accepts (0.25× to 16×, or as fast as the pipeline keeps up). */
export const PLAYBACK_SPEEDS: readonly PlaybackSpeed[] = Object.freeze([0.25, 0.5, 1, 2, 4, 8, 16, 'max'] as PlaybackSpeed[]);

export function speedLabel(speed: PlaybackSpeed): string {
  return speed === 'max' ? 'max' : `${speed}×`;
}

/** A select's value back to a speed the board accepts, or null. */
export function parseSpeed(value: string): PlaybackSpeed | null {
  if (value === 'max') return 'max';
  const n = Number(value);
  return value.trim() !== '' && Number.isFinite(n) && n >= 0.25 && n <= 16 ? n : null;
}
