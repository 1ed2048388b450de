// Electron main process: thin. It owns the window and wires the engine (the same one the CLI and
// `bci serve` host) to the renderer: commands over IPC (ipc.ts), streams over a MessagePort.

import { app, BrowserWindow, ipcMain, MessageChannelMain, session } from 'electron';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';
import { Engine } from '../engine/engine.js';
import { CommandHost, type ClientSink } from '../engine/command-host.js';
import { PORT_MESSAGE, type PortEventMessage } from '../common/contract/commands.js';
import { registerCommandHandlers } from './ipc.js';
import { guardWebContents, lockDownSession, secureWindowOptions } from './window.js';

const here = dirname(fileURLToPath(import.meta.url));
const rendererIndex = join(here, '..', 'renderer', 'index.html');
const appPageUrl = pathToFileURL(rendererIndex).href;

const engine = new Engine();
const host = new CommandHost(engine);
let window: BrowserWindow | undefined;
let sink: ClientSink | undefined;
let detach: (() => void) | undefined;

function openStreams(win: BrowserWindow): void {
  detach?.();
  const { port1, port2 } = new MessageChannelMain();
  const portSink: ClientSink = {
    sendEvent: (event) => port1.postMessage({ event } satisfies PortEventMessage),
    sendFrame: (frame) => port1.postMessage(frame),
  };
  port1.start();
  const attachment = host.attach(portSink);
  sink = portSink;
  detach = () => {
    attachment.dispose();
    port1.close();
    sink = undefined;
  };
  win.webContents.postMessage(PORT_MESSAGE, null, [port2]);
}

function createWindow(): void {
  const win = new BrowserWindow(secureWindowOptions(join(here, '..', 'preload', 'preload.cjs')));
  window = win;
  guardWebContents(win.webContents, appPageUrl);
  win.webContents.on('did-finish-load', () => openStreams(win));
  win.once('ready-to-show', () => win.show());
  win.on('closed', () => {
    detach?.();
    window = undefined;
  });
  // the desktop app opens on the built-in synthetic board, streaming
  void win.loadFile(rendererIndex, { query: { autostart: process.env.BCI_AUTOSTART ?? 'synthetic' } });
}

app.enableSandbox();
app.on('web-contents-created', (_event, contents) => guardWebContents(contents, appPageUrl));
app.whenReady().then(() => {
  // recordings cut off by a crash or a power loss are completed before anything else
  // (they show as notices in the status bar, as in `bci serve`)
  engine.recoverUnfinished();
  lockDownSession(session.defaultSession);
  registerCommandHandlers(ipcMain, { host, appPageUrl, trustedContentsId: () => window?.webContents.id, sink: () => sink });
  createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
});
app.on('window-all-closed', () => app.quit());
app.on('will-quit', (event) => {
  if (engine.currentState === 'idle') return;
  event.preventDefault();
  void engine.dispose().finally(() => app.exit(0));
});
