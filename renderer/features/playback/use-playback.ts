// Opening a recording and playing it: the path, speed and looping of "Open recording"; opening
// connects the board that plays files (the listed board whose connection is 'file') on the path,
// closing the current board, and starts it; then, while the connected board has a playback
// transport, the transport bar follows the engine's playback status and sends it typed
// controlPlayback commands. Speed and loop are that board's `speed` and `loop` fields.

import { useCallback, useRef, useState } from 'react';
import type { EngineClient } from '../../client/engine-client.js';
import { validateBoardOptions, type BoardInfo, type BoardOptionField, type BoardOptions } from '../../../electron/common/contract/board-options.js';
import type { PlaybackCommand } from '../../../electron/common/contract/playback.js';
import type { EngineState, EngineStatus, PlaybackState } from '../../../electron/common/contract/status.js';
import { errorText } from '../../ui/format.js';
import type { FieldValue } from '../../ui/option-controls.js';

export interface PlaybackInput {
  readonly client: EngineClient;
  readonly state: EngineState;
  /** The engine's boards (empty until listed): the one whose connection is a file opens recordings. */
  readonly boards: readonly BoardInfo[];
  /** The connected board's BoardInfo, or null. */
  readonly connectedBoard: BoardInfo | null;
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
  /** The file board's speed option and the value chosen (its default until changed); null field: no speed to choose. */
  readonly speedField: BoardOptionField | null;
  readonly speed: FieldValue | undefined;
  readonly setSpeed: (speed: FieldValue) => void;
  /** The file board's loop option and the value chosen; null field: no loop to choose. */
  readonly loopField: BoardOptionField | null;
  readonly loop: boolean;
  readonly setLoop: (loop: boolean) => void;
  readonly busy: boolean;
  readonly error: string | null;
  /** Why opening is not possible right now (no bridge, recording, no board that plays files), or null. */
  readonly blocked: string | null;
  readonly open: () => void;
  /** Puts a file in the form and opens it (the library, the open dialog, a dropped file). */
  readonly openFile: (path: string) => void;
  /** Puts a file (a recording just made) in the form. */
  readonly replayThis: (path: string) => void;
  /** The transport's state while a board with a playback transport is connected, else null (no transport bar). */
  readonly playback: PlaybackState | null;
  /** The connected board's speed option (the transport's speed select), or null. */
  readonly transportSpeedField: BoardOptionField | null;
  /** Sends a transport command (controlPlayback); false when the engine refused. */
  readonly command: (command: PlaybackCommand) => Promise<boolean>;
}

function fieldOf(board: BoardInfo | null | undefined, key: string): BoardOptionField | null {
  return board?.fields.find((f) => f.key === key) ?? null;
}

export function usePlayback({ client, state, boards, connectedBoard, status, bridgeConnected, recordingActive, initialPath, onConnected, reportError, refreshStatus }: PlaybackInput): Playback {
  const fileBoard = boards.find((b) => b.capabilities.connection === 'file' && b.capabilities.connectionField !== null) ?? null;
  const speedField = fieldOf(fileBoard, 'speed');
  const loopField = fieldOf(fileBoard, 'loop');
  const [path, setPath] = useState(initialPath);
  const [chosenSpeed, setSpeed] = useState<FieldValue | null>(null);
  const [chosenLoop, setLoop] = useState<boolean | null>(null);
  const speed = chosenSpeed ?? speedField?.default;
  const loop = chosenLoop ?? loopField?.default === true;
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const stateRef = useRef(state);
  stateRef.current = state;
  const recordingRef = useRef(recordingActive);
  recordingRef.current = recordingActive;
  const onConnectedRef = useRef(onConnected);
  onConnectedRef.current = onConnected;

  const openRecording = useCallback(async (chosen: string) => {
    const file = chosen.trim();
    if (!file || !fileBoard?.capabilities.connectionField) return;
    if (recordingRef.current) {
      setError('Stop the recording before opening another file.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const request: Record<string, FieldValue> = { board: fileBoard.id, [fileBoard.capabilities.connectionField]: file };
      if (speedField && speed !== undefined) request[speedField.key] = speed;
      if (loopField) request[loopField.key] = loop;
      const checked = validateBoardOptions(boards, request);
      if (!checked.ok) throw new Error(checked.error);
      const options: BoardOptions = checked.options.options;
      if (stateRef.current !== 'idle') await client.invoke('disconnect');
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
  }, [client, boards, fileBoard, speedField, loopField, speed, loop, reportError, refreshStatus]);
  const open = useCallback(() => void openRecording(path), [openRecording, path]);
  const openFile = useCallback(
    (file: string) => {
      setPath(file);
      void openRecording(file);
    },
    [openRecording],
  );

  const replayThis = useCallback((file: string) => {
    setPath(file);
    setError(null);
  }, []);

  const playback = state !== 'idle' && connectedBoard?.capabilities.playbackTransport ? (status?.playback ?? null) : null;
  const transportSpeedField = fieldOf(connectedBoard, 'speed');
  const command = useCallback(
    async (request: PlaybackCommand): Promise<boolean> => {
      try {
        await client.invoke('controlPlayback', request);
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

  const blocked = !bridgeConnected
    ? 'The bridge to the engine is down.'
    : recordingActive
      ? 'Stop the recording before opening a file.'
      : !fileBoard
        ? boards.length === 0
          ? 'Waiting for the board list from the engine.'
          : 'No board of this engine plays recordings.'
        : null;

  return { path, setPath, speedField, speed, setSpeed, loopField, loop, setLoop, busy, error, blocked, open, openFile, replayThis, playback, transportSpeedField, command };
}
