// The spectrogram view: time-frequency of one chosen channel, scrolling right to left, 0-60 Hz,
// from the filtered frames (the display filters apply). The canvas shifts by one column per hop;
// samples never pass through React state.

import { useEffect, useRef, useState } from 'react';
import type { EngineClient } from '../../client/engine-client.js';
import type { BoardDescriptor } from '../../../electron/common/boards/descriptor.js';
import { Spectrogram } from './spectrogram.js';
import { fitCanvas } from '../../ui/canvas.js';

const WIDTH = 300;
const HEIGHT = 120;

/** dB to a colour from dark blue through green to yellow, over a 50 dB range below the top. */
function colour(db: number, topDb: number): string {
  const t = Math.max(0, Math.min(1, (db - (topDb - 50)) / 50));
  return `hsl(${Math.round(240 - 180 * t)}, 80%, ${Math.round(15 + 45 * t)}%)`;
}

export function SpectrogramPanel({ client, descriptor }: { client: EngineClient; descriptor: BoardDescriptor | null }) {
  const canvas = useRef<HTMLCanvasElement | null>(null);
  const [channel, setChannel] = useState(0);
  const columns = useRef(0);
  const channels = descriptor?.channels ?? [];
  const ch = Math.min(channel, Math.max(0, channels.length - 1));

  useEffect(() => {
    if (!descriptor) return;
    const spectrogram = new Spectrogram(descriptor.sampleRateHz);
    let topDb = 40;
    // drawn in device pixels: one column per hop is `ratio` device pixels wide
    const fitted = canvas.current ? fitCanvas(canvas.current, WIDTH, HEIGHT) : null;
    const paint = (column: Float64Array) => {
      const c = canvas.current;
      if (!c || !fitted) return;
      const { ctx, ratio } = fitted;
      ctx.setTransform(1, 0, 0, 1, 0, 0);
      ctx.drawImage(c, -ratio, 0);
      const rowHeight = (HEIGHT * ratio) / column.length;
      let max = -Infinity;
      for (let k = 0; k < column.length; k++) {
        if (column[k] > max) max = column[k];
        ctx.fillStyle = colour(column[k], topDb);
        ctx.fillRect(c.width - ratio, c.height - (k + 1) * rowHeight, ratio, Math.ceil(rowHeight));
      }
      topDb = 0.95 * topDb + 0.05 * max;
      columns.current++;
      c.dataset.columns = String(columns.current);
    };
    const sub = client.onFrame((frame) => {
      if (frame.kind !== 'filtered' || frame.channelCount !== descriptor.channels.length) return;
      spectrogram.push(frame.samples, ch, frame.channelCount, frame.sampleCount, paint);
    });
    return () => sub.dispose();
  }, [client, descriptor, ch]);

  return (
    <section className="panel spectrogram-panel" aria-label="Spectrogram">
      <div className="panel-header">
        <h2>Spectrogram</h2>
        <select className="panel-note" data-testid="spectrogram-channel" aria-label="Spectrogram channel" value={ch} onChange={(e) => setChannel(Number(e.target.value))} disabled={channels.length === 0}>
          {channels.map((c, i) => (
            <option key={c.label + i} value={i}>
              {c.label}
            </option>
          ))}
        </select>
      </div>
      <canvas ref={canvas} className="spectrogram" data-testid="spectrogram" width={WIDTH} height={HEIGHT} aria-label="0 to 60 Hz, newest on the right" />
      <div className="axis-note">0-60 Hz · newest on the right</div>
    </section>
  );
}
