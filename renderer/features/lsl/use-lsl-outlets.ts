// The LSL outlets as React holds them: which of raw, filtered, predictions and markers the engine
// publishes (read once, then from each answer of setLslOutlets), a switch per kind, and the
// engine's sentence when LSL is missing or an outlet failed. The state of each outlet (its name,
// samples pushed) comes back with every switch and with refresh (on each snapshot change).

import { useCallback, useEffect, useState } from 'react';
import type { EngineClient } from '../../client/engine-client.js';
import type { LslOutletKind, LslOutletsState, LslStreamSummary } from '../../../electron/common/contract/lsl.js';
import { errorText } from '../../ui/format.js';

export interface LslOutlets {
  readonly state: LslOutletsState | null;
  readonly error: string | null;
  readonly busy: boolean;
  readonly toggle: (kind: LslOutletKind, on: boolean) => void;
  /** The streams the engine's machine resolved at the last search (null before any). */
  readonly streams: readonly LslStreamSummary[] | null;
  readonly searching: boolean;
  readonly search: () => void;
  /** Takes a marker stream's markers into the connected board's session (addLslMarkers). */
  readonly takeMarkers: (selector: string) => void;
  /** The marker streams taken in this session, by selector. */
  readonly takenMarkers: readonly string[];
}

export function useLslOutlets(client: EngineClient, refreshKey: unknown): LslOutlets {
  const [state, setState] = useState<LslOutletsState | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let live = true;
    // an empty request changes nothing and answers the state
    client.invoke('setLslOutlets', {}).then(
      (s) => live && setState(s),
      (e: unknown) => live && setError(errorText(e)),
    );
    return () => {
      live = false;
    };
  }, [client, refreshKey]);

  const toggle = useCallback(
    (kind: LslOutletKind, on: boolean) => {
      setBusy(true);
      client
        .invoke('setLslOutlets', { [kind]: on })
        .then(
          (s) => {
            setState(s);
            setError(s.message);
          },
          (e: unknown) => setError(errorText(e)),
        )
        .finally(() => setBusy(false));
    },
    [client],
  );

  const [streams, setStreams] = useState<readonly LslStreamSummary[] | null>(null);
  const [searching, setSearching] = useState(false);
  const search = useCallback(() => {
    setSearching(true);
    client
      .invoke('listLslStreams', { timeoutSec: 1 })
      .then(
        (found) => {
          setStreams(found);
          setError(null);
        },
        (e: unknown) => setError(errorText(e)),
      )
      .finally(() => setSearching(false));
  }, [client]);

  const [takenMarkers, setTakenMarkers] = useState<readonly string[]>([]);
  const takeMarkers = useCallback(
    (selector: string) => {
      setBusy(true);
      client
        .invoke('addLslMarkers', { stream: selector })
        .then(
          () => {
            setTakenMarkers((taken) => (taken.includes(selector) ? taken : [...taken, selector]));
            setError(null);
          },
          (e: unknown) => setError(errorText(e)),
        )
        .finally(() => setBusy(false));
    },
    [client],
  );

  return { state, error, busy, toggle, streams, searching, search, takeMarkers, takenMarkers };
}
