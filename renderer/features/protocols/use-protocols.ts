// The protocols of the session form's data folder as React sees them: the list (listProtocols),
// whether the site requires a protocol for plain recordings (getSiteSettings), add and retire. The
// engine keeps them (protocols.json in the data folder) and checks every session against them;
// this hook only asks and shows, and reloads after each change and when the folder changes.

import { useCallback, useEffect, useState } from 'react';
import type { EngineClient } from '../../client/engine-client.js';
import type { Protocol, ProtocolInput } from '../../../electron/common/contract/ethics.js';
import { errorText } from '../../ui/format.js';
import { protocolRefusal, type ProtocolErrors } from './protocol-form.js';

export interface ProtocolsView {
  /** null until the first answer (or while the folder cannot be read). */
  readonly protocols: readonly Protocol[] | null;
  readonly requireProtocol: boolean;
  /** The data folder the engine resolved (its default when the form names none). */
  readonly folder: string | null;
  /** Why the list could not be read (a damaged protocols.json…). */
  readonly error: string | null;
  readonly refresh: () => void;
  /** Adds a protocol: null when added, else the refusal (per field, or one sentence). */
  readonly add: (protocol: ProtocolInput) => Promise<{ errors: ProtocolErrors; text: string | null } | null>;
  /** Retires a protocol with a reason: null when retired, else the sentence why not. */
  readonly retire: (id: string, reason: string) => Promise<string | null>;
}

/** `dataDir`: the session form's data folder ('' for the workstation's). */
export function useProtocols(client: EngineClient, dataDir: string, bridgeConnected: boolean): ProtocolsView {
  const [protocols, setProtocols] = useState<readonly Protocol[] | null>(null);
  const [requireProtocol, setRequireProtocol] = useState(false);
  const [folder, setFolder] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [serial, setSerial] = useState(0);
  const dir = dataDir.trim();
  const request = dir === '' ? {} : { dataDir: dir };

  useEffect(() => {
    if (!bridgeConnected) return;
    let live = true;
    Promise.all([client.invoke('listProtocols', request), client.invoke('getSiteSettings', request)]).then(
      ([list, settings]) => {
        if (!live) return;
        setProtocols(list);
        setRequireProtocol(settings.requireProtocol);
        setFolder(settings.dataDir);
        setError(null);
      },
      (e: unknown) => {
        if (!live) return;
        setProtocols(null);
        setError(errorText(e));
      },
    );
    return () => {
      live = false;
    };
  }, [client, dir, bridgeConnected, serial]);

  const refresh = useCallback(() => setSerial((n) => n + 1), []);

  const add = useCallback(
    async (protocol: ProtocolInput) => {
      try {
        await client.invoke('addProtocol', { protocol, ...(dir !== '' && { dataDir: dir }) });
        refresh();
        return null;
      } catch (e) {
        return protocolRefusal(e);
      }
    },
    [client, dir, refresh],
  );

  const retire = useCallback(
    async (id: string, reason: string) => {
      try {
        await client.invoke('retireProtocol', { id, reason, ...(dir !== '' && { dataDir: dir }) });
        refresh();
        return null;
      } catch (e) {
        return errorText(e);
      }
    },
    [client, dir, refresh],
  );

  return { protocols, requireProtocol, folder, error, refresh, add, retire };
}
