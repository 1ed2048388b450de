// Session safety in the UI: the engine's alerts (a banner with a sound cue until each is
// acknowledged), the latest per-channel quality summary, and the pre-session checklist (polled
// from the engine once a second while a board is connected). The engine computes all of it; this
// hook only asks and shows.

import { useCallback, useEffect, useRef, useState } from 'react';
import type { EngineClient } from '../../client/engine-client.js';
import type { Alert } from '../../../electron/common/contract/alerts.js';
import type { QualitySummary } from '../../../electron/common/contract/quality.js';
import type { ChecklistItem } from '../../../electron/common/contract/checklist.js';
import type { EngineState } from '../../../electron/common/contract/status.js';
import type { RecordingOptionsInput } from '../../../electron/common/contract/session.js';
import { errorText } from '../../ui/format.js';

export interface ChecklistView {
  readonly items: readonly ChecklistItem[];
  readonly ready: boolean;
  readonly red: readonly string[];
}

const ENFORCE_KEY = 'bci.enforceChecklist';

/** One audio context for every cue (making one per alert costs the page about 0.2 s each). */
let audio: AudioContext | null = null;

/** A short two-tone cue (Web Audio); silent where audio is not allowed. */
function beep(): void {
  try {
    const Ctx = (globalThis as { AudioContext?: typeof AudioContext }).AudioContext;
    if (!Ctx) return;
    audio ??= new Ctx();
    const ctx = audio;
    if (ctx.state === 'suspended') void ctx.resume();
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.frequency.setValueAtTime(880, ctx.currentTime);
    osc.frequency.setValueAtTime(660, ctx.currentTime + 0.15);
    gain.gain.setValueAtTime(0.15, ctx.currentTime);
    osc.connect(gain).connect(ctx.destination);
    osc.start();
    osc.stop(ctx.currentTime + 0.3);
    osc.onended = () => {
      osc.disconnect();
      gain.disconnect();
    };
  } catch {
    // no audio: the banner still shows
  }
}

export function useSafety(client: EngineClient, state: EngineState, options: RecordingOptionsInput | null, reportError: (message: string | null) => void) {
  const [alerts, setAlerts] = useState<Alert[]>([]);
  const [quality, setQuality] = useState<QualitySummary | null>(null);
  const [checklist, setChecklist] = useState<ChecklistView | null>(null);
  const [cues, setCues] = useState(0);
  const [enforced, setEnforcedState] = useState<boolean>(() => {
    try {
      return localStorage.getItem(ENFORCE_KEY) === 'true';
    } catch {
      return false;
    }
  });
  const setEnforced = useCallback((on: boolean) => {
    setEnforcedState(on);
    try {
      localStorage.setItem(ENFORCE_KEY, String(on));
    } catch {
      // storage unavailable: for this page only
    }
  }, []);

  useEffect(() => {
    const sub = client.onEvent((event) => {
      if (event.type === 'alert') {
        const alert = event.alert;
        setAlerts((list) => [...list.filter((a) => a.id !== alert.id), alert].slice(-200));
        if (!alert.acknowledged) {
          beep();
          setCues((n) => n + 1);
        }
      } else if (event.type === 'quality') setQuality(event.quality);
    });
    client.invoke('getAlerts').then((list) => setAlerts(list.slice().reverse()), () => undefined);
    return () => sub.dispose();
  }, [client]);

  const acknowledge = useCallback(
    (id: number) => {
      client.invoke('acknowledgeAlert', { id, by: 'operator', note: '' }).then(
        (alert) => setAlerts((list) => list.map((a) => (a.id === alert.id ? alert : a))),
        (e: unknown) => reportError(errorText(e)),
      );
    },
    [client, reportError],
  );

  const optionsRef = useRef(options);
  optionsRef.current = options;
  useEffect(() => {
    if (state === 'idle') {
      setChecklist(null);
      setQuality(null);
      return;
    }
    let live = true;
    const poll = () => {
      const o = optionsRef.current;
      client
        .invoke('getChecklist', {
          mode: 'recording',
          ...(o && { session: o.session }),
          ...(o?.dataDir !== undefined && { dataDir: o.dataDir }),
          ...(o?.powerLineHz !== undefined && { powerLineHz: o.powerLineHz }),
        })
        .then(
          (result) => live && setChecklist(result),
          () => undefined,
        );
    };
    poll();
    const timer = setInterval(poll, 1000);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [client, state]);

  /** Overrides the impedance of these channels with a written reason: null when the engine took it, else its sentence. */
  const overrideImpedance = useCallback(
    async (channels: number[], reason: string): Promise<string | null> => {
      try {
        await client.invoke('overrideImpedance', { channels, reason });
        return null;
      } catch (e) {
        const text = errorText(e).trim();
        return text.charAt(0).toUpperCase() + text.slice(1);
      }
    },
    [client],
  );

  const open = alerts.filter((a) => !a.acknowledged);
  return { alerts: open, quality, checklist, acknowledge, cues, enforced, setEnforced, overrideImpedance };
}
