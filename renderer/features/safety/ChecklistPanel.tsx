// The pre-session checklist as the engine computes it: green and red items with what to do, and
// whether Record waits for it ("Enforce before recording", remembered; a clinic turns it on). A
// red impedance item offers the override with a written reason (ImpedanceOverride).

import type { ChecklistView } from './use-safety.js';
import { ImpedanceOverride, type OverrideProps } from './ImpedanceOverride.js';
import './safety.css';

export function ChecklistPanel({ checklist, enforced, onEnforced, override }: { checklist: ChecklistView | null; enforced: boolean; onEnforced: (on: boolean) => void; override?: OverrideProps | null }) {
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
              {item.id === 'impedance' && !item.ok && override && (
                <span className="check-action">
                  <ImpedanceOverride {...override} />
                </span>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
