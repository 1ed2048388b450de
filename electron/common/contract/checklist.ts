// The pre-session checklist: items the engine computes (board streaming at its rate, impedance,
// signal quality, mains, disk, protocol and consent), each green or red with what to do. The UI
// shows them as a list and its Start button names the red ones.

export const CHECKLIST_ITEMS = ['board', 'impedance', 'quality', 'mains', 'disk', 'ethics'] as const;
export type ChecklistItemId = (typeof CHECKLIST_ITEMS)[number];

export interface ChecklistItem {
  readonly id: ChecklistItemId;
  readonly ok: boolean;
  /** Short name for the list ("Board streaming"). */
  readonly title: string;
  /** What is the case, and when red what to do (one sentence). */
  readonly detail: string;
}
