// Band power bars: delta, theta, alpha, beta, gamma from the latest PSD pass, for the spectrum's
// channel selection (one channel, or the mean of the visible ones). Bar length is the relative
// power (share of 1-45 Hz); the absolute power in µV² is printed beside it.

import { EEG_BANDS } from '../../stream/spectrum-analyzer.js';
import type { SpectrumSummary } from '../../stream/workstation.js';
import { formatPower } from '../../ui/format.js';

const SYMBOLS: Record<string, string> = { delta: 'δ', theta: 'θ', alpha: 'α', beta: 'β', gamma: 'γ' };

interface Props {
  readonly summary: SpectrumSummary | null;
  readonly subject: string;
}

export function BandPowerPanel({ summary, subject }: Props) {
  return (
    <section className="panel band-panel" aria-labelledby="bands-title">
      <header className="panel-header">
        <h2 id="bands-title">Band power</h2>
        <span className="panel-note">{subject}</span>
      </header>
      <div className="bands" data-testid="bandpower" role="table" aria-label="Band power">
        {EEG_BANDS.map((band, i) => {
          const rel = summary?.bands.relative[i] ?? 0;
          const abs = summary?.bands.absolute[i];
          return (
            <div key={band.name} className={`band-row band-${band.name}`} role="row" data-band={band.name} data-relative={summary ? rel.toFixed(4) : undefined} data-absolute={abs === undefined ? undefined : abs.toFixed(3)}>
              <span className="band-name" role="cell">
                <span className="band-symbol">{SYMBOLS[band.name]}</span>
                <span className="band-label">{band.name[0].toUpperCase() + band.name.slice(1)}</span>
              </span>
              <span className="band-range" role="cell">
                {band.lowHz}-{band.highHz} Hz
              </span>
              <span className="band-bar" role="cell" aria-label={`${(rel * 100).toFixed(0)} percent`}>
                <span className="band-fill" style={{ transform: `scaleX(${Math.min(1, rel).toFixed(3)})` }} />
              </span>
              <span className="band-value" role="cell">
                {summary ? `${(rel * 100).toFixed(0)}%` : '—'}
              </span>
              <span className="band-abs" role="cell" title="Absolute band power">
                {abs === undefined ? '' : `${formatPower(abs)} µV²`}
              </span>
            </div>
          );
        })}
      </div>
    </section>
  );
}
