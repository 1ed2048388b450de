// The board picker in the header: which board, its options (synthetic: channels, rate, mode,
// mains; Cyton: the serial port, auto or listed or typed; playback: the file), connect /
// disconnect and start / stop. Real buttons; the parent runs the commands.

import { useEffect, useRef } from 'react';
import type { BoardInfo } from '../../../electron/common/contract/board-options.js';
import type { BoardChoice } from './board-choice.js';
import type { EngineState } from '../../../electron/common/contract/status.js';
import { PLAYBACK_SPEEDS } from '../../ui/playback-speeds.js';
import { isAmplifierBoard } from '../../ui/board-kinds.js';
import { AUTO_PORT, CUSTOM_PORT, connectPort, portOptions, portSelectValue, type SerialPortInfo } from './serial-ports.js';

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
  /** Serial ports on the engine's machine (listed while a serial board is chosen). */
  readonly ports: readonly SerialPortInfo[];
  readonly portsBusy: boolean;
  readonly onRefreshPorts: () => void;
}

export function BoardPanel(props: Props) {
  const { boards, choice, onChoice, state, busy, bridgeConnected } = props;
  const idle = state === 'idle';
  const locked = !idle || busy;
  const synthetic = choice.board === 'synthetic';
  const serial = isAmplifierBoard(choice.board);
  const portValue = portSelectValue(choice.port, choice.customPort, props.ports);
  const options = portOptions(props.ports);
  const selectedDongle = props.ports.find((p) => p.path === choice.port)?.openBciDongle ?? false;
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
      {serial && (
        <>
          <label className="field">
            <span className="field-label">Port</span>
            <select
              data-testid="port-select"
              className={selectedDongle ? 'port-select dongle' : 'port-select'}
              value={portValue}
              disabled={locked}
              onChange={(e) => {
                const value = e.target.value;
                if (value === CUSTOM_PORT) onChoice({ ...choice, customPort: true, port: choice.port === AUTO_PORT ? '' : choice.port });
                else onChoice({ ...choice, customPort: false, port: value });
              }}
              title="The serial port of the OpenBCI dongle (auto: the one dongle plugged in)"
            >
              {options.map((o) => (
                <option key={o.value} value={o.value}>
                  {o.label}
                </option>
              ))}
            </select>
          </label>
          {portValue === CUSTOM_PORT && (
            <label className="field grow">
              <span className="field-label">Port path</span>
              <input
                type="text"
                data-testid="port-path"
                className="path-input"
                value={choice.port === AUTO_PORT ? '' : choice.port}
                disabled={locked}
                placeholder="/dev/ttyUSB0"
                onChange={(e) => onChoice({ ...choice, customPort: true, port: e.target.value })}
                onKeyDown={(e) => {
                  if (e.key === 'Enter' && idle && connectPort(choice.port)) props.onConnect();
                }}
                title="A serial port path on the engine's machine (/dev/ttyUSB0, /dev/cu.usbserial-…, COM3)"
              />
            </label>
          )}
          <button type="button" data-testid="port-refresh" className="btn icon port-refresh" disabled={locked || props.portsBusy || !bridgeConnected} onClick={props.onRefreshPorts} title="List the serial ports again" aria-label="Refresh the port list">
            <span className={props.portsBusy ? 'spin' : undefined} aria-hidden="true">
              ↻
            </span>
          </button>
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
          disabled={busy || !bridgeConnected || (idle && choice.board === 'playback' && choice.file.trim() === '') || (idle && serial && connectPort(choice.port) === null)}
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
