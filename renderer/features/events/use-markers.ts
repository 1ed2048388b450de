// Markers from the operator: the Marker button and the M key add "M1", "M2", … at the current
// sample while streaming (the keys 1-9 add their own labels) (into the file while recording); a refusal shows as the last error.

import { useCallback, useRef } from 'react';
import type { EngineClient } from '../../client/engine-client.js';
import type { EngineState } from '../../../electron/common/contract/status.js';
import { errorText } from '../../ui/format.js';

export function useMarkers(client: EngineClient, state: EngineState, reportError: (message: string | null) => void): { readonly addMarker: (label?: string) => void } {
  const stateRef = useRef(state);
  stateRef.current = state;
  const markerCount = useRef(0);
  const addMarker = useCallback((label?: string) => {
    if (stateRef.current !== 'streaming') return;
    if (label === undefined) markerCount.current++;
    client.invoke('addMarker', { label: label ?? `M${markerCount.current}` }).catch((e: unknown) => reportError(errorText(e)));
  }, [client, reportError]);
  return { addMarker };
}
