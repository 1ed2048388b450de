// Session safety: alerts, the pre-session checklist (the engine computes both) with its impedance
// override, and the operator's alert rules.
export { useSafety, type ChecklistView } from './use-safety.js';
export { AlertBanner } from './AlertBanner.js';
export { ChecklistPanel } from './ChecklistPanel.js';
export { AlertRulesPanel } from './AlertRulesPanel.js';
export { useAlertRules, type AlertRulesView } from './use-alert-rules.js';
export { overrideChannels } from './impedance-override.js';
