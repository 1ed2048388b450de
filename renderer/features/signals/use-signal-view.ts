// The time series' view settings as React holds them (window, sweep or scroll, global and
// per-channel scales, hidden channels, baseline removal), the channels' quality flags from the
// Workstation, and the steps the toolbar and the hotkeys take. A new montage clears the
// per-channel settings.

import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { DEFAULT_WINDOW_SEC, type QualitySnapshot, type Workstation } from '../../stream/workstation.js';
import type { StreamShape } from '../../stream/stream-model.js';
import { DEFAULT_SCALE_UV, WINDOW_CHOICES_SEC, autoscaleGlobal, stepScale } from './scale.js';
import type { TimeSeriesSettings } from './TimeSeriesPanel.js';

const DEFAULT_SETTINGS: TimeSeriesSettings = { windowSec: DEFAULT_WINDOW_SEC, mode: 'sweep', globalScaleUv: DEFAULT_SCALE_UV, channelScaleUv: {}, hidden: {}, removeBaseline: true, rows: 'fit' };

export interface SignalView {
  readonly settings: TimeSeriesSettings;
  /** Per channel: 0 when fine, else railed / flat flags (stream/channel-quality). */
  readonly quality: readonly number[];
  /** The channels shown, in order (the same array while the set is unchanged). */
  readonly visible: readonly number[];
  readonly change: (change: Partial<TimeSeriesSettings>) => void;
  readonly setHidden: (hidden: Record<number, boolean>) => void;
  readonly resetScales: () => void;
  readonly globalScaleStep: (steps: number) => void;
  readonly channelScaleStep: (channel: number, steps: number) => void;
  readonly autoscale: () => void;
  /** W: 5 → 10 → 20 s. */
  readonly cycleWindow: () => void;
  /** S: sweep ↔ scroll. */
  readonly toggleMode: () => void;
}

export function useSignalView(workstation: Workstation, shape: StreamShape | null): SignalView {
  const [quality, setQuality] = useState<readonly number[]>([]);
  useEffect(() => {
    const sub = workstation.onQuality.on((q: QualitySnapshot) => setQuality(q.flags));
    return () => sub.dispose();
  }, [workstation]);

  const [settings, setSettings] = useState<TimeSeriesSettings>(DEFAULT_SETTINGS);
  const settingsRef = useRef(settings);
  settingsRef.current = settings;
  const shapeKey = shape ? `${shape.channelCount}:${shape.labels.join(',')}` : '';
  useEffect(() => {
    // a different montage: per-channel settings no longer apply
    setSettings((s) => ({ ...s, channelScaleUv: {}, hidden: {} }));
  }, [shapeKey]);

  const change = useCallback((c: Partial<TimeSeriesSettings>) => setSettings((s) => ({ ...s, ...c })), []);
  const setHidden = useCallback((hidden: Record<number, boolean>) => setSettings((s) => ({ ...s, hidden })), []);
  const resetScales = useCallback(() => setSettings((s) => ({ ...s, channelScaleUv: {} })), []);
  const globalScaleStep = useCallback((steps: number) => setSettings((s) => ({ ...s, globalScaleUv: stepScale(s.globalScaleUv, steps) })), []);
  const channelScaleStep = useCallback(
    (channel: number, steps: number) =>
      setSettings((s) => {
        const current = s.channelScaleUv[channel] ?? s.globalScaleUv;
        return { ...s, channelScaleUv: { ...s.channelScaleUv, [channel]: stepScale(current, steps) } };
      }),
    [],
  );
  const autoscale = useCallback(() => {
    const buffer = workstation.model.timeSeries;
    if (!buffer) return;
    const s = settingsRef.current;
    const p2p: number[] = [];
    for (let c = 0; c < buffer.channelCount; c++) if (!s.hidden[c] && quality[c] === 0) p2p.push(buffer.peakToPeak(c));
    const scale = autoscaleGlobal(p2p);
    if (scale !== null) setSettings((old) => ({ ...old, globalScaleUv: scale, channelScaleUv: {} }));
  }, [workstation, quality]);
  const cycleWindow = useCallback(() => setSettings((s) => ({ ...s, windowSec: WINDOW_CHOICES_SEC[(WINDOW_CHOICES_SEC.indexOf(s.windowSec) + 1) % WINDOW_CHOICES_SEC.length] })), []);
  const toggleMode = useCallback(() => setSettings((s) => ({ ...s, mode: s.mode === 'sweep' ? 'scroll' : 'sweep' })), []);

  const visibleNow = useMemo(() => {
    const v: number[] = [];
    for (let c = 0; c < (shape?.channelCount ?? 0); c++) if (!settings.hidden[c]) v.push(c);
    return v;
  }, [shape, settings.hidden]);
  const visibleKey = visibleNow.join(',');
  const visible = useMemo(() => visibleNow, [visibleKey]);

  return { settings, quality, visible, change, setHidden, resetScales, globalScaleStep, channelScaleStep, autoscale, cycleWindow, toggleMode };
}
