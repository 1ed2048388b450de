// The head map's geometry and colours, without DOM: each channel with a 10-20/10-10 label gets its
// place on a flat head (common/boards/montage: degrees of arc from Cz) scaled into a square canvas;
// the value is the channel's quality level, or its RMS on a colour scale.

import { electrodePosition } from '../../../electron/common/boards/montage.js';
import type { ChannelQuality } from '../../../electron/common/contract/quality.js';

export interface HeadMapPoint {
  readonly channel: number;
  readonly label: string;
  /** 0..1 across and down the canvas. */
  readonly x: number;
  readonly y: number;
}

/**
 * Where each labelled channel goes (channels without a 10-20 position are left out). `positions`
 * (an applied montage's, '' for none) take the place of the labels where given.
 */
export function headMapPoints(labels: readonly string[], positions?: readonly (string | undefined)[]): HeadMapPoint[] {
  const points: HeadMapPoint[] = [];
  labels.forEach((label, channel) => {
    const position = positions?.[channel];
    const p = position === undefined ? electrodePosition(label) : position === '' ? undefined : electrodePosition(position);
    if (!p) return;
    // ±90° of arc fills the square, nose up
    points.push({ channel, label, x: 0.5 + p.x / 200, y: 0.5 - p.y / 200 });
  });
  return points;
}

export const LEVEL_COLOURS: Readonly<Record<ChannelQuality['level'], string>> = { good: '#2e9d5b', fair: '#d9a21b', bad: '#d4483b', unknown: '#7a7f87' };

/** RMS (µV) to a colour: 2 µV dark blue … 100 µV red, on a log scale. */
export function rmsColour(rmsUv: number): string {
  const t = Math.max(0, Math.min(1, Math.log10(Math.max(rmsUv, 1e-3) / 2) / Math.log10(50)));
  return `hsl(${Math.round(230 - 230 * t)}, 75%, 50%)`;
}
