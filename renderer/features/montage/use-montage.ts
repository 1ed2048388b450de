// The Montage panel's state: the saved montages (listMontages), the editor's rows and name, and the
// commands (saveMontage, deleteMontage, applyMontage). The engine validates and applies; the new
// descriptor reaches every view through the snapshot event.

import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { EngineClient } from '../../client/engine-client.js';
import type { BoardDescriptor } from '../../../electron/common/boards/descriptor.js';
import type { Montage } from '../../../electron/common/contract/montage.js';
import type { EngineState } from '../../../electron/common/contract/status.js';
import { errorText } from '../../ui/format.js';
import { checkMontageForm, montageOf, rowsFromBoard, rowsOf, type MontageRow } from './montage-form.js';

export function useMontage(client: EngineClient, descriptor: BoardDescriptor | null, applied: string | null, state: EngineState, bridgeConnected: boolean, recordingActive: boolean) {
  const [saved, setSaved] = useState<Montage[]>([]);
  const [name, setName] = useState('');
  const [rows, setRows] = useState<MontageRow[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);

  const refresh = useCallback(async () => {
    try {
      setSaved(await client.invoke('listMontages', {}));
    } catch (e) {
      setError(errorText(e));
    }
  }, [client]);
  // the saved list again when the bridge comes back or the applied montage changes (another window, a reconnection)
  useEffect(() => {
    if (bridgeConnected) void refresh();
  }, [refresh, bridgeConnected, applied]);
  // the editor shows a newly applied montage, once the list has it (and then leaves the rows to the user)
  const shownApplied = useRef<string | null>(null);
  useEffect(() => {
    if (applied === shownApplied.current) return;
    const m = applied === null ? undefined : saved.find((s) => s.name === applied);
    if (applied !== null && !m) return;
    shownApplied.current = applied;
    if (!m) return;
    setName(m.name);
    setRows(rowsOf(m));
  }, [applied, saved]);

  // an empty editor starts from the connected board's channels
  const boardKey = descriptor ? `${descriptor.id}|${descriptor.channels.length}` : '';
  useEffect(() => {
    if (descriptor && rows.length === 0) setRows(rowsFromBoard(descriptor));
    // only when a board of another shape arrives (the rows are the user's otherwise)
  }, [boardKey]);

  const check = useMemo(() => checkMontageForm(name, rows, descriptor), [name, rows, descriptor]);
  const exists = saved.some((m) => m.name.toLowerCase() === name.trim().toLowerCase());

  const run = useCallback(async (work: () => Promise<string>) => {
    setBusy(true);
    setError(null);
    setMessage(null);
    try {
      setMessage(await work());
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  }, []);

  const setRow = useCallback((index: number, change: Partial<MontageRow>) => setRows((all) => all.map((r, i) => (i === index ? { ...r, ...change } : r))), []);
  const fromBoard = useCallback(() => {
    if (descriptor) setRows(rowsFromBoard(descriptor));
  }, [descriptor]);
  const load = useCallback(
    (montageName: string) => {
      const m = saved.find((s) => s.name === montageName);
      if (!m) return;
      setName(m.name);
      setRows(rowsOf(m));
      setError(null);
      setMessage(null);
    },
    [saved],
  );
  const save = useCallback(
    () =>
      run(async () => {
        const { montage, replaced } = await client.invoke('saveMontage', { montage: montageOf(name, rows), replace: exists });
        await refresh();
        setName(montage.name);
        setRows(rowsOf(montage));
        return `${replaced ? 'Replaced' : 'Saved'} ${montage.name}.`;
      }),
    [run, client, name, rows, exists, refresh],
  );
  const apply = useCallback(
    (montageName: string | null) =>
      run(async () => {
        await client.invoke('applyMontage', { name: montageName });
        return montageName === null ? "Back to the board's own labels." : `Applied ${montageName}: new recordings carry its labels, types and positions.`;
      }),
    [run, client],
  );
  const remove = useCallback(
    (montageName: string) =>
      run(async () => {
        await client.invoke('deleteMontage', { name: montageName });
        await refresh();
        return `Deleted ${montageName}.`;
      }),
    [run, client, refresh],
  );

  return { saved, name, setName, rows, setRow, fromBoard, load, save, apply, remove, busy, error, message, check, exists, applied, canApply: state !== 'idle' && bridgeConnected && !recordingActive, recordingActive };
}

export type MontageEditor = ReturnType<typeof useMontage>;
