// The head map: the montage's 10-20 positions on a flat head, each electrode coloured by the
// engine's signal quality (level) or its RMS, from the worker's per-second quality summaries.

import { useEffect, useMemo, useRef, useState } from 'react';
import type { QualitySummary } from '../../../electron/common/contract/quality.js';
import { LEVEL_COLOURS, headMapPoints, rmsColour } from './head-map.js';
import { fitCanvas } from '../../ui/canvas.js';

const SIZE = 200;

export function HeadMapPanel({ labels, positions, quality }: { labels: readonly string[]; positions?: readonly (string | undefined)[]; quality: QualitySummary | null }) {
  const canvas = useRef<HTMLCanvasElement | null>(null);
  const [mode, setMode] = useState<'quality' | 'rms'>('quality');
  const points = useMemo(() => headMapPoints(labels, positions), [labels, positions]);
  const draws = useRef(0);

  useEffect(() => {
    const c = canvas.current;
    const fitted = c ? fitCanvas(c, SIZE, SIZE) : null;
    if (!c || !fitted) return;
    const { ctx } = fitted;
    ctx.clearRect(0, 0, SIZE, SIZE);
    ctx.strokeStyle = '#8a93a0';
    ctx.lineWidth = 1.5;
    ctx.beginPath();
    ctx.arc(SIZE / 2, SIZE / 2, SIZE * 0.36 + 6, 0, 2 * Math.PI);
    ctx.moveTo(SIZE / 2 - 10, SIZE / 2 - SIZE * 0.36 - 4);
    ctx.lineTo(SIZE / 2, SIZE / 2 - SIZE * 0.36 - 16);
    ctx.lineTo(SIZE / 2 + 10, SIZE / 2 - SIZE * 0.36 - 4);
    ctx.stroke();
    for (const p of points) {
      const q = quality?.channels[p.channel];
      ctx.fillStyle = !q ? LEVEL_COLOURS.unknown : mode === 'quality' ? LEVEL_COLOURS[q.level] : rmsColour(q.rmsUv);
      ctx.beginPath();
      ctx.arc(p.x * SIZE, p.y * SIZE, 9, 0, 2 * Math.PI);
      ctx.fill();
      ctx.fillStyle = '#fff';
      ctx.font = '8px sans-serif';
      ctx.textAlign = 'center';
      ctx.fillText(p.label, p.x * SIZE, p.y * SIZE + 3);
    }
    draws.current++;
    c.dataset.draws = String(draws.current);
    c.dataset.window = String(quality?.firstSampleIndex ?? -1);
  }, [points, quality, mode]);

  return (
    <section className="panel headmap-panel" aria-label="Head map">
      <div className="panel-header">
        <h2>Head map</h2>
        <select className="panel-note" data-testid="headmap-mode" aria-label="Head map shows" value={mode} onChange={(e) => setMode(e.target.value === 'rms' ? 'rms' : 'quality')}>
          <option value="quality">Signal quality</option>
          <option value="rms">RMS (µV)</option>
        </select>
      </div>
      <canvas ref={canvas} className="headmap" data-testid="headmap" data-electrodes={points.length} data-labels={points.map((p) => p.label).join(' ')} width={SIZE} height={SIZE} />
      {points.length === 0 && <p className="record-note">No channel has a 10-20 label.</p>}
    </section>
  );
}
