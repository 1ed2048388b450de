// The serial ports on the engine's machine, listed while a board that connects over a serial port
// is chosen and the bridge is up, and again on request (the picker's refresh button).

import { useCallback, useEffect, useState } from 'react';
import type { EngineClient } from '../../client/engine-client.js';
import { errorText } from '../../ui/format.js';
import type { SerialPortInfo } from './serial-ports.js';

export interface SerialPorts {
  readonly ports: readonly SerialPortInfo[];
  readonly busy: boolean;
  readonly refresh: () => void;
}

/** `serialChosen`: the chosen board connects over a serial port (its capabilities say so). */
export function useSerialPorts(client: EngineClient, serialChosen: boolean, bridgeConnected: boolean, reportError: (message: string | null) => void): SerialPorts {
  const [ports, setPorts] = useState<readonly SerialPortInfo[]>([]);
  const [busy, setBusy] = useState(false);
  const refresh = useCallback(() => {
    setBusy(true);
    client
      .invoke('listPorts')
      .then(
        (list) => setPorts(list),
        (e: unknown) => reportError(`could not list the serial ports: ${errorText(e)}`),
      )
      .finally(() => setBusy(false));
  }, [client, reportError]);
  useEffect(() => {
    if (serialChosen && bridgeConnected) refresh();
  }, [serialChosen, bridgeConnected, refresh]);
  return { ports, busy, refresh };
}
