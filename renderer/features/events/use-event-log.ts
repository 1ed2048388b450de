// The event list, live: every marker the workstation receives (the operator's, the board's cues,
// a replayed file's annotations) and every gap the status reports (samples lost since the last
// status), logged with their sample index; a new board starts a new list. Marker hotkeys 1-9 add
// markers with the operator's labels (kept in this browser).

import { useCallback, useEffect, useRef, useState } from 'react';
import type { Workstation } from '../../stream/workstation.js';
import type { EngineStatus } from '../../../electron/common/contract/status.js';
import { EMPTY_EVENT_LOG, gapLabel, hotkeyLabels, logEvent, type EventLogState } from './event-log.js';

const HOTKEY_STORAGE = 'bci.markerHotkeys';

export interface EventLogView {
  readonly log: EventLogState;
  readonly hotkeyText: string;
  readonly setHotkeyText: (text: string) => void;
  /** The labels of hotkeys 1-9. */
  readonly hotkeys: readonly string[];
  readonly clear: () => void;
}

export function useEventLog(workstation: Workstation, sampleRateHz: number | null, boardKey: string, status: EngineStatus | null): EventLogView {
  const [log, setLog] = useState<EventLogState>(EMPTY_EVENT_LOG);
  const rate = useRef(sampleRateHz ?? 1);
  rate.current = sampleRateHz ?? 1;
  useEffect(() => {
    setLog(EMPTY_EVENT_LOG);
  }, [boardKey]);
  useEffect(() => {
    const sub = workstation.onMarker.on((m) => setLog((l) => logEvent(l, m, rate.current)));
    return () => sub.dispose();
  }, [workstation]);
  // gaps: the status's lost samples growing between two statuses
  const lastLost = useRef<number | null>(null);
  useEffect(() => {
    lastLost.current = null;
  }, [boardKey]);
  useEffect(() => {
    if (!status) return;
    const lost = status.deviceLostRows + status.overflowLostRows;
    const before = lastLost.current;
    lastLost.current = lost;
    if (before === null || lost <= before) return;
    setLog((l) => logEvent(l, { sampleIndex: status.rowsReceived, label: gapLabel(lost - before), source: 'gap' }, rate.current));
  }, [status]);

  const [hotkeyText, setHotkeyTextState] = useState<string>(() => {
    try {
      return localStorage.getItem(HOTKEY_STORAGE) ?? '';
    } catch {
      return '';
    }
  });
  const setHotkeyText = useCallback((text: string) => {
    setHotkeyTextState(text);
    try {
      localStorage.setItem(HOTKEY_STORAGE, text);
    } catch {
      // a browser without storage keeps them for this page only
    }
  }, []);
  const clear = useCallback(() => setLog(EMPTY_EVENT_LOG), []);
  return { log, hotkeyText, setHotkeyText, hotkeys: hotkeyLabels(hotkeyText), clear };
}
