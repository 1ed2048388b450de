// The impedance view's model: the readings a measureImpedance call answers, merged per channel
// (measuring one channel keeps the others' last values), their colour class and text, and how
// long a measurement is expected to take (about 2 s per channel; the call answers all at once).

import { IMPEDANCE_FAIR_BELOW_KOHM, IMPEDANCE_GOOD_BELOW_KOHM, type ImpedanceQuality } from '../../../electron/common/boards/cyton-impedance.js';

export interface ImpedanceEntry {
  /** 1-based channel. */
  readonly channel: number;
  readonly label: string;
  readonly impedanceKOhm: number;
  readonly quality: ImpedanceQuality;
  readonly railed: boolean;
  /** Host time of the measurement (ms since the epoch). */
  readonly measuredAtMs: number;
}

export const SECONDS_PER_CHANNEL = 2;
/** Switching the lead-off drive on and off, settling. */
export const OVERHEAD_SEC = 1;

export { IMPEDANCE_FAIR_BELOW_KOHM, IMPEDANCE_GOOD_BELOW_KOHM };

/** Expected duration of a measurement of `channels` channels (s). */
export function expectedMeasureSec(channels: number): number {
  return Math.max(0, channels) * SECONDS_PER_CHANNEL + OVERHEAD_SEC;
}

/** The quality class of an impedance (railed is always bad), the same thresholds as the engine. */
export function qualityOf(kOhm: number, railed: boolean): ImpedanceQuality {
  if (railed || !Number.isFinite(kOhm)) return 'bad';
  if (kOhm < IMPEDANCE_GOOD_BELOW_KOHM) return 'good';
  if (kOhm < IMPEDANCE_FAIR_BELOW_KOHM) return 'fair';
  return 'bad';
}

/** "4.8 kΩ", "23 kΩ", "1.2 MΩ", or "railed". */
export function formatImpedance(kOhm: number, railed: boolean): string {
  if (railed) return 'railed';
  if (!Number.isFinite(kOhm)) return '—';
  if (kOhm >= 1000) return `${(kOhm / 1000).toFixed(1)} MΩ`;
  if (kOhm >= 100) return `${Math.round(kOhm)} kΩ`;
  return `${kOhm.toFixed(1)} kΩ`;
}

/** The readings in a host's answer (anything malformed is skipped), stamped with the time. */
export function readReadings(value: unknown, measuredAtMs: number): ImpedanceEntry[] {
  if (!Array.isArray(value)) return [];
  const out: ImpedanceEntry[] = [];
  for (const r of value as unknown[]) {
    if (typeof r !== 'object' || r === null) continue;
    const v = r as Record<string, unknown>;
    if (typeof v.channel !== 'number' || typeof v.impedanceKOhm !== 'number') continue;
    const railed = v.railed === true;
    const quality = v.quality === 'good' || v.quality === 'fair' || v.quality === 'bad' ? v.quality : qualityOf(v.impedanceKOhm, railed);
    out.push({ channel: v.channel, label: typeof v.label === 'string' ? v.label : `Ch ${v.channel}`, impedanceKOhm: v.impedanceKOhm, quality, railed, measuredAtMs });
  }
  return out;
}

/** The previous readings with the new ones replacing their channels, by channel. */
export function mergeReadings(previous: readonly ImpedanceEntry[], next: readonly ImpedanceEntry[]): ImpedanceEntry[] {
  const byChannel = new Map<number, ImpedanceEntry>();
  for (const r of previous) byChannel.set(r.channel, r);
  for (const r of next) byChannel.set(r.channel, r);
  return [...byChannel.values()].sort((a, b) => a.channel - b.channel);
}

/** Counts per quality, for the summary line. */
export function qualityCounts(readings: readonly ImpedanceEntry[]): Record<ImpedanceQuality, number> {
  const counts: Record<ImpedanceQuality, number> = { good: 0, fair: 0, bad: 0 };
  for (const r of readings) counts[r.quality]++;
  return counts;
}
