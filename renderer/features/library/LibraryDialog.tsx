// The recordings library, in a modal dialog (native <dialog>: focus kept inside, Escape closes):
// the data folder's recordings in a table sorted by any column and filtered by words; each row
// opens its recording for replay, shows its sidecars, verifies its checksum, or repairs it when a
// crash left it unfinished. In the desktop app, "Open a file…" shows the native dialog too.

import { useEffect, useRef } from 'react';
import type { LibraryEntry } from '../../../electron/common/contract/library.js';
import type { Library } from './use-library.js';
import './library.css';
import { LIBRARY_COLUMNS, checksumText, dateText, durationText, entryActions, entryName, entryTime, sizeText, stateText } from './library-view.js';

interface Props {
  readonly library: Library;
  /** Opens a recording for replay (and the dialog closes). */
  readonly onOpen: (path: string) => void;
  /** Why no recording can be opened now (recording, no bridge), or null. */
  readonly openBlocked: string | null;
  /** The desktop app's native open dialog, or null in the browser. */
  readonly onBrowse: (() => void) | null;
  readonly onClose: () => void;
}

function cell(entry: LibraryEntry, key: (typeof LIBRARY_COLUMNS)[number]['key']): string {
  switch (key) {
    case 'subject':
      // another tool's file has no subject: its name (below) says which it is
      return entry.subject ?? '';
    case 'session':
      return entry.session ?? '—';
    case 'task':
      return entry.task ?? '—';
    case 'run':
      return entry.run === null ? '—' : String(entry.run).padStart(2, '0');
    case 'date':
      return dateText(entryTime(entry));
    case 'duration':
      return durationText(entry.durationSec);
    case 'channels':
      return entry.channels === null ? '—' : entry.sampleRateHz ? `${entry.channels} × ${Math.round(entry.sampleRateHz)} Hz` : String(entry.channels);
    case 'events':
      return entry.events === null ? '—' : String(entry.events);
    case 'size':
      return sizeText(entry.sizeBytes);
    case 'state':
      return stateText(entry);
  }
}

export function LibraryDialog({ library, onOpen, openBlocked, onBrowse, onClose }: Props) {
  const ref = useRef<HTMLDialogElement>(null);
  const { refresh } = library;
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);
  useEffect(() => refresh(), [refresh]);
  const { listing, rows, sort, busy } = library;
  const total = listing?.entries.length ?? 0;
  return (
    <dialog ref={ref} className="library-dialog" aria-labelledby="library-title" data-testid="library" onClose={onClose} onCancel={onClose}>
      <div className="library-head">
        <h2 id="library-title">Recordings library</h2>
        <span className="muted library-folder" title={listing?.dataDir} data-testid="library-folder">
          {listing ? listing.dataDir : busy === 'list' ? 'Reading the data folder…' : ''}
        </span>
        <div className="library-tools">
          <input
            type="search"
            className="library-filter"
            data-testid="library-filter"
            aria-label="Filter recordings"
            placeholder="Filter: subject, task, state…"
            value={library.filter}
            onChange={(e) => library.setFilter(e.target.value)}
          />
          <button type="button" className="btn small" onClick={refresh} disabled={busy === 'list'} aria-label="Refresh the library">
            Refresh
          </button>
          {onBrowse && (
            <button type="button" className="btn small" onClick={onBrowse} disabled={openBlocked !== null} aria-label="Open a file with the system dialog">
              Open a file…
            </button>
          )}
        </div>
      </div>
      {listing?.notes.map((note) => (
        <p key={note} className="muted library-note">
          {note}
        </p>
      ))}
      {openBlocked && <p className="muted library-note">{openBlocked}</p>}
      {library.message && (
        <p className="library-message" role="status" data-testid="library-message">
          {library.message}
        </p>
      )}
      {library.error && (
        <p className="error-text" role="alert" data-testid="library-error">
          {library.error}
        </p>
      )}
      <div className="library-table-wrap">
        <table className="library-table" data-testid="library-table">
          <caption className="sr-only">
            {rows.length} of {total} recordings
          </caption>
          <thead>
            <tr>
              {LIBRARY_COLUMNS.map((c) => (
                <th key={c.key} scope="col" className={c.numeric ? 'num' : undefined} aria-sort={sort.column === c.key ? (sort.descending ? 'descending' : 'ascending') : 'none'}>
                  <button type="button" className="sort-button" onClick={() => library.sortBy(c.key)} aria-label={`Sort by ${c.title.toLowerCase()}`}>
                    {c.title}
                    <span aria-hidden="true">{sort.column === c.key ? (sort.descending ? ' ▼' : ' ▲') : ''}</span>
                  </button>
                </th>
              ))}
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((entry) => {
              const name = entryName(entry);
              const actions = entryActions(entry);
              const working = busy === entry.path;
              return (
                <tr key={entry.path} data-testid="library-row" data-path={entry.path} data-state={entry.state} data-checksum={entry.checksum} className={`library-row state-${entry.state}`}>
                  {LIBRARY_COLUMNS.map((c) => (
                    <td key={c.key} className={c.numeric ? 'num' : undefined} title={c.key === 'subject' ? entry.relativePath : c.key === 'state' ? (entry.problem ?? checksumText(entry)) : undefined}>
                      {cell(entry, c.key)}
                      {c.key === 'subject' && entry.subject === null && <span className="library-file">{name}</span>}
                      {c.key === 'state' && <span className={`checksum checksum-${entry.checksum}`}>{checksumText(entry)}</span>}
                    </td>
                  ))}
                  <td className="library-actions">
                    {actions.open && (
                      <button type="button" className="btn small primary" disabled={openBlocked !== null || working} onClick={() => onOpen(entry.path)} aria-label={`Open ${name} for replay`}>
                        Open
                      </button>
                    )}
                    {entry.sidecars.length > 0 && (
                      <button
                        type="button"
                        className="btn small"
                        aria-expanded={library.sidecars?.path === entry.path}
                        onClick={() => library.showSidecars(library.sidecars?.path === entry.path ? null : entry.path)}
                        aria-label={`Sidecars of ${name}`}
                      >
                        Sidecars
                      </button>
                    )}
                    {actions.verify && (
                      <button type="button" className="btn small" disabled={busy !== null} onClick={() => library.verify(entry.path)} aria-label={`Verify the checksum of ${name}`}>
                        {working ? 'Verifying…' : 'Verify'}
                      </button>
                    )}
                    {actions.repair && (
                      <button type="button" className="btn small warn" disabled={busy !== null} onClick={() => library.repair(entry.path)} aria-label={`Repair ${name}`} title={entry.problem ?? undefined}>
                        {working ? 'Repairing…' : 'Repair'}
                      </button>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
        {listing && rows.length === 0 && (
          <p className="muted library-empty" data-testid="library-empty">
            {total === 0 ? 'No recordings in this data folder yet.' : 'No recording matches the filter.'}
          </p>
        )}
      </div>
      {library.sidecars && (
        <section className="library-sidecars" aria-label="Sidecars" data-testid="library-sidecars">
          <h3>Sidecars of {library.sidecars.path.split(/[\\/]/).pop()}</h3>
          {library.sidecars.files.map((f) => (
            <details key={f.name} open={f.name.endsWith('_session.json')}>
              <summary>
                {f.name}
                {f.truncated && <span className="muted"> (the first 64 KB)</span>}
              </summary>
              <pre>{f.text}</pre>
            </details>
          ))}
        </section>
      )}
      <form method="dialog" className="library-foot">
        <button type="submit" className="btn" aria-label="Close the library">
          Close
        </button>
      </form>
    </dialog>
  );
}
