// The time-series panel: toolbar (sweep/scroll, window, scale, autoscale, baseline, channels,
// marker), the channel label column (label, scale, railed/flat badge; click a label to hide the
// channel), the chart host and the legend of the label marks. At many channels the visible ones go
// in pages of as many rows as fit at a readable height ("Fit"), or all at once ("All"); labels are
// distinct and shortened in the middle. React owns this layout; the chart is drawn by the
// Workstation's loop from its own buffers.

import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { Workstation } from '../../stream/workstation.js';
import type { StreamShape } from '../../stream/stream-model.js';
import type { SweepMode } from '../../stream/time-series-buffer.js';
import { TIME_AXIS_HEIGHT, TimeSeriesChart } from '../../stream/time-series-chart.js';
import { QUALITY_FLAT, QUALITY_RAILED } from '../../stream/channel-quality.js';
import { WINDOW_CHOICES_SEC, formatScale } from './scale.js';
import { traceColor } from '../../stream/theme.js';
import { distinctLabels, middleEllipsis, pageOf, rowsThatFit } from './channel-labels.js';

/** Characters of a label in the label column (the column is 132 px wide). */
const LABEL_CHARS = 12;

export interface TimeSeriesSettings {
  readonly windowSec: number;
  readonly mode: SweepMode;
  readonly globalScaleUv: number;
  /** Per-channel overrides (µV/div), by channel index. */
  readonly channelScaleUv: Readonly<Record<number, number>>;
  /** Hidden channels, by channel index. */
  readonly hidden: Readonly<Record<number, boolean>>;
  readonly removeBaseline: boolean;
  /** 'fit': pages of the rows that fit at a readable height; 'all': every visible channel at once. */
  readonly rows: 'fit' | 'all';
}

interface Props {
  readonly workstation: Workstation;
  readonly shape: StreamShape | null;
  readonly settings: TimeSeriesSettings;
  readonly quality: readonly number[];
  readonly streaming: boolean;
  readonly canMark: boolean;
  /** A recording is in progress: markers go into its file. */
  readonly recording: boolean;
  readonly onSettings: (change: Partial<TimeSeriesSettings>) => void;
  readonly onGlobalScaleStep: (steps: number) => void;
  readonly onChannelScaleStep: (channel: number, steps: number) => void;
  readonly onAutoscale: () => void;
  readonly onMarker: () => void;
}

export function scaleOf(settings: TimeSeriesSettings, channel: number): number {
  return settings.channelScaleUv[channel] ?? settings.globalScaleUv;
}

