// The pre-session checklist as the engine computes it: green and red items with what to do, and
// whether Record waits for it ("Enforce before recording", remembered; a clinic turns it on).

import type { ChecklistView } from './use-safety.js';

export function ChecklistPanel({ checklist, enforced, onEnforced }: { checklist: ChecklistView | null; enforced: boolean; onEnforced: (on: boolean) => void }) {
  return (
    <section className="panel checklist-panel" aria-label="Pre-session checklist" data-testid="checklist" data-ready={checklist?.ready ?? false}>
      <div className="panel-header">
        <h2>Checklist</h2>
        <label className="panel-note">
          <input type="checkbox" data-testid="checklist-enforce" checked={enforced} onChange={(e) => onEnforced(e.target.checked)} /> Enforce before recording
        </label>
      </div>
      {!checklist ? (
        <p className="record-note">Connect a board to see the checklist.</p>
      ) : (
        <ul className="checklist">
          {checklist.items.map((item) => (
            <li key={item.id} className={item.ok ? 'ok' : 'red'} data-testid={`check-${item.id}`} data-ok={item.ok}>
              <span className="check-dot" aria-hidden="true" />
              <span className="check-title">{item.title}</span>
              <span className="check-detail">{item.detail}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
