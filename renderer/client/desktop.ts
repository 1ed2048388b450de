// The desktop app's extras (native open dialog, a dropped file's path), or null in the browser
// twin, where a page never learns a local path (recordings open from the library there).

import { DESKTOP_GLOBAL, type DesktopBridge } from '../../electron/common/contract/desktop.js';

export function desktopBridge(): DesktopBridge<File> | null {
  const candidate = (globalThis as unknown as Record<string, unknown>)[DESKTOP_GLOBAL];
  if (typeof candidate !== 'object' || candidate === null) return null;
  const bridge = candidate as Partial<DesktopBridge<File>>;
  return typeof bridge.openRecordingDialog === 'function' && typeof bridge.pathForFile === 'function' ? (bridge as DesktopBridge<File>) : null;
}
