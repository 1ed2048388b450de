// The checklist's impedance override, pure side: each used electrode's state from the impedance
// readings this page has (over the threshold, railed, not measured, good), which ones the form
// ticks first (all that keep the checklist red), and the overrideImpedance request with its
// written reason (at least 10 characters; the engine checks again and logs it with the recording).

export interface ImpedanceSeen {
  /** 1-based channel. */
  readonly channel: number;
  readonly impedanceKOhm: number;
  readonly railed: boolean;
}

export interface OverrideChannel {
  readonly channel: number;
  readonly label: string;
  readonly state: 'over' | 'railed' | 'unmeasured' | 'good';
  /** "80 kΩ", "railed", "not measured", "5 kΩ". */
  readonly detail: string;
}

export const MIN_REASON_CHARS = 10;

/** `labels`: the used (EEG) channels' labels in channel order (channel = index + 1). */
export function overrideChannels(labels: readonly string[], readings: readonly ImpedanceSeen[], maxKOhm: number): OverrideChannel[] {
  return labels.map((label, i) => {
    const channel = i + 1;
    const r = readings.find((x) => x.channel === channel);
    if (!r) return { channel, label, state: 'unmeasured', detail: 'not measured' };
    if (r.railed || !Number.isFinite(r.impedanceKOhm)) return { channel, label, state: 'railed', detail: 'railed' };
    const detail = `${r.impedanceKOhm.toFixed(0)} kΩ`;
    return { channel, label, state: r.impedanceKOhm > maxKOhm ? 'over' : 'good', detail };
  });
}

/** The channels ticked when the override opens: every one that keeps the impedance item red. */
export function defaultOverrideSelection(channels: readonly OverrideChannel[]): number[] {
  return channels.filter((c) => c.state !== 'good').map((c) => c.channel);
}

export type OverrideCheck = { readonly ok: true; readonly request: { channels: number[]; reason: string } } | { readonly ok: false; readonly field: 'channels' | 'reason'; readonly error: string };

export function overrideRequest(selected: readonly number[], reason: string): OverrideCheck {
  if (selected.length === 0) return { ok: false, field: 'channels', error: 'Tick the channels to override.' };
  const text = reason.trim();
  if (text.length < MIN_REASON_CHARS) return { ok: false, field: 'reason', error: `Write why (at least ${MIN_REASON_CHARS} characters): it is logged with the recording.` };
  return { ok: true, request: { channels: [...new Set(selected)].sort((a, b) => a - b), reason: text } };
}
