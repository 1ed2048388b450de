// The alert rules in force as React sees them (getSiteSettings, for the session form's data
// folder), and Apply (setAlertRules: the engine validates, saves them in that folder's site
// settings and puts them in force at once).

import { useCallback, useEffect, useState } from 'react';
import type { EngineClient } from '../../client/engine-client.js';
import type { AlertRules } from '../../../electron/common/contract/ethics.js';
import { errorText } from '../../ui/format.js';
import { rulesRefusal } from './alert-rules-form.js';

export interface AlertRulesView {
  readonly rules: AlertRules | null;
  readonly error: string | null;
  /** Null when applied, else the refusal (per field, or one sentence). */
  readonly apply: (change: Partial<AlertRules>) => Promise<ReturnType<typeof rulesRefusal> | null>;
}

export function useAlertRules(client: EngineClient, dataDir: string, bridgeConnected: boolean): AlertRulesView {
  const [rules, setRules] = useState<AlertRules | null>(null);
  const [error, setError] = useState<string | null>(null);
  const dir = dataDir.trim();
  useEffect(() => {
    if (!bridgeConnected) return;
    let live = true;
    client.invoke('getSiteSettings', dir === '' ? {} : { dataDir: dir }).then(
      (settings) => {
        if (!live) return;
        setRules(settings.alerts);
        setError(null);
      },
      (e: unknown) => live && setError(errorText(e)),
    );
    return () => {
      live = false;
    };
  }, [client, dir, bridgeConnected]);

  const apply = useCallback(
    async (change: Partial<AlertRules>) => {
      try {
        setRules(await client.invoke('setAlertRules', { ...change, ...(dir !== '' && { dataDir: dir }) }));
        return null;
      } catch (e) {
        return rulesRefusal(e);
      }
    },
    [client, dir],
  );
  return { rules, error, apply };
}
