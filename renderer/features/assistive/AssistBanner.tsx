// The workstation window's view of a running assistive session: one line saying it runs (or is
// stopped, or paused and why) and a STOP button, so the operator can halt every output from the
// main window too. Nothing while no session runs.

import { useEffect, useState } from 'react';
import type { EngineClient } from '../../client/engine-client.js';
import { INACTIVE_ASSIST, type AssistState } from '../../../electron/common/contract/assistive.js';

export function AssistBanner({ client }: { client: EngineClient }) {
  const [assist, setAssist] = useState<AssistState>(INACTIVE_ASSIST);
  useEffect(() => {
    const sub = client.onEvent((event) => {
      if (event.type === 'assist') setAssist(event.state);
    });
    client.invoke('getAssist').then(setAssist, () => undefined);
    return () => sub.dispose();
  }, [client]);
  if (!assist.active) return null;
  const reason = assist.view?.suspendedReason;
  return (
    <div className="assist-banner" role="status" data-testid="assist-banner">
      <span>
        Assistive session {assist.stopped ? 'STOPPED' : reason ? `paused: ${reason}` : 'running'} · {assist.selections} selections
      </span>
      {assist.stopped ? (
        <button type="button" className="btn" onClick={() => client.invoke('resumeAssist', { source: 'main-window' }).then(setAssist, () => undefined)}>
          Resume
        </button>
      ) : (
        <button type="button" className="btn danger" onClick={() => client.invoke('stopAssist', { source: 'main-window' }).then(setAssist, () => undefined)}>
          STOP assistive outputs
        </button>
      )}
    </div>
  );
}
