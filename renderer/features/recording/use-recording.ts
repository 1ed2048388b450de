// The recording as React sees it: the live progress from the engine's status (file, elapsed,
// lost samples, annotations, an error such as a full disk), the summary `stopRecording` hands
// back, the markers that went into the file, and start / stop. The status is the truth; the
// command replies only bridge the moment before the next status arrives (and a status already in
// flight when a recording stopped is not mistaken for a new one: paths are never reused).

import { useCallback, useEffect, useRef, useState } from 'react';
import type { EngineClient } from '../../client/engine-client.js';
import type { CommandResults } from '../../../electron/common/contract/commands.js';
import type { RecordingOptionsInput } from '../../../electron/common/contract/session.js';
import type { EngineState, EngineStatus, RecordingStatus } from '../../../electron/common/contract/status.js';
import type { Workstation } from '../../stream/workstation.js';
import { recordingRefusal, type RecordingRefusal } from './recording-form.js';

export type RecordingSummary = CommandResults['stopRecording'];

export interface RecentMarker {
  readonly label: string;
  /** Seconds into the recording (from its sample index; to the status interval after a reload). */
  readonly atSec: number;
}

/** How many of the recording's markers the panel lists (the count in the status is complete). */
export const RECENT_MARKERS = 6;

export interface RecordingView {
  /** The recording in progress (null when none). */
  readonly active: RecordingStatus | null;
  readonly summary: RecordingSummary | null;
  readonly error: RecordingRefusal | null;
  readonly busy: boolean;
  readonly markers: readonly RecentMarker[];
  /** Starts recording: null when it started, else the refusal (also shown by the panel). */
  readonly start: (options: RecordingOptionsInput) => Promise<RecordingRefusal | null>;
  /** Stops and completes the file; resolves to the summary (null when it failed). */
  readonly stop: () => Promise<RecordingSummary | null>;
  /** Stops the recording in progress, if any (before the board goes away). */
  readonly finish: () => Promise<void>;
  readonly dismissSummary: () => void;
  readonly clearError: () => void;
}

export function useRecording(client: EngineClient, workstation: Workstation, state: EngineState, status: EngineStatus | null, refreshStatus: () => void): RecordingView {
  const [summary, setSummary] = useState<RecordingSummary | null>(null);
  const [error, setError] = useState<RecordingRefusal | null>(null);
  const [busy, setBusy] = useState(false);
  const [markers, setMarkers] = useState<readonly RecentMarker[]>([]);
  /** The path startRecording answered, until a status confirms it. */
  const [startedPath, setStartedPath] = useState<string | null>(null);
  /** The last path stopped here: a late status still showing it is stale. */
  const stoppedPath = useRef<string | null>(null);
  /** Where this page saw the recording begin: the stream's next sample index when it started. */
  const startedAt = useRef<{ sampleIndex: number; sampleRateHz: number } | null>(null);

  const reported = state !== 'idle' ? (status?.recording ?? null) : null;
  const live = reported && reported.path !== stoppedPath.current ? reported : null;
  const active: RecordingStatus | null = live ?? (startedPath && state !== 'idle' ? { path: startedPath, durationSec: 0, lostRows: 0, annotations: 0, error: null } : null);

  useEffect(() => {
    if (startedPath && live?.path === startedPath) setStartedPath(null);
  }, [startedPath, live?.path]);

  const activeRef = useRef(active);
  activeRef.current = active;
  useEffect(() => {
    const sub = workstation.onMarker.on((marker) => {
      const recording = activeRef.current;
      if (!recording || marker.source === 'board') return;
      const start = startedAt.current;
      const atSec = start ? Math.max(0, (marker.sampleIndex - start.sampleIndex) / start.sampleRateHz) : recording.durationSec;
      setMarkers((list) => [...list.slice(-(RECENT_MARKERS - 1)), { label: marker.label, atSec }]);
    });
    return () => sub.dispose();
  }, [workstation]);

  const start = useCallback(
    async (options: RecordingOptionsInput): Promise<RecordingRefusal | null> => {
      setBusy(true);
      setError(null);
      try {
        const { path } = await client.invoke('startRecording', options);
        const shape = workstation.model.shape;
        startedAt.current = shape ? { sampleIndex: workstation.model.nextSampleIndex, sampleRateHz: shape.sampleRateHz } : null;
        setSummary(null);
        setMarkers([]);
        setStartedPath(path);
        return null;
      } catch (e) {
        const refusal = recordingRefusal(e);
        setError(refusal);
        return refusal;
      } finally {
        setBusy(false);
        refreshStatus();
      }
    },
    [client, workstation, refreshStatus],
  );

  const stop = useCallback(async (): Promise<RecordingSummary | null> => {
    setBusy(true);
    const path = activeRef.current?.path ?? null;
    try {
      const result = await client.invoke('stopRecording');
      stoppedPath.current = result.path || path;
      setStartedPath(null);
      setSummary(result);
      setError(null);
      return result;
    } catch (e) {
      setError(recordingRefusal(e));
      return null;
    } finally {
      setBusy(false);
      refreshStatus();
    }
  }, [client, refreshStatus]);

  const finish = useCallback(async () => {
    if (activeRef.current) await stop();
  }, [stop]);

  const dismissSummary = useCallback(() => setSummary(null), []);
  const clearError = useCallback(() => setError(null), []);

  return { active, summary, error, busy, markers, start, stop, finish, dismissSummary, clearError };
}
