// The recordings library's state: the data folder's listing (asked when the library opens and on
// Refresh), the sort and filter, the sidecars shown, and the actions on one recording (verify,
// repair), each answered by the engine and folded back into the listing. Opening a recording for
// replay is the caller's (usePlayback), so the library only hands it the path.

import { useCallback, useMemo, useState } from 'react';
import type { EngineClient } from '../../client/engine-client.js';
import type { LibraryEntry, LibraryListing, SidecarText } from '../../../electron/common/contract/library.js';
import { errorText } from '../../ui/format.js';
import { DEFAULT_SORT, filterEntries, nextSort, sortEntries, type LibraryColumn, type LibrarySort } from './library-view.js';

export interface Library {
  readonly listing: LibraryListing | null;
  /** Sorted and filtered. */
  readonly rows: readonly LibraryEntry[];
  readonly sort: LibrarySort;
  readonly sortBy: (column: LibraryColumn) => void;
  readonly filter: string;
  readonly setFilter: (filter: string) => void;
  /** What is running: 'list', or the path being verified or repaired. */
  readonly busy: string | null;
  /** The last outcome, as a sentence (a repair, a verification). */
  readonly message: string | null;
  readonly error: string | null;
  readonly refresh: () => void;
  readonly verify: (path: string) => void;
  readonly repair: (path: string) => void;
  /** The sidecars shown (one recording at a time), or null. */
  readonly sidecars: { readonly path: string; readonly files: readonly SidecarText[] } | null;
  readonly showSidecars: (path: string | null) => void;
}

function replaceEntry(listing: LibraryListing | null, path: string, entry: LibraryEntry | null): LibraryListing | null {
  if (!listing) return listing;
  const entries = entry ? listing.entries.map((e) => (e.path === path ? entry : e)) : listing.entries.filter((e) => e.path !== path);
  return { ...listing, entries };
}

export function useLibrary(client: EngineClient, dataDir: string | undefined): Library {
  const [listing, setListing] = useState<LibraryListing | null>(null);
  const [sort, setSort] = useState<LibrarySort>(DEFAULT_SORT);
  const [filter, setFilter] = useState('');
  const [busy, setBusy] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [sidecars, setSidecars] = useState<Library['sidecars']>(null);

  const refresh = useCallback(() => {
    setBusy('list');
    setError(null);
    client.invoke('listRecordings', dataDir === undefined ? undefined : { dataDir }).then(
      (result) => {
        setListing(result);
        setBusy(null);
      },
      (e: unknown) => {
        setError(errorText(e));
        setBusy(null);
      },
    );
  }, [client, dataDir]);

  const act = useCallback(
    (path: string, run: () => Promise<{ message: string; entry: LibraryEntry | null }>) => {
      setBusy(path);
      setError(null);
      setMessage(null);
      run().then(
        ({ message: said, entry }) => {
          setListing((l) => replaceEntry(l, path, entry));
          setMessage(said);
          setBusy(null);
        },
        (e: unknown) => {
          setError(errorText(e));
          setBusy(null);
        },
      );
    },
    [],
  );

  const verify = useCallback(
    (path: string) =>
      act(path, async () => {
        const entry = await client.invoke('verifyRecording', dataDir === undefined ? { path } : { path, dataDir });
        const name = path.split(/[\\/]/).pop() ?? path;
        return { entry, message: entry.checksum === 'verified' ? `${name}: checksum verified, the file is as it was recorded` : `${name}: ${entry.problem ?? 'checksum not verified'}` };
      }),
    [act, client, dataDir],
  );
  const repair = useCallback(
    (path: string) => act(path, () => client.invoke('repairRecording', dataDir === undefined ? { path } : { path, dataDir })),
    [act, client, dataDir],
  );

  const showSidecars = useCallback(
    (path: string | null) => {
      if (path === null) {
        setSidecars(null);
        return;
      }
      setError(null);
      client.invoke('recordingSidecars', { path }).then(
        (files) => setSidecars({ path, files }),
        (e: unknown) => setError(errorText(e)),
      );
    },
    [client],
  );

  const sortBy = useCallback((column: LibraryColumn) => setSort((s) => nextSort(s, column)), []);
  const rows = useMemo(() => sortEntries(filterEntries(listing?.entries ?? [], filter), sort), [listing, filter, sort]);
  return { listing, rows, sort, sortBy, filter, setFilter, busy, message, error, refresh, verify, repair, sidecars, showSidecars };
}
