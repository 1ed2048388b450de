// "Open recording": a path on the engine's machine (a web page cannot read local files, and in
// the desktop app the engine opens the file, so a path it is), the speed and looping. Opening
// closes the current board, connects the playback board on the file and starts it; the transport
// bar under the traces then takes over.

import { PLAYBACK_SPEEDS, parseSpeed, speedLabel, type PlaybackSpeed } from '../../ui/playback-speeds.js';

interface Props {
  readonly path: string;
  readonly speed: PlaybackSpeed;
  readonly loop: boolean;
  readonly onPath: (path: string) => void;
  readonly onSpeed: (speed: PlaybackSpeed) => void;
  readonly onLoop: (loop: boolean) => void;
  readonly busy: boolean;
  readonly error: string | null;
  /** Why opening is not possible right now (recording, no bridge), or null. */
  readonly blocked: string | null;
  /** The file playing now, if any. */
  readonly playingFile: string | null;
  readonly onOpen: () => void;
}

export function ReplayPanel(props: Props) {
  const { path, busy, blocked } = props;
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
          placeholder="/path/to/recording.bdf"
          spellCheck={false}
          autoComplete="off"
          aria-label="Recording path"
          onChange={(e) => props.onPath(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && canOpen) props.onOpen();
          }}
          title="A recording on the engine's machine: BDF/EDF+, OpenBCI GUI text, BrainFlow CSV, XDF, BrainVision"
        />
        <div className="replay-row">
          <label className="field">
            <span className="field-label">Speed</span>
            <select data-testid="playback-speed" value={String(props.speed)} onChange={(e) => props.onSpeed(parseSpeed(e.target.value) ?? 1)}>
              {PLAYBACK_SPEEDS.map((s) => (
                <option key={String(s)} value={String(s)}>
                  {speedLabel(s)}
                </option>
              ))}
            </select>
          </label>
          <label className="check board-check">
            <input type="checkbox" data-testid="playback-loop" checked={props.loop} onChange={(e) => props.onLoop(e.target.checked)} />
            <span>Loop</span>
          </label>
          <span className="toolbar-spacer" />
          <button type="button" className="btn primary" data-testid="playback-open" disabled={!canOpen} onClick={props.onOpen} title={blocked ?? 'Close the current board and play this recording through the live pipeline'}>
            {busy ? 'Opening…' : 'Open'}
          </button>
        </div>
        <p className="replay-hint">{blocked ?? "A file on the engine's machine (BDF/EDF+, OpenBCI text, BrainFlow CSV, XDF). Opening it replaces the current board."}</p>
        {props.error && (
          <div className="form-error" role="alert" data-testid="playback-error">
            {props.error}
          </div>
        )}
      </div>
    </section>
  );
}
