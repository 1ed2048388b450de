// The assistive feature: the full-screen selection view a clinician opens beside the workstation
// (`?view=assistive` in `bci serve`, the desktop app's second window): setup, large targets with
// the dwell's progress, the selection shown large (with a tone and speech), an always-visible stop
// (Escape too), the gate's reason in plain words, and a photosensitivity warning before SSVEP flicker.

export { AssistiveView } from './AssistiveView.js';
export { AssistBanner } from './AssistBanner.js';
export { requestOfForm, DEFAULT_FORM, type AssistForm } from './setup.js';
