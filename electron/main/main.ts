// Electron main process: thin. It owns the windows (the workstation, and the assistive view as a
// second window: Assistive → Open assistive mode, Ctrl+Shift+A) and wires the engine (the same one
// the CLI and `bci serve` host) to each: commands over IPC (ipc.ts), streams over a MessagePort.

import { app, BrowserWindow, dialog, ipcMain, Menu, MessageChannelMain, session, webContents } from 'electron';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';
import { Engine } from '../engine/engine.js';
import { CommandHost, type ClientSink } from '../engine/command-host.js';
import { PORT_MESSAGE, type PortEventMessage } from '../common/contract/commands.js';
import { registerCommandHandlers, registerDesktopHandlers } from './ipc.js';
import { RECORDING_FILE_EXTENSIONS } from '../common/contract/desktop.js';
import { guardWebContents, lockDownSession, secureWindowOptions } from './window.js';

const here = dirname(fileURLToPath(import.meta.url));
const rendererIndex = join(here, '..', 'renderer', 'index.html');
const appPageUrl = pathToFileURL(rendererIndex).href;

const engine = new Engine();
const host = new CommandHost(engine);
/** Each open window of the app, by its WebContents id: its stream sink and how to detach it. */
const windows = new Map<number, { sink?: ClientSink; detach?: () => void }>();
let assistWindow: BrowserWindow | undefined;

function openStreams(win: BrowserWindow): void {
  const entry = windows.get(win.webContents.id);
  if (!entry) return;
  entry.detach?.();
  const { port1, port2 } = new MessageChannelMain();
  const portSink: ClientSink = {
    sendEvent: (event) => port1.postMessage({ event } satisfies PortEventMessage),
    sendFrame: (frame) => port1.postMessage(frame),
  };
  port1.start();
  const attachment = host.attach(portSink);
  entry.sink = portSink;
  entry.detach = () => {
    attachment.dispose();
    port1.close();
    entry.sink = undefined;
  };
  win.webContents.postMessage(PORT_MESSAGE, null, [port2]);
}

function openWindow(query: Record<string, string>, options: { title?: string } = {}): BrowserWindow {
  const win = new BrowserWindow({ ...secureWindowOptions(join(here, '..', 'preload', 'preload.cjs')), ...options });
  const id = win.webContents.id;
  windows.set(id, {});
  guardWebContents(win.webContents, appPageUrl);
  win.webContents.on('did-finish-load', () => openStreams(win));
  win.once('ready-to-show', () => win.show());
  win.on('closed', () => {
    windows.get(id)?.detach?.();
    windows.delete(id);
  });
  void win.loadFile(rendererIndex, { query });
  return win;
}

function createWindow(): void {
  // the desktop app opens on the built-in synthetic board, streaming
  openWindow({ autostart: process.env.BCI_AUTOSTART ?? 'synthetic' });
}

/** The assistive view in its own window (for a second screen); one at a time. */
function openAssistiveWindow(): void {
  if (assistWindow && windows.has(assistWindow.webContents.id)) {
    assistWindow.focus();
    return;
  }
  assistWindow = openWindow({ view: 'assistive' }, { title: 'BCI Workstation: assistive mode' });
}

/** The native open dialog over the window of that WebContents: a recording's path, or null. */
async function chooseRecording(contentsId: number): Promise<string | null> {
  const contents = webContents.fromId(contentsId);
  const owner = contents ? BrowserWindow.fromWebContents(contents) : null;
  const options: Electron.OpenDialogOptions = {
    title: 'Open recording',
    properties: ['openFile'],
    filters: [
      { name: 'Recordings', extensions: [...RECORDING_FILE_EXTENSIONS] },
      { name: 'All files', extensions: ['*'] },
    ],
  };
  const result = owner ? await dialog.showOpenDialog(owner, options) : await dialog.showOpenDialog(options);
  return result.canceled || result.filePaths.length === 0 ? null : result.filePaths[0];
}

function buildMenu(): void {
  Menu.setApplicationMenu(
    Menu.buildFromTemplate([
      { role: 'fileMenu' },
      { role: 'editMenu' },
      { role: 'viewMenu' },
      { label: 'Assistive', submenu: [{ label: 'Open assistive mode', accelerator: 'CmdOrCtrl+Shift+A', click: openAssistiveWindow }] },
      { role: 'windowMenu' },
    ]),
  );
}

app.enableSandbox();
app.on('web-contents-created', (_event, contents) => guardWebContents(contents, appPageUrl));
app.whenReady().then(() => {
  // recordings cut off by a crash or a power loss are completed before anything else
  // (they show as notices in the status bar, as in `bci serve`)
  engine.recoverUnfinished();
  lockDownSession(session.defaultSession);
  const ipcContext = { host, appPageUrl, isTrustedContents: (id: number) => windows.has(id), sink: (id: number) => windows.get(id)?.sink };
  registerCommandHandlers(ipcMain, ipcContext);
  registerDesktopHandlers(ipcMain, ipcContext, chooseRecording);
  buildMenu();
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
