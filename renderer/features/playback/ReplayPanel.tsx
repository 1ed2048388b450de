// "Open recording": a path on the engine's machine (a web page cannot read local files, and in
// the desktop app the engine opens the file, so a path it is): typed, picked in the recordings
// library, or (desktop app) chosen in the native dialog; the speed and looping. Opening
// closes the current board, connects the board that plays files on it and starts it; the transport
// bar under the traces then takes over. Speed and loop show when that board takes them, with the
// choices of its speed field.

import type { BoardOptionField } from '../../../electron/common/contract/board-options.js';
import { fieldChoices, parseFieldValue, type FieldValue } from '../../ui/option-controls.js';

interface Props {
  readonly path: string;
  /** The file board's speed option (null: none to choose) and the value chosen. */
  readonly speedField: BoardOptionField | null;
  readonly speed: FieldValue | undefined;
  /** The file board's loop option (null: none to choose) and the value chosen. */
  readonly loopField: BoardOptionField | null;
  readonly loop: boolean;
  readonly onPath: (path: string) => void;
  readonly onSpeed: (speed: FieldValue) => void;
  readonly onLoop: (loop: boolean) => void;
  readonly busy: boolean;
  readonly error: string | null;
  /** Why opening is not possible right now (recording, no bridge), or null. */
  readonly blocked: string | null;
  /** The file playing now, if any. */
  readonly playingFile: string | null;
  readonly onOpen: () => void;
  /** Opens the recordings library (the data folder's recordings). */
  readonly onLibrary: () => void;
  /** The desktop app's native open dialog, or null in the browser. */
  readonly onBrowse: (() => void) | null;
}

export function ReplayPanel(props: Props) {
  const { path, busy, blocked, speedField, speed } = props;
  // while a recording plays, the transport bar under the traces is the one speed and loop control
  const playing = props.playingFile !== null;
  const speedChoices = speedField && !playing ? fieldChoices(speedField, speed) : null;
  const canOpen = !busy && !blocked && path.trim() !== '';
  return (
    <section className="panel replay-panel" aria-label="Open recording">
      <div className="panel-header">
        <h2>Open recording</h2>
        {props.playingFile && <span className="panel-note">playing</span>}
      </div>
      <div className="replay-body">
        <input
          type="text"
          className="path-input replay-path"
          data-testid="playback-path"
          value={path}
          placeholder="e.g. /path/to/recording.bdf"
          spellCheck={false}
          autoComplete="off"
          aria-label="Recording path"
          onChange={(e) => props.onPath(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && canOpen) props.onOpen();
          }}
          title="A recording on the engine's machine: BDF/EDF+, GDF, OpenBCI GUI text, BrainFlow CSV, XDF, BrainVision"
        />
        <div className="replay-row">
          {speedField && speedChoices && (
            <label className="field">
              <span className="field-label">{speedField.label}</span>
              <select
                data-testid="playback-speed"
                value={speed === undefined ? '' : String(speed)}
                onChange={(e) => {
                  const value = parseFieldValue(speedField, e.target.value);
                  if (value !== null) props.onSpeed(value);
                }}
                title={speedField.help}
              >
                {speedChoices.map((c) => (
                  <option key={c.value} value={c.value}>
                    {c.label}
                  </option>
                ))}
              </select>
            </label>
          )}
          {props.loopField && !playing && (
            <label className="check board-check" title={props.loopField.help}>
              <input type="checkbox" data-testid="playback-loop" checked={props.loop} onChange={(e) => props.onLoop(e.target.checked)} />
              <span>{props.loopField.label}</span>
            </label>
          )}
          <span className="toolbar-spacer" />
          <button type="button" className="btn" data-testid="playback-library" onClick={props.onLibrary} title="The data folder's recordings: pick one to open, verify or repair" aria-label="Open from the recordings library">
            Library…
          </button>
          {props.onBrowse && (
            <button type="button" className="btn" data-testid="playback-browse" disabled={blocked !== null || busy} onClick={props.onBrowse} title="Choose a file with the system's open dialog (or drop a file on the window)" aria-label="Browse for a recording file">
              Browse…
            </button>
          )}
          <button type="button" className="btn primary" data-testid="playback-open" disabled={!canOpen} onClick={props.onOpen} title={blocked ?? 'Close the current board and play this recording through the live pipeline'}>
            {busy ? 'Opening…' : 'Open'}
          </button>
        </div>
        <p className="replay-hint">{blocked ?? "A file on the engine's machine (BDF/EDF+, GDF, OpenBCI text, BrainFlow CSV, XDF, BrainVision), or one from the library. Opening it replaces the current board."}</p>
        {props.error && (
          <div className="form-error" role="alert" data-testid="playback-error">
            {props.error}
          </div>
        )}
      </div>
    </section>
  );
}
