// React's view of the engine: the snapshot, the status (4 a second while streaming), the board
// list and the connected board's entry in it (looked up by the descriptor's id), the bridge's connection state and the last error, as state (the status carries the
// recording's progress and the playback transport); sample frames and markers go straight to the
// Workstation (never through React state). Re-fetches the snapshot and asks for
// raw frames again whenever the bridge reconnects (a new socket is a new client to the host).

import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { EngineClient } from '../client/engine-client.js';
import type { EngineSnapshot } from '../../electron/common/contract/commands.js';
import type { EngineStatus, EngineState } from '../../electron/common/contract/status.js';
import type { BoardInfo } from '../../electron/common/contract/board-options.js';
import type { Workstation } from '../stream/workstation.js';
import { errorText } from '../ui/format.js';

export interface EngineView {
  readonly bridgeConnected: boolean;
  readonly snapshot: EngineSnapshot | null;
  readonly status: EngineStatus | null;
  /** The freshest state from either a snapshot or a status event. */
  readonly state: EngineState;
  /** What the engine can open (empty until listed), each with its capabilities and option fields. */
  readonly boards: readonly BoardInfo[];
  /** The connected board's BoardInfo (null when idle or not listed): features read its capabilities. */
  readonly connectedBoard: BoardInfo | null;
  readonly lastError: string | null;
  /** Increments when the snapshot (board, pipeline) was re-read; consumers compare. */
  readonly snapshotSerial: number;
}

export interface EngineActions {
  readonly reportError: (message: string | null) => void;
  /** Reads the status now (after a command whose effect should show before the next status event). */
  readonly refreshStatus: () => void;
}

export function useEngine(client: EngineClient, workstation: Workstation): EngineView & EngineActions {
  const [bridgeConnected, setBridgeConnected] = useState(true);
  const [snapshot, setSnapshot] = useState<EngineSnapshot | null>(null);
  const [status, setStatus] = useState<EngineStatus | null>(null);
  const [state, setState] = useState<EngineState>('idle');
  const [boards, setBoards] = useState<readonly BoardInfo[]>([]);
  const [lastError, setLastError] = useState<string | null>(null);
  const [snapshotSerial, setSnapshotSerial] = useState(0);
  const mounted = useRef(true);
  /** The engine's lastError as last reported by a status event: shown once, not 4 times a second. */
  const statusError = useRef<string | null>(null);

  useEffect(() => {
    mounted.current = true;
    const applySnapshot = (s: EngineSnapshot) => {
      if (!mounted.current) return;
      setSnapshot(s);
      setState(s.state);
      setSnapshotSerial((n) => n + 1);
    };
    const refresh = () => {
      client.invoke('getSnapshot').then(applySnapshot, (e: unknown) => mounted.current && setLastError(errorText(e)));
      client.invoke('listBoards').then((b) => mounted.current && setBoards(b), () => undefined);
      client.invoke('getStatus').then((s) => mounted.current && setStatus(s), () => undefined);
      // raw frames feed railed/flat detection; a host that refuses still sends filtered ones
      client.invoke('setStreams', { raw: true, filtered: true }).catch(() => undefined);
    };
    const subs = [
      client.onFrame(workstation.pushFrame),
      client.onEvent((event) => {
        switch (event.type) {
          case 'status':
            setStatus(event.status);
            setState(event.status.state);
            if (event.status.lastError !== statusError.current) {
              statusError.current = event.status.lastError;
              if (event.status.lastError) setLastError(event.status.lastError);
            }
            break;
          case 'snapshot':
            applySnapshot(event.snapshot);
            break;
          case 'marker':
            workstation.addMarker(event.marker);
            break;
          case 'error':
            setLastError(event.message);
            break;
          case 'notice':
            // notices live in the status, which the status bar shows
            client.invoke('getStatus').then((st) => mounted.current && setStatus(st), () => undefined);
            break;
        }
      }),
      client.onConnection((connected) => {
        setBridgeConnected(connected);
        if (connected) refresh();
      }),
    ];
    refresh();
    return () => {
      mounted.current = false;
      for (const s of subs) s.dispose();
    };
  }, [client, workstation]);

  const refreshStatus = useCallback(() => {
    client.invoke('getStatus').then(
      (s) => {
        if (!mounted.current) return;
        setStatus(s);
        setState(s.state);
      },
      () => undefined,
    );
  }, [client]);

  const connectedId = snapshot?.descriptor?.id ?? null;
  const connectedBoard = useMemo(() => (connectedId === null ? null : (boards.find((b) => b.id === connectedId) ?? null)), [boards, connectedId]);

  return { bridgeConnected, snapshot, status, state, boards, connectedBoard, lastError, snapshotSerial, reportError: setLastError, refreshStatus };
}
