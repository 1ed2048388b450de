// Keyboard shortcuts, in a modal dialog (native <dialog>: focus trapped, Escape closes).

import { useEffect, useRef } from 'react';

export const SHORTCUTS: readonly (readonly [string, string])[] = [
  ['Space', 'Start / stop streaming'],
  ['N', 'Cycle the notch: off → 50 Hz → 60 Hz'],
  ['+ / −', 'Larger / smaller traces (all channels; only the focused channel when a label has focus)'],
  ['A', 'Autoscale'],
  ['M', 'Add a marker now (into the file while recording)'],
  ['W', 'Cycle the window: 5 → 10 → 20 s'],
  ['S', 'Sweep / scroll'],
  ['← / →', 'On the playback timeline: back / forward 1 s (Shift: 10 s); Home / End; Space plays or pauses'],
  ['Esc', 'Abort a calibration (the other keys wait while its cues are on screen)'],
  ['?', 'This help'],
];

export function HelpDialog({ onClose }: { onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);
  return (
    <dialog ref={ref} className="help-dialog" aria-labelledby="help-title" onClose={onClose} onCancel={onClose}>
      <h2 id="help-title">Keyboard shortcuts</h2>
      <table>
        <tbody>
          {SHORTCUTS.map(([key, what]) => (
            <tr key={key}>
              <th scope="row">
                <kbd>{key}</kbd>
              </th>
              <td>{what}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted">Shortcuts do nothing while a text field or a list has focus. Tab moves through the controls; channel labels are buttons (click hides the channel).</p>
      <form method="dialog">
        <button type="submit" className="btn primary" autoFocus>
          Close
        </button>
      </form>
    </dialog>
  );
}
