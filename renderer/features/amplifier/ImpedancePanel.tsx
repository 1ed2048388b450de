// Electrode impedance (Cyton lead-off test): measure all channels or one, then a tile per
// electrode coloured good (green) / fair (amber) / bad (red) with its kΩ, or "railed" when the
// signal sat at full scale (electrode off, lead unplugged). The call answers all readings at
// once after about 2 s per channel: meanwhile a spinner and the expected time.

import { useEffect, useState } from 'react';
import { IMPEDANCE_FAIR_BELOW_KOHM, IMPEDANCE_GOOD_BELOW_KOHM, formatImpedance, qualityCounts, type ImpedanceEntry } from './impedance-view.js';
import type { ImpedanceRun } from './use-amplifier.js';

interface Props {
  readonly labels: readonly string[];
  readonly readings: readonly ImpedanceEntry[];
  readonly measuring: ImpedanceRun | null;
  readonly error: string | null;
  readonly disabled: boolean;
  readonly onMeasure: (channel?: number) => void;
}

const ALL = 'all';

function timeOf(ms: number): string {
  return new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

export function ImpedancePanel({ labels, readings, measuring, error, disabled, onMeasure }: Props) {
  const [target, setTarget] = useState<string>(ALL);
  const [elapsedSec, setElapsedSec] = useState(0);
  useEffect(() => {
    if (!measuring) return;
    const tick = () => setElapsedSec((Date.now() - measuring.startedAtMs) / 1000);
    tick();
    const timer = setInterval(tick, 250);
    return () => clearInterval(timer);
  }, [measuring]);
  const byChannel = new Map(readings.map((r) => [r.channel, r]));
  const counts = qualityCounts(readings);
  const latest = readings.reduce((t, r) => Math.max(t, r.measuredAtMs), 0);
  const progress = measuring ? Math.min(0.97, elapsedSec / measuring.expectedSec) : 0;
  const remaining = measuring ? Math.max(0, Math.ceil(measuring.expectedSec - elapsedSec)) : 0;
  const channel = target === ALL ? undefined : Number(target);

  return (
    <section className="panel impedance-panel" aria-labelledby="impedance-title" data-testid="impedance-view" data-measuring={measuring ? 'true' : 'false'}>
      <header className="panel-header">
        <h2 id="impedance-title">Impedance</h2>
        <span className="panel-note" title={`good < ${IMPEDANCE_GOOD_BELOW_KOHM} kΩ ≤ fair < ${IMPEDANCE_FAIR_BELOW_KOHM} kΩ ≤ bad`}>
          {latest > 0 ? `measured ${timeOf(latest)}` : 'not measured'}
        </span>
      </header>
      <div className="impedance-body">
        <div className="impedance-controls">
          <select data-testid="impedance-channel" value={target} disabled={disabled || measuring !== null} onChange={(e) => setTarget(e.target.value)} aria-label="Channels to measure">
            <option value={ALL}>All channels</option>
            {labels.map((label, i) => (
              <option key={i + 1} value={String(i + 1)}>
                {label === `Ch ${i + 1}` || label === String(i + 1) ? `Channel ${i + 1}` : `${i + 1} · ${label}`}
              </option>
            ))}
          </select>
          <button type="button" className="btn small primary" data-testid="impedance-measure" disabled={disabled || measuring !== null} onClick={() => onMeasure(channel)} title="Lead-off test: 6 nA at 31.25 Hz through each electrode, about 2 s per channel">
            Measure impedance
          </button>
        </div>
        {measuring && (
          <div className="impedance-progress" role="status" data-testid="impedance-progress">
            <span className="spinner" aria-hidden="true" />
            <span>
              Measuring {measuring.channels.length === 1 ? `channel ${measuring.channels[0]}` : `${measuring.channels.length} channels`} · about {measuring.expectedSec} s{remaining > 0 ? ` (${remaining} s left)` : ''}
            </span>
            <span className="progress-track" aria-hidden="true">
              <span className="progress-fill" style={{ width: `${(progress * 100).toFixed(1)}%` }} />
            </span>
          </div>
        )}
        <ul className="impedance-grid">
          {labels.map((label, i) => {
            const n = i + 1;
            const r = byChannel.get(n);
            const busy = measuring?.channels.includes(n) ?? false;
            return (
              <li
                key={n}
                className={`impedance-tile ${r ? `q-${r.quality}` : 'q-none'}${busy ? ' busy' : ''}`}
                data-testid={`impedance-${n}`}
                data-kohm={r ? r.impedanceKOhm.toFixed(2) : undefined}
                data-railed={r?.railed ? 'true' : undefined}
                data-quality={r?.quality}
                title={r ? `${label}: ${formatImpedance(r.impedanceKOhm, r.railed)} (${r.quality}), measured ${timeOf(r.measuredAtMs)}` : `${label}: not measured`}
              >
                <span className="tile-label">{label}</span>
                <span className="tile-value">{r ? formatImpedance(r.impedanceKOhm, r.railed) : '—'}</span>
              </li>
            );
          })}
        </ul>
        {readings.length > 0 && (
          <p className="impedance-summary muted">
            <span className="q-good-text">{counts.good} good</span> · <span className="q-fair-text">{counts.fair} fair</span> · <span className="q-bad-text">{counts.bad} bad</span>
            <span className="faint"> · good &lt; {IMPEDANCE_GOOD_BELOW_KOHM} kΩ, fair &lt; {IMPEDANCE_FAIR_BELOW_KOHM} kΩ</span>
          </p>
        )}
        {error && (
          <div className="form-error" role="alert" data-testid="impedance-error">
            {error}
          </div>
        )}
      </div>
    </section>
  );
}
