// The board connection as React holds it: the picker's choice (restored from the last connection),
// connect / disconnect (a recording in progress is completed first) / start / stop with one busy
// flag, the page's `?autostart=` request, the picker following the connected board, and the mains
// frequency the spectrum marks (the synthetic board's, when it was connected here).

import { useCallback, useEffect, useRef, useState } from 'react';
import type { EngineClient } from '../../client/engine-client.js';
import type { BoardDescriptor } from '../../../electron/common/boards/descriptor.js';
import type { BoardOptions } from '../../../electron/common/contract/board-options.js';
import type { EngineSnapshot } from '../../../electron/common/contract/commands.js';
import type { EngineState } from '../../../electron/common/contract/status.js';
import { errorText } from '../../ui/format.js';
import { isAmplifierBoard } from '../../ui/board-kinds.js';
import { DEFAULT_BOARD_CHOICE, boardOptionsOf, type BoardChoice } from './board-choice.js';
import { AUTO_PORT } from './serial-ports.js';
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
  readonly session: EngineSnapshot | null;
  readonly state: EngineState;
  readonly descriptor: BoardDescriptor | null;
  /** The engine view's session serial (0 until the session was first read). */
  readonly sessionSerial: number;
  readonly reportError: (message: string | null) => void;
  /** Runs before a disconnect (completes a recording in progress). */
  readonly beforeDisconnect: () => Promise<unknown>;
}

export interface BoardConnection {
  readonly choice: BoardChoice;
  readonly setChoice: (choice: BoardChoice) => void;
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
  /** The mains frequency of the connected synthetic board (null: unknown, show both). */
  readonly mainsHz: 50 | 60 | null;
  /** The options the connected board was connected with (from this page or remembered; null: not known). */
  readonly options: BoardOptions | null;
}

export function useBoardConnection({ client, session, state, descriptor, sessionSerial, reportError, beforeDisconnect }: BoardConnectionInput): BoardConnection {
  const [remembered] = useState(loadLastConnect);
  const [choice, setChoice] = useState<BoardChoice>(() => (remembered ? { ...DEFAULT_BOARD_CHOICE, ...definedOnly(remembered) } : DEFAULT_BOARD_CHOICE));
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

  const connect = useCallback(() => void connectWith(boardOptionsOf(choice)), [choice, connectWith]);

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
    setChoice((c) => ({ ...c, ...definedOnly(options) }));
  }, []);

  // ?autostart=synthetic[&channels=N&rate=HZ]: connect (if idle) and start, once
  const autostarted = useRef(false);
  useEffect(() => {
    if (autostarted.current || sessionSerial === 0 || !session) return;
    autostarted.current = true;
    const request = parseAutostart(location.search);
    if (!request) return;
    void (async () => {
      if (session.state === 'idle') {
        const options = request.options;
        if (options.board === 'synthetic') setChoice((c) => ({ ...c, ...definedOnly(options) }));
        if (!(await connectWith(options))) return;
      }
      if (session.state !== 'streaming') await run(() => client.invoke('start'));
    })();
  }, [sessionSerial, session, client, connectWith, run]);

  // reflect the connected board in the picker
  useEffect(() => {
    if (!descriptor) return;
    setChoice((c) => ({ ...c, board: descriptor.id, ...(descriptor.id === 'synthetic' ? { channelCount: descriptor.channels.length, sampleRateHz: descriptor.sampleRateHz } : {}) }));
  }, [descriptor]);

  const mainsHz: 50 | 60 | null = descriptor && connectOptions && connectOptions.board === descriptor.id && descriptor.id === 'synthetic' ? (connectOptions.mainsHz ?? 50) : null;

  const options = descriptor && connectOptions && connectOptions.board === descriptor.id ? connectOptions : null;

  return { choice, setChoice, busy, connect, disconnect, startStop, start, remembered, adoptConnection, mainsHz, options };
}

/** The defined fields of board options that the picker shows. */
function definedOnly(options: BoardOptions): Partial<BoardChoice> {
  const out: { -readonly [K in keyof BoardChoice]?: BoardChoice[K] } = { board: options.board };
  if (options.channelCount !== undefined) out.channelCount = options.channelCount;
  if (options.sampleRateHz !== undefined) out.sampleRateHz = options.sampleRateHz;
  if (options.mode !== undefined) out.mode = options.mode;
  if (options.mainsHz !== undefined) out.mainsHz = options.mainsHz;
  if (options.file !== undefined) out.file = options.file;
  if (options.speed !== undefined) out.speed = options.speed;
  if (options.loop !== undefined) out.loop = options.loop;
  if (options.port !== undefined) {
    // a remembered path that is not "auto" shows in the typed field until the list has it
    out.port = options.port;
    out.customPort = false;
  } else if (isAmplifierBoard(options.board)) {
    out.port = AUTO_PORT;
  }
  return out;
}
