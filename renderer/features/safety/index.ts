// Session safety: alerts, the pre-session checklist (the engine computes both).
export { useSafety, type ChecklistView } from './use-safety.js';
export { AlertBanner } from './AlertBanner.js';
export { ChecklistPanel } from './ChecklistPanel.js';
