// The accelerometer view (as the OpenBCI GUI's Accelerometer widget): the board's accelerometer axes
// as labelled traces over the last few seconds, in g, with the current X / Y / Z reading; a plain
// sentence when the board has none. Fed by the RAW frames (the display filters would remove
// gravity); samples go into an AccelHistory outside React, and one animation frame after new ones
// arrived the chart redraws and the readout's text is written straight into its elements.

import { useLayoutEffect, useMemo, useRef } from 'react';
import type { EngineClient } from '../../client/engine-client.js';
import type { BoardDescriptor } from '../../../electron/common/boards/descriptor.js';
import { traceColor } from '../../stream/theme.js';
import { ACCEL_WINDOW_SEC, AccelHistory, accelAxes, formatG, type AccelAxis } from './accelerometer.js';
import { AccelChart } from './accelerometer-chart.js';

/**
 * The shortest time between two redraws (ms): about 15 a second. Measured (bench renderer-views),
 * 30 redraws a second of this small uPlot chart cost the page about a fifth of a core in headless
 * Chromium (software rendering), more than the spectrogram and the head map together.
 */
const MIN_REDRAW_MS = 64;

export function AccelerometerPanel({ client, descriptor }: { client: EngineClient; descriptor: BoardDescriptor | null }) {
  // a new snapshot brings a new descriptor object: the axes (and the history) change only with the layout
  const axesKey = JSON.stringify(accelAxes(descriptor));
  const axes = useMemo(() => JSON.parse(axesKey) as AccelAxis[], [axesKey]);
  const hostRef = useRef<HTMLDivElement>(null);
  const panelRef = useRef<HTMLElement>(null);
  const valueRefs = useRef<(HTMLSpanElement | null)[]>([]);
  const channelCount = descriptor?.channels.length ?? 0;
  const rateHz = descriptor?.sampleRateHz ?? 0;

  useLayoutEffect(() => {
    const host = hostRef.current;
    const panel = panelRef.current;
    if (!host || !panel || axes.length === 0 || !(rateHz > 0)) return;
    const history = new AccelHistory();
    history.configure(
      axes.map((a) => a.channel),
      rateHz,
    );
    const chart = new AccelChart(
      host,
      history,
      axes.map((a) => a.name),
    );
    const current = new Float64Array(axes.length);
    let shownReading = -2;
    const observer = new ResizeObserver((entries) => {
      const rect = entries[0].contentRect;
      chart.setSize(Math.floor(rect.width), Math.floor(rect.height));
      chart.render();
    });
    observer.observe(host);
    // at most one redraw per MIN_REDRAW_MS (a 5 s trace moves ~5 px in that time): the main thread
    // is left to the traces
    let raf = 0;
    let drawnAtMs = -Infinity;
    const draw = (now: number) => {
      raf = 0;
      if (now - drawnAtMs < MIN_REDRAW_MS) {
        raf = requestAnimationFrame(draw);
        return;
      }
      drawnAtMs = now;
      chart.render();
      const reading = history.latest(current);
      if (reading === shownReading) return;
      shownReading = reading;
      for (let a = 0; a < axes.length; a++) {
        const el = valueRefs.current[a];
        if (el) el.textContent = formatG(current[a]);
      }
      // full precision for tests and tools: the values in g, and the sample index of the reading
      panel.dataset.values = Array.from(current).join(',');
      panel.dataset.reading = String(reading);
      panel.dataset.held = String(history.heldRows);
    };
    const sub = client.onFrame((frame) => {
      if (frame.kind !== 'raw' || frame.channelCount !== channelCount || frame.sampleCount === 0) return;
      history.push(frame.samples, frame.channelCount, frame.sampleCount, frame.firstSampleIndex);
      if (raf === 0) raf = requestAnimationFrame(draw);
    });
    return () => {
      cancelAnimationFrame(raf);
      sub.dispose();
      observer.disconnect();
      chart.destroy();
      delete panel.dataset.values;
      delete panel.dataset.reading;
    };
  }, [client, axes, channelCount, rateHz]);

  return (
    <section ref={panelRef} className="panel accel-panel" aria-label="Accelerometer" data-testid="accel-panel" data-axes={axes.length}>
      <div className="panel-header">
        <h2>Accelerometer</h2>
        {axes.length > 0 && <span className="panel-note">last {ACCEL_WINDOW_SEC} s · g</span>}
      </div>
      {descriptor === null ? (
        <p className="record-note">Connect a board to see its accelerometer.</p>
      ) : axes.length === 0 ? (
        <p className="record-note" data-testid="accel-none">
          This board has no accelerometer.
        </p>
      ) : (
        <>
          <div className="accel-readout">
            {axes.map((a, i) => (
              <span key={a.channel} className="accel-axis" title={a.label}>
                <span className="accel-name" style={{ color: traceColor(i) }}>
                  {a.name}
                </span>
                <span className="accel-value" data-testid={`accel-value-${a.name}`} ref={(el) => void (valueRefs.current[i] = el)}>
                  —
                </span>
              </span>
            ))}
          </div>
          <div className="accel-chart" role="img" aria-label={`Accelerometer, ${axes.map((a) => a.name).join(', ')}, over the last ${ACCEL_WINDOW_SEC} seconds`}>
            <div className="chart-host" ref={hostRef} data-testid="accel-chart" />
          </div>
          <div className="axis-note">Between the board&apos;s readings the last one is held.</div>
        </>
      )}
    </section>
  );
}
