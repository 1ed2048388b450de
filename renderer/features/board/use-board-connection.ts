// The board connection as React holds it: the picker's choice (restored from the last connection;
// the first listed board until then), connect / disconnect (a recording in progress is completed
// first) / start / stop with one busy flag, the page's `?autostart=` request, the picker following
// the connected board, and the mains frequency the spectrum marks (the connected board's `mainsHz`
// option, when it was connected here). Boards are known by their BoardInfo, never by id.

import { useCallback, useEffect, useRef, useState } from 'react';
import type { EngineClient } from '../../client/engine-client.js';
import type { BoardDescriptor } from '../../../electron/common/boards/descriptor.js';
import type { BoardInfo, BoardOptions } from '../../../electron/common/contract/board-options.js';
import type { EngineSnapshot } from '../../../electron/common/contract/commands.js';
import type { EngineState } from '../../../electron/common/contract/status.js';
import { errorText } from '../../ui/format.js';
import { EMPTY_CHOICE, choiceOf, chosenBoard, connectRequest, layoutValues, type BoardChoice } from './board-choice.js';
import { parseAutostart } from './autostart.js';

const LAST_CONNECT_KEY = 'bci.lastConnect';

function loadLastConnect(): BoardOptions | null {
  try {
    const raw = localStorage.getItem(LAST_CONNECT_KEY);
    return raw ? (JSON.parse(raw) as BoardOptions) : null;
  } catch {
    return null;
  }
}

function saveLastConnect(options: BoardOptions): void {
  try {
    localStorage.setItem(LAST_CONNECT_KEY, JSON.stringify(options));
  } catch {
    // storage unavailable: the mains readout will show both 50 and 60 Hz after a reload
  }
}

export interface BoardConnectionInput {
  readonly client: EngineClient;
  readonly snapshot: EngineSnapshot | null;
  readonly state: EngineState;
  readonly descriptor: BoardDescriptor | null;
  /** The engine's boards (empty until listed): the picker's list; the first is the default. */
  readonly boards: readonly BoardInfo[];
  /** The connected board's BoardInfo (looked up by its descriptor's id), or null. */
  readonly connectedBoard: BoardInfo | null;
  /** The engine view's snapshot serial (0 until the snapshot was first read). */
  readonly snapshotSerial: number;
  readonly reportError: (message: string | null) => void;
  /** Runs before a disconnect (completes a recording in progress). */
  readonly beforeDisconnect: () => Promise<unknown>;
}

export interface BoardConnection {
  readonly choice: BoardChoice;
  readonly setChoice: (choice: BoardChoice) => void;
  /** The board the choice stands for (null until the list arrives). */
  readonly chosen: BoardInfo | null;
  /** A command is running: the picker's buttons wait. */
  readonly busy: boolean;
  readonly connect: () => void;
  readonly disconnect: () => void;
  /** Space and the Start / Stop button: start when connected, stop when streaming. */
  readonly startStop: () => void;
  /** Start (the playback transport's play while connected but stopped). */
  readonly start: () => void;
  /** The last connection remembered from an earlier visit (read once, at mount). */
  readonly remembered: BoardOptions | null;
  /** A connection made elsewhere (opening a recording): the picker shows it, and it is remembered. */
  readonly adoptConnection: (options: BoardOptions) => void;
  /** The mains frequency of the connected board, when it takes one and was connected here (null: unknown, show both). */
  readonly mainsHz: 50 | 60 | null;
  /** The options the connected board was connected with (from this page or remembered; null: not known). */
  readonly options: BoardOptions | null;
}

export function useBoardConnection({ client, snapshot, state, descriptor, boards, connectedBoard, snapshotSerial, reportError, beforeDisconnect }: BoardConnectionInput): BoardConnection {
  const [remembered] = useState(loadLastConnect);
  const [choice, setChoice] = useState<BoardChoice>(() => (remembered ? choiceOf(EMPTY_CHOICE, remembered) : EMPTY_CHOICE));
  const chosen = chosenBoard(boards, choice);
  const [connectOptions, setConnectOptions] = useState<BoardOptions | null>(remembered);
  const [busy, setBusy] = useState(false);
  const stateRef = useRef(state);
  stateRef.current = state;
  const beforeDisconnectRef = useRef(beforeDisconnect);
  beforeDisconnectRef.current = beforeDisconnect;

  const run = useCallback(
    async (action: () => Promise<unknown>): Promise<boolean> => {
      setBusy(true);
      try {
        await action();
        return true;
      } catch (e) {
        reportError(errorText(e));
        return false;
      } finally {
        setBusy(false);
      }
    },
    [reportError],
  );

  const connectWith = useCallback(
    (options: BoardOptions) =>
      run(async () => {
        await client.invoke('connect', options);
        setConnectOptions(options);
        saveLastConnect(options);
        reportError(null);
      }),
    [client, run, reportError],
  );

  const connect = useCallback(() => {
    const request = connectRequest(boards, choice);
    if (request.ok) void connectWith(request.options);
    else reportError(request.error);
  }, [boards, choice, connectWith, reportError]);

  // a recording in progress is completed (and its summary shown) before the board goes away
  const disconnect = useCallback(
    () =>
      void run(async () => {
        await beforeDisconnectRef.current();
        await client.invoke('disconnect');
      }),
    [client, run],
  );

  const startStop = useCallback(() => {
    const s = stateRef.current;
    if (s === 'streaming') void run(() => client.invoke('stop'));
    else if (s === 'connected') void run(() => client.invoke('start'));
  }, [client, run]);

  const start = useCallback(() => void run(() => client.invoke('start')), [client, run]);

  const adoptConnection = useCallback((options: BoardOptions) => {
    setConnectOptions(options);
    saveLastConnect(options);
    setChoice((c) => choiceOf(c, options));
  }, []);

  // ?autostart=<board>[&channels=N&rate=HZ…]: connect (if idle) and start, once the snapshot and
  // the board list (which the options are checked against) are known
  const autostarted = useRef(false);
  useEffect(() => {
    if (autostarted.current || snapshotSerial === 0 || !snapshot || boards.length === 0) return;
    autostarted.current = true;
    const request = parseAutostart(location.search, boards);
    if (!request) return;
    if ('error' in request) {
      reportError(request.error);
      return;
    }
    void (async () => {
      if (snapshot.state === 'idle') {
        const options = request.options;
        setChoice((c) => choiceOf(c, options));
        if (!(await connectWith(options))) return;
      }
      if (snapshot.state !== 'streaming') await run(() => client.invoke('start'));
    })();
  }, [snapshotSerial, snapshot, boards, client, connectWith, run, reportError]);

  // reflect the connected board in the picker (with the layout it runs, when its options decide it)
  useEffect(() => {
    if (!descriptor) return;
    setChoice((c) => ({ ...c, board: descriptor.id, values: { ...c.values, ...(connectedBoard ? layoutValues(connectedBoard, descriptor) : {}) } }));
  }, [descriptor, connectedBoard]);

  const mainsField = connectedBoard?.fields.find((f) => f.key === 'mainsHz');
  const mains = mainsField && connectOptions && connectOptions.board === connectedBoard?.id ? (connectOptions.mainsHz ?? mainsField.default) : null;
  const mainsHz = mains === 50 || mains === 60 ? mains : null;

  const options = descriptor && connectOptions && connectOptions.board === descriptor.id ? connectOptions : null;

  return { choice, setChoice, chosen, busy, connect, disconnect, startStop, start, remembered, adoptConnection, mainsHz, options };
}
