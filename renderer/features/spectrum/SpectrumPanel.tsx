// The spectrum panel: the PSD chart (drawn by the Workstation after each analyser pass), which
// channels it shows, and the mains readout (peak at 50/60 Hz over the neighbouring floor; the
// end-to-end test reads its data-db attribute).

import { useLayoutEffect, useEffect, useRef } from 'react';
import type { Workstation, SpectrumSummary } from '../../stream/workstation.js';
import type { StreamShape } from '../../stream/stream-model.js';
import type { SpectrumChart, SpectrumSelection } from '../../stream/spectrum-chart.js';
import { formatDb } from '../../ui/format.js';
import { mainsAdvice } from './mains-advice.js';

interface Props {
  readonly workstation: Workstation;
  readonly shape: StreamShape | null;
  readonly visible: readonly number[];
  readonly selection: SpectrumSelection;
  readonly onSelection: (selection: SpectrumSelection) => void;
  readonly summary: SpectrumSummary | null;
  /** The board's mains frequency when known (else both are shown). */
  readonly mainsHz: 50 | 60 | null;
}

export function SpectrumPanel({ workstation, shape, visible, selection, onSelection, summary, mainsHz }: Props) {
  const hostRef = useRef<HTMLDivElement>(null);
  const chartRef = useRef<SpectrumChart | null>(null);
  const visibleKey = visible.join(',');

  useLayoutEffect(() => {
    const host = hostRef.current!;
    const chart = workstation.attachSpectrum(host);
    chartRef.current = chart;
    const observer = new ResizeObserver((entries) => {
      const rect = entries[0].contentRect;
      chart.setSize(Math.floor(rect.width), Math.floor(rect.height));
      workstation.refreshSpectrum();
    });
    observer.observe(host);
    return () => {
      observer.disconnect();
      workstation.detachSpectrum(chart);
      chartRef.current = null;
    };
  }, [workstation]);

  useEffect(() => {
    const channels = visibleKey === '' ? [] : visibleKey.split(',').map(Number);
    const sel = typeof selection === 'number' && selection >= (shape?.channelCount ?? 0) ? 'all' : selection;
    chartRef.current?.setView({ channels, selection: sel });
    workstation.refreshSpectrum();
  }, [workstation, visibleKey, selection, shape]);

  return (
    <section className="panel spectrum-panel" aria-labelledby="spectrum-title">
      <header className="panel-header">
        <h2 id="spectrum-title">Spectrum</h2>
        <select
          className="compact-select"
          aria-label="Spectrum channels"
          value={String(selection)}
          onChange={(e) => onSelection(e.target.value === 'all' || e.target.value === 'mean' ? e.target.value : Number(e.target.value))}
        >
          <option value="all">All visible + mean</option>
          <option value="mean">Mean of visible</option>
          {shape?.labels.map((label, c) => (
            <option key={c} value={c}>
              {label}
            </option>
          ))}
        </select>
      </header>
      <div className="spectrum-chart" data-testid="spectrum" role="img" aria-label="Power spectrum, 1-60 Hz" title="Welch PSD: ~2 s Hann segments, 50% overlap, last ~4 s; dB re 1 µV²/Hz">
        <div className="chart-host" ref={hostRef} />
        {!summary && <div className="empty-note small">{shape ? 'Collecting data…' : 'No data'}</div>}
      </div>
      <MainsReadout summary={summary} mainsHz={mainsHz} />
    </section>
  );
}

function MainsReadout({ summary, mainsHz }: { summary: SpectrumSummary | null; mainsHz: 50 | 60 | null }) {
  const values = summary?.mainsDb;
  const { shown, primary, level, suggestHz } = mainsAdvice(values, mainsHz);
  return (
    <div
      className={`mains-readout ${level}`}
      data-testid="mains-readout"
      data-db={primary === null ? undefined : primary.db.toFixed(2)}
      data-mains-hz={primary?.hz}
      data-suggest-hz={suggestHz ?? undefined}
      title="Mains interference: the PSD peak at the mains frequency over the median of the neighbouring bins (f−10…f−2 and f+2…f+8 Hz), channel-averaged, ~0.25 Hz resolution over the last ~6 s"
    >
      {shown.map((hz, i) => {
        const db = values?.[hz];
        return (
          <span key={hz} className="mains-item">
            {i === 0 ? 'Mains ' : ' · '}
            {hz} Hz: <strong>{db === null || db === undefined ? 'measuring…' : formatDb(db)}</strong>
          </span>
        );
      })}
      {suggestHz !== null ? (
        <span className="mains-hint" role="status">
          {' '}
          — the interference is at {suggestHz} Hz, not {mainsHz} Hz: the mains here may be {suggestHz} Hz (set Mains in the Record panel, and the notch)
        </span>
      ) : (
        level === 'high' && <span className="mains-hint"> — consider the {primary?.hz} Hz notch</span>
      )}
    </div>
  );
}
