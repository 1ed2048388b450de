// The board picker in the header: which board (the engine's list; the first is the default),
// its controls drawn from its option fields (a select for choices and bounded numbers, a check
// box, a number or text input; the connection field as its connection kind asks: the serial port,
// auto or listed or typed, or a recording's path), connect / disconnect and start / stop. Advanced
// fields keep their defaults. Real buttons; the parent runs the commands.

import { useEffect, useRef } from 'react';
import type { BoardInfo, BoardOptionField } from '../../../electron/common/contract/board-options.js';
import type { EngineState } from '../../../electron/common/contract/status.js';
import { parseFieldValue, type FieldValue } from '../../ui/option-controls.js';
import { chosenBoard, fieldControl, fieldValue, missingField, pickerFields, withValue, type BoardChoice } from './board-choice.js';
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
  const board = chosenBoard(boards, choice);
  const missing = board ? missingField(board, choice) : null;
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
  const connectIfReady = () => {
    if (idle && !busy && bridgeConnected && board && !missingField(board, choice)) props.onConnect();
  };
  return (
    <div className="board-panel" role="group" aria-label="Board">
      <label className="field">
        <span className="field-label">Board</span>
        <select data-testid="board-select" value={board?.id ?? ''} disabled={locked || !board} onChange={(e) => onChoice({ ...choice, board: e.target.value })} title={board?.summary}>
          {board ? (
            boards.map((b) => (
              <option key={b.id} value={b.id} disabled={b.unavailable !== undefined} title={b.unavailable ?? b.summary}>
                {b.name}
              </option>
            ))
          ) : (
            <option value="">{bridgeConnected ? 'loading boards…' : 'no engine'}</option>
          )}
        </select>
      </label>
      {boards
        .filter((b) => b.unavailable !== undefined)
        .map((b) => (
          <p key={b.id} className="board-unavailable" data-testid="board-unavailable">
            {b.unavailable}
          </p>
        ))}
      {board &&
        pickerFields(board).map((field) => (
          <FieldInput key={`${board.id}:${field.key}`} board={board} field={field} choice={choice} onChoice={onChoice} locked={locked} ports={props.ports} portsBusy={props.portsBusy} bridgeConnected={bridgeConnected} onRefreshPorts={props.onRefreshPorts} onEnter={connectIfReady} />
        ))}
      <div className="board-actions">
        <button
          type="button"
          ref={connectRef}
          data-testid="connect"
          className={idle ? 'btn primary' : 'btn'}
          disabled={busy || !bridgeConnected || (idle && (!board || missing !== null))}
          onClick={idle ? props.onConnect : props.onDisconnect}
          title={idle ? (missing ? `${missing.label}: ${missing.help}` : 'Open the board') : `Close ${props.connectedName ?? 'the board'}`}
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

interface FieldProps {
  readonly board: BoardInfo;
  readonly field: BoardOptionField;
  readonly choice: BoardChoice;
  readonly onChoice: (choice: BoardChoice) => void;
  readonly locked: boolean;
  readonly ports: readonly SerialPortInfo[];
  readonly portsBusy: boolean;
  readonly bridgeConnected: boolean;
  readonly onRefreshPorts: () => void;
  /** Enter in a text field: connect when the board is ready. */
  readonly onEnter: () => void;
}

/** One field's control, as board-choice's fieldControl says. */
function FieldInput({ board, field, choice, onChoice, locked, ports, portsBusy, bridgeConnected, onRefreshPorts, onEnter }: FieldProps) {
  const value = fieldValue(choice, field);
  const control = fieldControl(board, field, value);
  const set = (v: FieldValue) => onChoice(withValue(choice, field.key, v));
  const text = typeof value === 'string' ? value : value === undefined ? '' : String(value);
  const onEnterKey = (e: React.KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Enter') onEnter();
  };
  switch (control.kind) {
    case 'serial-port': {
      const portValue = portSelectValue(text, choice.customPort, ports);
      const selectedDongle = ports.find((p) => p.path === text)?.openBciDongle ?? false;
      return (
        <>
          <label className="field">
            <span className="field-label">{field.label}</span>
            <select
              data-testid="port-select"
              className={selectedDongle ? 'port-select dongle' : 'port-select'}
              value={portValue}
              disabled={locked}
              onChange={(e) => {
                const picked = e.target.value;
                if (picked === CUSTOM_PORT) onChoice({ ...withValue(choice, field.key, text === AUTO_PORT ? '' : text), customPort: true });
                else onChoice({ ...withValue(choice, field.key, picked), customPort: false });
              }}
              title={field.help}
            >
              {portOptions(ports).map((o) => (
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
                value={text === AUTO_PORT ? '' : text}
                disabled={locked}
                placeholder="e.g. /dev/ttyUSB0"
                onChange={(e) => onChoice({ ...withValue(choice, field.key, e.target.value), customPort: true })}
                onKeyDown={(e) => {
                  if (e.key === 'Enter' && connectPort(text)) onEnter();
                }}
                title="A serial port path on the engine's machine (/dev/ttyUSB0, /dev/cu.usbserial-…, COM3)"
              />
            </label>
          )}
          <button type="button" data-testid="port-refresh" className="btn icon port-refresh" disabled={locked || portsBusy || !bridgeConnected} onClick={onRefreshPorts} title="List the serial ports again" aria-label="Refresh the port list">
            <span className={portsBusy ? 'spin' : undefined} aria-hidden="true">
              ↻
            </span>
          </button>
        </>
      );
    }
    case 'file':
      return (
        <label className="field grow">
          <span className="field-label">{field.label}</span>
          <input type="text" className="path-input" value={text} disabled={locked} placeholder="e.g. /path/to/recording.bdf" onChange={(e) => set(e.target.value)} onKeyDown={onEnterKey} title={field.help} />
        </label>
      );
    case 'select':
      return (
        <label className="field">
          <span className="field-label">{field.label}</span>
          <select
            value={text}
            disabled={locked}
            onChange={(e) => {
              const v = parseFieldValue(field, e.target.value);
              if (v !== null) set(v);
            }}
            title={field.help}
          >
            {value === undefined && <option value="">—</option>}
            {control.choices.map((c) => (
              <option key={c.value} value={c.value}>
                {c.label}
              </option>
            ))}
          </select>
        </label>
      );
    case 'check':
      return (
        <label className="check board-check" title={field.help}>
          <input type="checkbox" checked={value === true} disabled={locked} onChange={(e) => set(e.target.checked)} />
          <span>{field.label}</span>
        </label>
      );
    case 'number':
      return (
        <label className="field">
          <span className="field-label">{field.unit ? `${field.label} (${field.unit})` : field.label}</span>
          <input
            type="number"
            className="number-input"
            value={text}
            min={control.min}
            max={control.max}
            step={control.step}
            disabled={locked}
            // text that is no value of the field stays as typed: Connect shows the engine's refusal
            onChange={(e) => set(parseFieldValue(field, e.target.value) ?? e.target.value)}
            onKeyDown={onEnterKey}
            title={field.help}
          />
        </label>
      );
    case 'text':
      return (
        <label className="field">
          <span className="field-label">{field.label}</span>
          <input type="text" data-testid={`field-${field.key}`} value={text} disabled={locked} onChange={(e) => set(e.target.value)} onKeyDown={onEnterKey} title={field.help} />
        </label>
      );
  }
}
