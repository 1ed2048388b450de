// The spectrum's React side: the Workstation's low-rate summaries (band powers, mains peaks), the
// channel the spectrum and band powers follow (all visible channels by default; a new montage
// resets it), and what the band-power panel says it shows.

import { useEffect, useState } from 'react';
import type { SpectrumSummary, Workstation } from '../../stream/workstation.js';
import type { StreamShape } from '../../stream/stream-model.js';
import type { SpectrumSelection } from '../../stream/spectrum-chart.js';

export interface SpectrumView {
  readonly summary: SpectrumSummary | null;
  readonly selection: SpectrumSelection;
  readonly setSelection: (selection: SpectrumSelection) => void;
  /** "Fp1", or "mean of 7 channels" (the channels without a quality flag, else all shown). */
  readonly subject: string;
}

export function useSpectrum(workstation: Workstation, shape: StreamShape | null, visible: readonly number[], quality: readonly number[]): SpectrumView {
  const [summary, setSummary] = useState<SpectrumSummary | null>(null);
  useEffect(() => {
    const sub = workstation.onSpectrum.on(setSummary);
    return () => sub.dispose();
  }, [workstation]);

  const [selection, setSelection] = useState<SpectrumSelection>('all');
  const shapeKey = shape ? `${shape.channelCount}:${shape.labels.join(',')}` : '';
  useEffect(() => {
    // a different montage: a channel chosen before may not exist
    setSelection('all');
  }, [shapeKey]);

  const goodCount = visible.filter((c) => !quality[c]).length || visible.length;
  const subject = typeof selection === 'number' ? (shape?.labels[selection] ?? '') : `mean of ${goodCount} channel${goodCount === 1 ? '' : 's'}`;

  return { summary, selection, setSelection, subject };
}
