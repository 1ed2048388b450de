// Opening a recording and playing it: the path, speed and looping of "Open recording"; opening
// connects the playback board on the file (closing the current board) and starts it; then the
// transport bar follows the engine's playback status and sends it the board's text commands.

import { useCallback, useRef, useState } from 'react';
import type { EngineClient } from '../../client/engine-client.js';
import type { BoardDescriptor } from '../../../electron/common/boards/descriptor.js';
import type { BoardOptions } from '../../../electron/common/contract/board-options.js';
import type { EngineState, EngineStatus, PlaybackState } from '../../../electron/common/contract/status.js';
import { errorText } from '../../ui/format.js';
import type { PlaybackSpeed } from '../../ui/playback-speeds.js';

export interface PlaybackInput {
  readonly client: EngineClient;
  readonly state: EngineState;
  readonly descriptor: BoardDescriptor | null;
  readonly status: EngineStatus | null;
  readonly bridgeConnected: boolean;
  /** A recording is in progress: no other file opens until it stops. */
  readonly recordingActive: boolean;
  /** The path the form starts with (the last file played, from an earlier visit). */
  readonly initialPath: string;
  /** Told of the playback connection made here (the board picker shows and remembers it). */
  readonly onConnected: (options: BoardOptions) => void;
  readonly reportError: (message: string | null) => void;
  readonly refreshStatus: () => void;
}

export interface Playback {
  readonly path: string;
  readonly setPath: (path: string) => void;
  readonly speed: PlaybackSpeed;
  readonly setSpeed: (speed: PlaybackSpeed) => void;
  readonly loop: boolean;
  readonly setLoop: (loop: boolean) => void;
  readonly busy: boolean;
  readonly error: string | null;
  /** Why opening is not possible right now (no bridge, recording), or null. */
  readonly blocked: string | null;
  readonly open: () => void;
  /** Puts a file (a recording just made) in the form. */
  readonly replayThis: (path: string) => void;
  /** The playback board's state while it is connected, else null (no transport bar). */
  readonly playback: PlaybackState | null;
  /** Sends one of the playback board's text commands; false when the engine refused. */
  readonly command: (command: string) => Promise<boolean>;
}

export function usePlayback({ client, state, descriptor, status, bridgeConnected, recordingActive, initialPath, onConnected, reportError, refreshStatus }: PlaybackInput): Playback {
  const [path, setPath] = useState(initialPath);
  const [speed, setSpeed] = useState<PlaybackSpeed>(1);
  const [loop, setLoop] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const stateRef = useRef(state);
  stateRef.current = state;
  const recordingRef = useRef(recordingActive);
  recordingRef.current = recordingActive;
  const onConnectedRef = useRef(onConnected);
  onConnectedRef.current = onConnected;

  const openRecording = useCallback(async () => {
    const file = path.trim();
    if (!file) return;
    if (recordingRef.current) {
      setError('Stop the recording before opening another file.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      if (stateRef.current !== 'idle') await client.invoke('disconnect');
      const options: BoardOptions = { board: 'playback', file, speed, loop };
      await client.invoke('connect', options);
      onConnectedRef.current(options);
      await client.invoke('start');
      reportError(null);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
      refreshStatus();
    }
  }, [client, path, speed, loop, reportError, refreshStatus]);
  const open = useCallback(() => void openRecording(), [openRecording]);

  const replayThis = useCallback((file: string) => {
    setPath(file);
    setError(null);
  }, []);

  const playback = state !== 'idle' && descriptor?.id === 'playback' ? (status?.playback ?? null) : null;
  const command = useCallback(
    async (text: string): Promise<boolean> => {
      try {
        await client.invoke('configureBoard', { command: text });
        return true;
      } catch (e) {
        reportError(errorText(e));
        return false;
      } finally {
        refreshStatus();
      }
    },
    [client, reportError, refreshStatus],
  );

  const blocked = !bridgeConnected ? 'The bridge to the engine is down.' : recordingActive ? 'Stop the recording before opening a file.' : null;

  return { path, setPath, speed, setSpeed, loop, setLoop, busy, error, blocked, open, replayThis, playback, command };
}
