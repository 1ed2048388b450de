// The filter form as React holds it: it mirrors the engine's pipeline (read again whenever the
// snapshot's pipeline changes, and after a refusal, so it shows what really runs), Apply sends
// setPipeline, N cycles the notch; the Workstation hears of a pipeline change.

import { useCallback, useEffect, useRef, useState } from 'react';
import type { EngineClient } from '../../client/engine-client.js';
import type { EngineSnapshot } from '../../../electron/common/contract/commands.js';
import type { Workstation } from '../../stream/workstation.js';
import { errorText } from '../../ui/format.js';
import { DEFAULT_FORM, formToPipeline, nextNotch, pipelineToForm, type FilterForm } from './filter-form.js';

export interface Filters {
  readonly form: FilterForm;
  /** Stages of the engine's pipeline the form does not show. */
  readonly others: readonly string[];
  readonly error: string | null;
  readonly busy: boolean;
  readonly apply: (next: FilterForm) => void;
  /** The notch hotkey: off → 50 Hz → 60 Hz. */
  readonly cycleNotch: () => void;
}

export function useFilters(client: EngineClient, snapshot: EngineSnapshot | null, workstation: Workstation): Filters {
  const [form, setForm] = useState<FilterForm>(DEFAULT_FORM);
  const [others, setOthers] = useState<readonly string[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const formRef = useRef(form);
  formRef.current = form;
  const pipelineJson = snapshot ? JSON.stringify(snapshot.pipeline) : '';
  const lastPipelineJson = useRef<string | null>(null);
  useEffect(() => {
    if (!snapshot) return;
    const reading = pipelineToForm(snapshot.pipeline, formRef.current);
    setForm(reading.form);
    setOthers(reading.others);
    if (lastPipelineJson.current !== null && lastPipelineJson.current !== pipelineJson) workstation.pipelineChanged();
    lastPipelineJson.current = pipelineJson;
  }, [pipelineJson, workstation]);

  const apply = useCallback(
    (next: FilterForm) => {
      const result = formToPipeline(next);
      setForm(next);
      if (!result.ok) {
        setError(result.error);
        return;
      }
      setBusy(true);
      client
        .invoke('setPipeline', result.pipeline)
        .then(
          () => setError(null),
          (e: unknown) => {
            setError(errorText(e));
            // show what really runs again
            client.invoke('getSnapshot').then(
              (s) => {
                const reading = pipelineToForm(s.pipeline, next);
                setForm(reading.form);
                setOthers(reading.others);
              },
              () => undefined,
            );
          },
        )
        .finally(() => setBusy(false));
    },
    [client],
  );

  const cycleNotch = useCallback(() => apply({ ...formRef.current, notch: nextNotch(formRef.current.notch) }), [apply]);

  return { form, others, error, busy, apply, cycleNotch };
}
