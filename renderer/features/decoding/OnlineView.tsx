// The online view: while a decoder runs, the probability of each class over the last seconds (a
// uPlot strip drawn from the PredictionHistory's typed arrays, never through React state), the
// current class large with its probability, a bar per class, and the cue on screen when there is
// one. React re-renders at most once per animation frame, and only with the newest k numbers.

import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { PredictionHistory } from '../../stream/prediction-history.js';
import { ProbabilityChart, PROBABILITY_WINDOW_SEC } from '../../stream/probability-chart.js';
import { traceColor } from '../../stream/theme.js';
import { onlineViewModel } from './online-view.js';

interface Props {
  readonly history: PredictionHistory;
  /** The class cued on screen now (a calibration cue, a board's cue), if any. */
  readonly cue: string | null;
  /** A class shows as current only at or above this probability. */
  readonly threshold?: number;
  /** Stops the online decoder (absent: no stop button here). */
  readonly onStop?: () => void;
}

export function OnlineView({ history, cue, threshold = 0, onStop }: Props) {
  const hostRef = useRef<HTMLDivElement>(null);
  const [latest, setLatest] = useState<{ probabilities: Float64Array | null; classes: readonly string[] }>({ probabilities: null, classes: history.classes });

  useLayoutEffect(() => {
    const host = hostRef.current!;
    const chart = new ProbabilityChart(host, history);
    const observer = new ResizeObserver((entries) => {
      const rect = entries[0].contentRect;
      chart.setSize(Math.floor(rect.width), Math.floor(rect.height));
      chart.render();
    });
    observer.observe(host);
    // one redraw and one React update per frame at most, when predictions arrived
    let raf = 0;
    const sub = history.onPrediction.on(() => {
      if (raf !== 0) return;
      raf = requestAnimationFrame(() => {
        raf = 0;
        chart.render();
        const out = new Float64Array(history.classes.length);
        setLatest({ probabilities: history.latest(out) === null ? null : out, classes: history.classes });
      });
    });
    return () => {
      cancelAnimationFrame(raf);
      sub.dispose();
      observer.disconnect();
      chart.destroy();
    };
  }, [history]);

  useEffect(() => {
    setLatest({ probabilities: null, classes: history.classes });
  }, [history]);

  const view = onlineViewModel(latest.classes, latest.probabilities, cue, threshold);
  return (
    <section className="panel online-view" aria-labelledby="online-title" data-testid="online-view" data-current={view.current ?? ''}>
      <header className="panel-header">
        <h2 id="online-title">Online decoding</h2>
        <span className="panel-note">last {PROBABILITY_WINDOW_SEC} s · dashed: chance</span>
        {onStop && (
          <button type="button" className="btn small" onClick={onStop}>
            Stop
          </button>
        )}
      </header>
      <div className="online-body">
        <div className="online-now" title={view.summary}>
          <div className={`online-current ${view.followsCue === true ? 'follows' : view.followsCue === false ? 'misses' : ''}`} data-testid="online-current">
            {view.current ?? '—'}
          </div>
          <div className="online-confidence">{view.confidence}</div>
          <div className="online-cue">{view.cue ? `cue: ${view.cue}` : 'no cue'}</div>
          <ul className="online-bars">
            {view.bars.map((bar, c) => (
              <li key={bar.label} className={bar.current ? 'current' : undefined}>
                <span className="online-bar-label">{bar.label}</span>
                <span className="online-bar-track">
                  <span className="online-bar-fill" style={{ width: `${Number.isFinite(bar.probability) ? bar.probability * 100 : 0}%`, background: traceColor(c) }} />
                </span>
                <span className="online-bar-value">{bar.percent}</span>
              </li>
            ))}
          </ul>
        </div>
        <div className="online-chart" role="img" aria-label={`Class probabilities over the last ${PROBABILITY_WINDOW_SEC} seconds`}>
          <div className="chart-host" ref={hostRef} />
          {!latest.probabilities && <div className="empty-note small">No predictions yet</div>}
        </div>
      </div>
    </section>
  );
}
