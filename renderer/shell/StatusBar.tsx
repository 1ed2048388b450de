// The status bar: what the engine measures, as it reports it (status events, 4 a second while
// streaming): state, board, effective rate, samples lost (device gaps / reader overflow), ring
// buffer fill, worker latency p50/p99, elapsed time, the serial link to the board (connected /
// disconnected in red with the reason / reconnecting), setup notices, the bridge's connection,
// the last error.

import type { EngineStatus, EngineState } from '../../electron/common/contract/status.js';
import { formatCount, formatDuration, formatMs, formatPercent, formatRate } from '../ui/format.js';

const LINK_TEXT: Readonly<Record<string, string>> = Object.freeze({ closed: 'link closed', connected: 'link connected', disconnected: 'link lost', reconnecting: 'reconnecting…' });

interface Props {
  readonly state: EngineState;
  readonly status: EngineStatus | null;
  readonly boardName: string | null;
  readonly channelCount: number;
  readonly bridgeConnected: boolean;
  readonly bridgeKind: string;
  /** Seconds recorded so far, or null when not recording. */
  readonly recordingSec: number | null;
  readonly lastError: string | null;
  readonly onDismissError: () => void;
}

export function StatusBar({ state, status, boardName, channelCount, bridgeConnected, bridgeKind, recordingSec, lastError, onDismissError }: Props) {
  const streaming = state === 'streaming';
  const device = status?.deviceLostRows ?? 0;
  const overflow = status?.overflowLostRows ?? 0;
  const lost = device + overflow;
  const fill = status?.bufferFill ?? 0;
  const link = status?.link ?? null;
  const notices = status?.notices ?? [];
  return (
    <footer className="status-bar" aria-label="Status">
      <span className={`status-item state state-${state}`} data-testid="status-state" data-state={state} title="Engine state">
        <span className="dot" aria-hidden="true" />
        {state}
      </span>
      {recordingSec !== null && (
        <span className="status-item recording" title="Recording: time written to the file so far">
          <span className="rec-dot live small" aria-hidden="true" />
          REC {formatDuration(recordingSec)}
        </span>
      )}
      <span className="status-item" title="Board">
        {boardName ? `${boardName} · ${channelCount} ch` : 'no board'}
      </span>
      <span className="status-item" data-testid="status-rate" data-rate={status?.effectiveRateHz ?? 0} title={status ? `Measured rows per second since start (nominal ${status.sampleRateHz} Hz, clock fit ${status.fittedRateHz.toFixed(2)} Hz, jitter ${formatMs(status.clockJitterMs)} ms)` : 'Measured rate'}>
        {formatRate(streaming || (status?.effectiveRateHz ?? 0) > 0 ? (status?.effectiveRateHz ?? 0) : 0)}
      </span>
      <span className={lost > 0 ? 'status-item warn' : 'status-item'} data-testid="status-lost" data-lost={lost} data-device-lost={device} data-overflow-lost={overflow} title="Samples lost: gaps in the device's counter / readers that fell a buffer behind">
        lost {formatCount(lost)} <span className="muted">(device {formatCount(device)} · overflow {formatCount(overflow)})</span>
      </span>
      <span className={fill > 0.5 ? 'status-item warn' : 'status-item'} title="Ring buffer fill for its slowest reader">
        buffer {formatPercent(fill)}
      </span>
      <span className="status-item" title="From the driver's push to the worker's filtered output">
        latency p50 {formatMs(status?.latencyMs.p50 ?? NaN)} / p99 {formatMs(status?.latencyMs.p99 ?? NaN)} ms
      </span>
      <span className="status-item" title="Time since Start">
        {formatDuration(status?.elapsedSec ?? NaN)}
      </span>
      {link && (
        <span className={`status-item serial-link link-${link.state}`} data-testid="status-link" data-link={link.state} title={link.message ? `Link to the board: ${link.message}` : 'Link to the board'}>
          <span className="dot" aria-hidden="true" />
          {LINK_TEXT[link.state]}
          {link.state !== 'connected' && link.message ? <span className="link-message">: {link.message}</span> : null}
        </span>
      )}
      {notices.length > 0 && (
        <span className="status-item warn notices" data-testid="status-notices" data-count={notices.length} title={notices.join('\n\n')}>
          <span className="notice-icon" aria-label="Setup notice">
            ⚠
          </span>{' '}
          <span className="notice-text">{notices.length > 1 ? `${notices[0]} (+${notices.length - 1})` : notices[0]}</span>
        </span>
      )}
      <span className={bridgeConnected ? 'status-item' : 'status-item error'} data-testid="status-bridge" title={`Bridge to the engine (${bridgeKind})`}>
        bridge {bridgeConnected ? 'connected' : 'disconnected'}
      </span>
      <span className="status-spacer" />
      {lastError && (
        <span className="status-item error last-error" role="status" data-testid="status-error" title={lastError}>
          {lastError}
          <button type="button" className="mini" onClick={onDismissError} aria-label="Dismiss the error">
            ×
          </button>
        </span>
      )}
      {/* the keys, whole where they fit and short where they would be cut (narrow windows); plain
          text, not a control: the header's ? button is the one that opens the shortcuts */}
      <span className="status-help" title="Keyboard shortcuts: press ? (or the ? button at the top right)">
        <span className="hint-long">Space start/stop · N notch · +/− scale · A autoscale · M marker · ? help</span>
        <span className="hint-short">? shortcuts</span>
      </span>
    </footer>
  );
}
