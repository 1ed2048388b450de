// The channel list: every channel of the board as a toggle (shown / hidden in the plots), with its
// trace colour and its quality (railed, flat) at a glance. Hidden channels are reachable here,
// since a hidden channel has no label in the time series.

import type { StreamShape } from '../../stream/stream-model.js';
import { QUALITY_FLAT, QUALITY_RAILED } from '../../stream/channel-quality.js';
import { traceColor } from '../../stream/theme.js';
import { distinctLabels } from './channel-labels.js';

interface Props {
  readonly shape: StreamShape | null;
  readonly hidden: Readonly<Record<number, boolean>>;
  readonly quality: readonly number[];
  readonly hasOwnScales: boolean;
  readonly onHidden: (hidden: Record<number, boolean>) => void;
  readonly onResetScales: () => void;
}

export function ChannelPanel({ shape, hidden, quality, hasOwnScales, onHidden, onResetScales }: Props) {
  const count = shape?.channelCount ?? 0;
  let shown = 0;
  let railed = 0;
  let flat = 0;
  for (let c = 0; c < count; c++) {
    if (!hidden[c]) shown++;
    if (quality[c] === QUALITY_RAILED) railed++;
    if (quality[c] === QUALITY_FLAT) flat++;
  }
  const hideAll = () => {
    const next: Record<number, boolean> = {};
    for (let c = 0; c < count; c++) next[c] = true;
    onHidden(next);
  };
  /** Shows only the channels of one group: EEG, or everything else (accelerometer, aux, …). */
  const showGroup = (eeg: boolean) => {
    const next: Record<number, boolean> = {};
    for (let c = 0; c < count; c++) if ((shape?.types[c] === 'eeg') !== eeg) next[c] = true;
    onHidden(next);
  };
  const eegCount = shape ? shape.types.filter((t) => t === 'eeg').length : 0;
  const labels = shape ? distinctLabels(shape.labels) : [];
  return (
    <section className="panel channel-panel" aria-labelledby="channels-title">
      <header className="panel-header">
        <h2 id="channels-title">Channels</h2>
        <span className="panel-note">
          {shape ? `${shown} of ${count} shown` : 'no board'}
          {railed > 0 && <span className="note-bad"> · {railed} railed</span>}
          {flat > 0 && <span className="note-warn"> · {flat} flat</span>}
        </span>
      </header>
      {shape && (
        <>
          <div className="channel-chips" data-testid="channel-list" role="group" aria-label="Show or hide channels">
            {labels.map((label, c) => {
              const flag = quality[c] ?? 0;
              const state = flag === QUALITY_RAILED ? 'railed' : flag === QUALITY_FLAT ? 'flat' : '';
              return (
                <button
                  key={c}
                  type="button"
                  className={`chip ${hidden[c] ? 'off' : 'on'} ${state}`}
                  aria-pressed={!hidden[c]}
                  data-channel-index={c}
                  title={`${label}${state ? ` (${state})` : ''}: ${hidden[c] ? 'show' : 'hide'}`}
                  onClick={() => onHidden({ ...hidden, [c]: !hidden[c] })}
                >
                  <span className="chip-dot" style={{ backgroundColor: traceColor(c) }} />
                  {label}
                </button>
              );
            })}
          </div>
          <div className="channel-actions">
            <button type="button" className="btn small" onClick={() => onHidden({})} disabled={shown === count}>
              Show all
            </button>
            <button type="button" className="btn small" onClick={hideAll} disabled={shown === 0}>
              Hide all
            </button>
            {eegCount > 0 && eegCount < count && (
              <>
                <button type="button" className="btn small" onClick={() => showGroup(true)} title="Show the EEG channels only">
                  EEG only
                </button>
                <button type="button" className="btn small" onClick={() => showGroup(false)} title="Show the other channels only (accelerometer, aux, …)">
                  Others only
                </button>
              </>
            )}
            <button type="button" className="btn small" onClick={onResetScales} disabled={!hasOwnScales} title="Give every channel the global scale again">
              Reset channel scales
            </button>
          </div>
        </>
      )}
    </section>
  );
}
