// Preload (sandboxed, bundled to one file): exposes one method per command of the contract and
// nothing else: never ipcRenderer itself. Hands the stream MessagePort from the main process to
// the page.

import { contextBridge, ipcRenderer } from 'electron';
import { COMMAND_NAMES, ipcChannel, PORT_MESSAGE, PRELOAD_GLOBAL, type CommandOutcome, type PreloadBridge } from '../common/contract/commands.js';

const bridge = Object.fromEntries(
  COMMAND_NAMES.map((name) => [name, (request?: unknown): Promise<CommandOutcome> => ipcRenderer.invoke(ipcChannel(name), request)]),
) as PreloadBridge;

contextBridge.exposeInMainWorld(PRELOAD_GLOBAL, bridge);

ipcRenderer.on(PORT_MESSAGE, (event) => {
  window.postMessage(PORT_MESSAGE, '*', event.ports);
});
