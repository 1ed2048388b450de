// The views beside the traces, each one opened or closed by the operator (a row of toggles): the
// spectrogram, the head map, the accelerometer. Closed views are not mounted.

import { useCallback, useMemo, useState } from 'react';
import type { EngineClient } from '../../client/engine-client.js';
import type { BoardDescriptor } from '../../../electron/common/boards/descriptor.js';
import type { QualitySummary } from '../../../electron/common/contract/quality.js';
import { SpectrogramPanel } from './SpectrogramPanel.js';
import { HeadMapPanel } from './HeadMapPanel.js';
import { AccelerometerPanel } from './AccelerometerPanel.js';
import { VIEW_IDS, VIEW_TITLES, VIEWS_KEY, initialViews, storedViews, type ViewId } from './views.js';

function startViews(): ViewId[] {
  let stored: string | null = null;
  try {
    stored = localStorage.getItem(VIEWS_KEY);
  } catch {
    // storage unavailable: the defaults
  }
  return initialViews(location.search, stored);
}

export function ViewPanels({ client, descriptor, labels, quality }: { client: EngineClient; descriptor: BoardDescriptor | null; labels: readonly string[]; quality: QualitySummary | null }) {
  const [open, setOpen] = useState<ViewId[]>(startViews);
  // an applied montage's 10-20 positions ('' for none) place the head map's electrodes
  const positions = useMemo(() => descriptor?.channels.map((c) => c.position), [descriptor]);
  const toggle = useCallback((id: ViewId) => {
    setOpen((was) => {
      const next = was.includes(id) ? was.filter((v) => v !== id) : [...was, id];
      try {
        localStorage.setItem(VIEWS_KEY, storedViews(next));
      } catch {
        // not kept: still applies now
      }
      return next;
    });
  }, []);
  return (
    <>
      <div className="view-toggles" role="group" aria-label="Views" data-testid="view-toggles">
        <span className="view-toggles-title">Views</span>
        {VIEW_IDS.map((id) => (
          <label key={id} className="view-toggle">
            <input type="checkbox" data-testid={`view-${id}`} checked={open.includes(id)} onChange={() => toggle(id)} />
            {VIEW_TITLES[id]}
          </label>
        ))}
      </div>
      {open.includes('spectrogram') && <SpectrogramPanel client={client} descriptor={descriptor} />}
      {open.includes('headmap') && <HeadMapPanel labels={labels} positions={positions} quality={quality} />}
      {open.includes('accel') && <AccelerometerPanel client={client} descriptor={descriptor} />}
    </>
  );
}
