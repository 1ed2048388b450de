// The alert banner: every alert the engine raised and nobody acknowledged yet, newest first, each
// with its Acknowledge button (the acknowledgement is logged with the recording). Red for critical,
// amber for warnings; a sound cue plays when one arrives (use-safety).

import type { Alert } from '../../../electron/common/contract/alerts.js';

export function AlertBanner({ alerts, cues, onAcknowledge }: { alerts: readonly Alert[]; cues: number; onAcknowledge: (id: number) => void }) {
  if (alerts.length === 0) return null;
  const shown = [...alerts].reverse().slice(0, 4);
  return (
    <div className="alert-banner" role="alert" data-testid="alert-banner" data-count={alerts.length} data-cues={cues}>
      {shown.map((a) => (
        <div key={a.id} className={`alert-row ${a.severity}`} data-testid={`alert-${a.id}`} data-rule={a.rule}>
          <span className="alert-rule">{a.rule}{a.channel ? ` · ${a.channel}` : ''}</span>
          <span className="alert-message">{a.message}</span>
          <button type="button" className="btn small" data-testid={`alert-ack-${a.id}`} onClick={() => onAcknowledge(a.id)}>
            Acknowledge
          </button>
        </div>
      ))}
      {alerts.length > shown.length && <div className="alert-more">and {alerts.length - shown.length} more</div>}
    </div>
  );
}
