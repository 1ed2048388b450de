// Preload (sandboxed, bundled to one file): exposes one method per command of the contract and
// nothing else: never ipcRenderer itself. Hands the stream MessagePort from the main process to
// the page. Beside the commands, `bciDesktop`: the native open dialog and a dropped file's path.

import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { COMMAND_NAMES, ipcChannel, PORT_MESSAGE, PRELOAD_GLOBAL, type CommandOutcome, type PreloadBridge } from '../common/contract/commands.js';
import { DESKTOP_GLOBAL, OPEN_RECORDING_DIALOG, type DesktopBridge } from '../common/contract/desktop.js';

const bridge = Object.fromEntries(
  COMMAND_NAMES.map((name) => [name, (request?: unknown): Promise<CommandOutcome> => ipcRenderer.invoke(ipcChannel(name), request)]),
) as PreloadBridge;

contextBridge.exposeInMainWorld(PRELOAD_GLOBAL, bridge);

const desktop: DesktopBridge<File> = {
  openRecordingDialog: async () => {
    const answer: unknown = await ipcRenderer.invoke(OPEN_RECORDING_DIALOG);
    return typeof answer === 'string' && answer !== '' ? answer : null;
  },
  pathForFile: (file) => webUtils.getPathForFile(file),
};
contextBridge.exposeInMainWorld(DESKTOP_GLOBAL, desktop);

ipcRenderer.on(PORT_MESSAGE, (event) => {
  window.postMessage(PORT_MESSAGE, '*', event.ports);
});
