// The board picker in the header: which board, its options (synthetic: channels, rate, mode,
// mains), connect / disconnect and start / stop. Real buttons; the parent runs the commands.

import { useEffect, useRef } from 'react';
import type { BoardInfo, BoardOptions } from '../../electron/common/contract/board-options.js';
import type { EngineState } from '../../electron/common/contract/status.js';
import { PLAYBACK_SPEEDS } from './transport.js';

export interface BoardChoice {
  readonly board: string;
  /** Synthetic. */
  readonly channelCount: number;
  readonly sampleRateHz: number;
  readonly mode: 'rest' | 'mi';
  readonly mainsHz: 50 | 60;
  /** Playback: a recording's path on the engine's machine, the speed, looping. */
  readonly file: string;
  readonly speed: number | 'max';
  readonly loop: boolean;
}

export const DEFAULT_BOARD_CHOICE: BoardChoice = Object.freeze({ board: 'synthetic', channelCount: 8, sampleRateHz: 250, mode: 'rest', mainsHz: 50, file: '', speed: 1, loop: false });


/** The connect options a choice stands for. */
export function boardOptionsOf(choice: BoardChoice): BoardOptions {
  if (choice.board === 'synthetic') {
    return { board: 'synthetic', channelCount: choice.channelCount, sampleRateHz: choice.sampleRateHz, mode: choice.mode, mainsHz: choice.mainsHz };
  }
  if (choice.board === 'playback') {
    return { board: 'playback', file: choice.file.trim(), speed: choice.speed, loop: choice.loop };
  }
  return { board: choice.board };
}

interface Props {
  readonly boards: readonly BoardInfo[];
  readonly choice: BoardChoice;
  readonly onChoice: (choice: BoardChoice) => void;
  readonly state: EngineState;
  readonly connectedName: string | null;
  readonly busy: boolean;
  readonly bridgeConnected: boolean;
  readonly onConnect: () => void;
  readonly onDisconnect: () => void;
  readonly onStartStop: () => void;
}

export function BoardPanel(props: Props) {
  const { boards, choice, onChoice, state, busy, bridgeConnected } = props;
  const idle = state === 'idle';
  const locked = !idle || busy;
  const synthetic = choice.board === 'synthetic';
  const connectRef = useRef<HTMLButtonElement>(null);
  const startRef = useRef<HTMLButtonElement>(null);
  // keep keyboard focus on the next sensible step: Connect → Start (so Space starts, rather than
  // pressing the focused Disconnect), and back to Connect when the board goes away
  useEffect(() => {
    if (busy) return; // disabled buttons cannot take focus yet
    const active = document.activeElement;
    if (state === 'connected' && active === connectRef.current) startRef.current?.focus();
    if (state === 'idle' && (active === startRef.current || active === document.body)) connectRef.current?.focus();
  }, [state, busy]);
  const list = boards.length > 0 ? boards : [{ id: choice.board, name: choice.board, summary: '' }];
  return (
    <div className="board-panel" role="group" aria-label="Board">
      <label className="field">
        <span className="field-label">Board</span>
        <select data-testid="board-select" value={choice.board} disabled={locked} onChange={(e) => onChoice({ ...choice, board: e.target.value })} title={list.find((b) => b.id === choice.board)?.summary}>
          {list.map((b) => (
            <option key={b.id} value={b.id}>
              {b.name}
            </option>
          ))}
        </select>
      </label>
      {synthetic && (
        <>
          <label className="field">
            <span className="field-label">Channels</span>
            <select value={choice.channelCount} disabled={locked} onChange={(e) => onChoice({ ...choice, channelCount: Number(e.target.value) })}>
              {[8, 16, 32, 64].map((n) => (
                <option key={n} value={n}>
                  {n}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span className="field-label">Rate</span>
            <select value={choice.sampleRateHz} disabled={locked} onChange={(e) => onChoice({ ...choice, sampleRateHz: Number(e.target.value) })}>
              {[250, 500, 1000].map((n) => (
                <option key={n} value={n}>
                  {n} Hz
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span className="field-label">Mode</span>
            <select value={choice.mode} disabled={locked} onChange={(e) => onChoice({ ...choice, mode: e.target.value === 'mi' ? 'mi' : 'rest' })}>
              <option value="rest">Rest</option>
              <option value="mi">Motor imagery</option>
            </select>
          </label>
          <label className="field">
            <span className="field-label">Mains</span>
            <select value={choice.mainsHz} disabled={locked} onChange={(e) => onChoice({ ...choice, mainsHz: e.target.value === '60' ? 60 : 50 })}>
              <option value={50}>50 Hz</option>
              <option value={60}>60 Hz</option>
            </select>
          </label>
        </>
      )}
      {choice.board === 'playback' && (
        <>
          <label className="field grow">
            <span className="field-label">Recording</span>
            <input
              type="text"
              className="path-input"
              value={choice.file}
              disabled={locked}
              placeholder="/path/to/recording.bdf"
              onChange={(e) => onChoice({ ...choice, file: e.target.value })}
              onKeyDown={(e) => {
                if (e.key === 'Enter' && idle && choice.file.trim()) props.onConnect();
              }}
              title="A recording on the engine's machine: BDF/EDF+, OpenBCI GUI text, BrainFlow CSV, XDF"
            />
          </label>
          <label className="field">
            <span className="field-label">Speed</span>
            <select value={String(choice.speed)} disabled={locked} onChange={(e) => onChoice({ ...choice, speed: e.target.value === 'max' ? 'max' : Number(e.target.value) })}>
              {PLAYBACK_SPEEDS.map((v) => (
                <option key={String(v)} value={String(v)}>
                  {v === 'max' ? 'max' : `${v}×`}
                </option>
              ))}
            </select>
          </label>
          <label className="check board-check">
            <input type="checkbox" checked={choice.loop} disabled={locked} onChange={(e) => onChoice({ ...choice, loop: e.target.checked })} />
            <span>Loop</span>
          </label>
        </>
      )}
      <div className="board-actions">
        <button
          type="button"
          ref={connectRef}
          data-testid="connect"
          className={idle ? 'btn primary' : 'btn'}
          disabled={busy || !bridgeConnected || (idle && choice.board === 'playback' && choice.file.trim() === '')}
          onClick={idle ? props.onConnect : props.onDisconnect}
          title={idle ? 'Open the board' : `Close ${props.connectedName ?? 'the board'}`}
        >
          {idle ? 'Connect' : 'Disconnect'}
        </button>
        <button
          type="button"
          ref={startRef}
          data-testid="startstop"
          className={state === 'streaming' ? 'btn stop' : state === 'connected' ? 'btn primary' : 'btn'}
          disabled={idle || busy || !bridgeConnected}
          onClick={props.onStartStop}
          title="Start or stop streaming (Space)"
          aria-pressed={state === 'streaming'}
        >
          {state === 'streaming' ? 'Stop' : 'Start'}
        </button>
      </div>
    </div>
  );
}
