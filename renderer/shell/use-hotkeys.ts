// The workstation's single-key shortcuts (listed in HelpDialog): one keydown listener on the
// window that leaves text entry, dialogs and modified keys alone and calls the latest actions.

import { useEffect, useRef } from 'react';

export interface HotkeyActions {
  /** Space (unless a button or checkbox has focus). */
  readonly startStop: () => void;
  /** N. */
  readonly cycleNotch: () => void;
  /** + / − with no channel label focused. */
  readonly globalScaleStep: (steps: number) => void;
  /** + / − on a focused channel label (`data-channel`). */
  readonly channelScaleStep: (channel: number, steps: number) => void;
  /** A. */
  readonly autoscale: () => void;
  /** M (an M1, M2, … marker). */
  readonly addMarker: () => void;
  /** 1-9: a marker with that key's label (index 0-8). */
  readonly addHotkeyMarker: (index: number) => void;
  /** W. */
  readonly cycleWindow: () => void;
  /** S. */
  readonly toggleMode: () => void;
  /** ?. */
  readonly openHelp: () => void;
}

function isTextEntry(el: Element | null): boolean {
  if (!el) return false;
  const tag = el.tagName;
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag === 'INPUT') {
    const type = (el as HTMLInputElement).type;
    return type !== 'checkbox' && type !== 'radio' && type !== 'button' && type !== 'submit';
  }
  return (el as HTMLElement).isContentEditable === true;
}

export function useHotkeys(actions: HotkeyActions): void {
  const keyActions = useRef(actions);
  keyActions.current = actions;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey) return;
      const target = e.target instanceof Element ? e.target : null;
      if (isTextEntry(target) || target?.closest('dialog')) return;
      const a = keyActions.current;
      const channelAttr = target?.getAttribute('data-channel');
      const focusedChannel = channelAttr === null || channelAttr === undefined ? null : Number(channelAttr);
      switch (e.key) {
        case ' ':
          // a focused button or checkbox takes Space itself
          if (target && target.closest('button, summary, input, a')) return;
          e.preventDefault();
          a.startStop();
          break;
        case 'n':
        case 'N':
          a.cycleNotch();
          break;
        case '+':
        case '=':
          if (focusedChannel !== null) a.channelScaleStep(focusedChannel, -1);
          else a.globalScaleStep(-1);
          break;
        case '-':
        case '_':
          if (focusedChannel !== null) a.channelScaleStep(focusedChannel, 1);
          else a.globalScaleStep(1);
          break;
        case 'a':
        case 'A':
          a.autoscale();
          break;
        case 'm':
        case 'M':
          a.addMarker();
          break;
        case 'w':
        case 'W':
          a.cycleWindow();
          break;
        case 's':
        case 'S':
          a.toggleMode();
          break;
        case '?':
          a.openHelp();
          break;
        default:
          if (e.key.length === 1 && e.key >= '1' && e.key <= '9') {
            a.addHotkeyMarker(Number(e.key) - 1);
            break;
          }
          return;
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