export function TimeSeriesPanel(props: Props) {
  const { workstation, shape, settings, quality } = props;
  const hostRef = useRef<HTMLDivElement>(null);
  const chartRef = useRef<TimeSeriesChart | null>(null);
  const windowRef = useRef(settings.windowSec);
  const [plotHeight, setPlotHeight] = useState(0);

  const channelCount = shape?.channelCount ?? 0;
  const shown: number[] = [];
  for (let c = 0; c < channelCount; c++) if (!settings.hidden[c]) shown.push(c);
  const [pageIndex, setPageIndex] = useState(0);
  const page = pageOf(shown, settings.rows === 'fit' ? rowsThatFit(plotHeight) : 0, pageIndex);
  const visible = page.channels;
  const visibleKey = visible.join(',');
  const labels = shape ? distinctLabels(shape.labels) : [];

  // the chart lives as long as the panel; the loop draws it
  useLayoutEffect(() => {
    const host = hostRef.current!;
    const chart = workstation.attachTimeSeries(host);
    chartRef.current = chart;
    const observer = new ResizeObserver((entries) => {
      const rect = entries[0].contentRect;
      const width = Math.floor(rect.width);
      const height = Math.floor(rect.height);
      chart.setSize(width, height);
      workstation.model.setLayout(windowRef.current, TimeSeriesChart.plotColumns(width));
      setPlotHeight(Math.max(0, height - TIME_AXIS_HEIGHT));
    });
    observer.observe(host);
    return () => {
      observer.disconnect();
      workstation.detachTimeSeries(chart);
      chartRef.current = null;
    };
  }, [workstation]);

  useEffect(() => {
    windowRef.current = settings.windowSec;
    const host = hostRef.current;
    if (host) workstation.model.setLayout(settings.windowSec, TimeSeriesChart.plotColumns(host.clientWidth));
  }, [workstation, settings.windowSec]);

  useEffect(() => {
    workstation.model.setRemoveBaseline(settings.removeBaseline);
  }, [workstation, settings.removeBaseline]);

  useEffect(() => {
    const scales: number[] = [];
    for (let c = 0; c < channelCount; c++) scales.push(scaleOf(settings, c));
    chartRef.current?.setView({ channels: visibleKey === '' ? [] : visibleKey.split(',').map(Number), scaleUv: scales, mode: settings.mode });
  }, [channelCount, visibleKey, settings]);

  const rowHeight = visible.length > 0 ? plotHeight / visible.length : 0;
  const density = rowHeight >= 34 ? 'roomy' : rowHeight >= 17 ? 'normal' : 'compact';
  const hiddenCount = channelCount - shown.length;

  return (
    <section
      className="panel ts-panel"
      aria-label="Time series"
      onKeyDown={(e) => {
        if (page.pageCount < 2 || (e.key !== 'PageUp' && e.key !== 'PageDown')) return;
        e.preventDefault();
        setPageIndex(page.page + (e.key === 'PageDown' ? 1 : -1));
      }}
    >
      <div className="ts-toolbar" role="toolbar" aria-label="Time-series display">
        <div className="segmented" role="group" aria-label="Display mode">
          {(['sweep', 'scroll'] as const).map((m) => (
            <button key={m} type="button" className={settings.mode === m ? 'seg on' : 'seg'} aria-pressed={settings.mode === m} onClick={() => props.onSettings({ mode: m })} title="Sweep or scroll (S)">
              {m === 'sweep' ? 'Sweep' : 'Scroll'}
            </button>
          ))}
        </div>
        <div className="segmented" role="group" aria-label="Window length">
          {WINDOW_CHOICES_SEC.map((w) => (
            <button key={w} type="button" className={settings.windowSec === w ? 'seg on' : 'seg'} aria-pressed={settings.windowSec === w} onClick={() => props.onSettings({ windowSec: w })} title="Window length (W cycles)">
              {w} s
            </button>
          ))}
        </div>
        <div className="scale-control" role="group" aria-label="Vertical scale">
          <button type="button" className="btn icon" onClick={() => props.onGlobalScaleStep(1)} title="Smaller traces: more µV per division (−)" aria-label="Smaller traces">
            −
          </button>
          <span className="scale-value" title="Vertical scale of every channel without its own: µV per division (one channel band)">{formatScale(settings.globalScaleUv)}/div</span>
          <button type="button" className="btn icon" onClick={() => props.onGlobalScaleStep(-1)} title="Larger traces: fewer µV per division (+)" aria-label="Larger traces">
            +
          </button>
        </div>
        <button type="button" className="btn" onClick={props.onAutoscale} disabled={!shape} title="Fit the scale to the signals on screen (A)">
          Autoscale
        </button>
        <label className="check" title="Subtract each channel's slow baseline (2 s) for display only">
          <input type="checkbox" checked={settings.removeBaseline} onChange={(e) => props.onSettings({ removeBaseline: e.target.checked })} />
          <span>Remove DC</span>
        </label>
        <div className="segmented" role="group" aria-label="Channel rows">
          {(['fit', 'all'] as const).map((r) => (
            <button
              key={r}
              type="button"
              className={settings.rows === r ? 'seg on' : 'seg'}
              aria-pressed={settings.rows === r}
              onClick={() => props.onSettings({ rows: r })}
              title={r === 'fit' ? 'Pages of the channels that fit at a readable height' : 'Every channel at once (small rows at many channels)'}
            >
              {r === 'fit' ? 'Fit' : 'All'}
            </button>
          ))}
        </div>
        {page.pageCount > 1 && (
          <div className="pager" role="group" aria-label="Channel pages" data-testid="channel-pager">
            <button type="button" className="btn icon" onClick={() => setPageIndex(page.page - 1)} disabled={page.page === 0} aria-label="Previous channels" title="Previous channels (Page Up)">
              ‹
            </button>
            <span className="pager-value" data-testid="channel-page">
              {page.first}–{page.last} of {shown.length}
            </span>
            <button type="button" className="btn icon" onClick={() => setPageIndex(page.page + 1)} disabled={page.page === page.pageCount - 1} aria-label="Next channels" title="Next channels (Page Down)">
              ›
            </button>
          </div>
        )}
        <span className="toolbar-spacer" />
        <button
          type="button"
          className={props.recording ? 'btn marker-button into-recording' : 'btn marker-button'}
          data-testid="marker"
          onClick={props.onMarker}
          disabled={!props.canMark}
          title={props.recording ? 'Add a marker now (M): it goes into the recording' : 'Add a marker now (M)'}
        >
          {props.recording && <span className="rec-dot live small" aria-hidden="true" />}
          {props.recording ? 'Marker → file' : 'Marker'}
        </button>
      </div>
      <div className="ts-body">
        <div className={`ts-labels ${density}`} style={{ paddingBottom: TIME_AXIS_HEIGHT }}>
          {visible.map((c) => {
            const flag = quality[c] ?? 0;
            const cls = flag === QUALITY_RAILED ? 'railed' : flag === QUALITY_FLAT ? 'flat' : '';
            const own = settings.channelScaleUv[c] !== undefined;
            return (
              <div key={c} className={`ts-label ${cls}`} data-channel={c}>
                <span className="ts-swatch" style={{ backgroundColor: traceColor(c) }} />
                <button
                  type="button"
                  className="ts-name"
                  data-channel={c}
                  onClick={() => props.onSettings({ hidden: { ...settings.hidden, [c]: true } })}
                  title={`${labels[c] ?? c}: click to hide; focus and press + / − to scale this channel alone`}
                  aria-label={`${labels[c] ?? `Channel ${c + 1}`}: hide`}
                >
                  {middleEllipsis(labels[c] ?? `Ch${c + 1}`, LABEL_CHARS)}
                </button>
                {flag === QUALITY_RAILED && (
                  <span className="badge railed" title="Railed: the raw signal reached the amplifier's full scale (electrode off or saturated)">
                    RAIL
                  </span>
                )}
                {flag === QUALITY_FLAT && (
                  <span className="badge flat" title="Flat: the signal barely moves (input off or shorted)">
                    FLAT
                  </span>
                )}
                <span className={own ? 'ts-scale own' : 'ts-scale'}>{formatScale(scaleOf(settings, c))}</span>
                <span className="ts-scale-buttons">
                  <button type="button" tabIndex={-1} className="mini" onClick={() => props.onChannelScaleStep(c, 1)} aria-label={`Smaller trace for ${labels[c]}`}>
                    −
                  </button>
                  <button type="button" tabIndex={-1} className="mini" onClick={() => props.onChannelScaleStep(c, -1)} aria-label={`Larger trace for ${labels[c]}`}>
                    +
                  </button>
                </span>
              </div>
            );
          })}
        </div>
        <div className="ts-chart" data-testid="timeseries" role="img" aria-label={shape ? `EEG time series, ${visible.length} channels, ${settings.windowSec} s ${settings.mode}` : 'EEG time series (no board)'}>
          <div className="chart-host" ref={hostRef} />
          {!shape && <div className="empty-note">No board connected. Choose a board and press Connect, then Start.</div>}
          {shape && !props.streaming && <div className="pill-note">Not streaming. Press Start (Space).</div>}
          {shape && shown.length === 0 && <div className="empty-note">All channels are hidden: choose some in the Channels panel.</div>}
        </div>
      </div>
      <div className="ts-legend" data-testid="trace-legend" aria-label="What the label marks mean">
        <span>
          <span className="badge railed">RAIL</span> reached the amplifier&apos;s full scale (electrode off or saturated)
        </span>
        <span>
          <span className="badge flat">FLAT</span> barely moves (input off or shorted)
        </span>
        <span>
          <span className="ts-scale">µV</span> per division; <span className="ts-scale own">µV</span> the channel&apos;s own scale
        </span>
      </div>
      {hiddenCount > 0 && shown.length > 0 && (
        <div className="ts-hidden-note">
          {hiddenCount} hidden ·{' '}
          <button type="button" className="link" onClick={() => props.onSettings({ hidden: {} })}>
            show all
          </button>
        </div>
      )}
    </section>
  );
}
