// IPC handlers: one channel per command of the contract. Each checks that the sender is the app's
// own page in the app's own window, then hands the raw payload to the CommandHost, which validates
// it against the command's schema. Answers are outcomes ({ok, result} | {ok, error}), never
// thrown errors (Electron would mangle them).

import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import { COMMAND_NAMES, ipcChannel, type CommandOutcome } from '../common/contract/commands.js';
import { OPEN_RECORDING_DIALOG } from '../common/contract/desktop.js';
import { EngineError, failureOf } from '../common/contract/failure.js';
import type { ClientSink } from '../engine/command-host.js';
import { isAppUrl } from './window.js';

export interface CommandHandler {
  handle(client: ClientSink | undefined, name: string, payload: unknown): Promise<CommandOutcome>;
}

export interface IpcContext {
  readonly host: CommandHandler;
  /** The app page's URL (file://…/index.html). */
  readonly appPageUrl: string;
  /** Whether a WebContents is one of the app's windows (the workstation, the assistive window), and its stream sink (once its port exists). */
  readonly isTrustedContents: (contentsId: number) => boolean;
  readonly sink: (contentsId: number) => ClientSink | undefined;
}

export function isTrustedSender(event: IpcMainInvokeEvent, context: IpcContext): boolean {
  const frame = event.senderFrame;
  if (!frame || frame.parent !== null) return false; // top frame only
  if (!context.isTrustedContents(event.sender.id)) return false;
  return isAppUrl(frame.url, context.appPageUrl);
}

export function registerCommandHandlers(ipc: IpcMain, context: IpcContext): () => void {
  for (const name of COMMAND_NAMES) {
    ipc.handle(ipcChannel(name), async (event, payload: unknown): Promise<CommandOutcome> => {
      if (!isTrustedSender(event, context)) return failureOf(new EngineError('invalid-request', 'refused: the command did not come from the workstation window'));
      return context.host.handle(context.sink(event.sender.id), name, payload);
    });
  }
  return () => {
    for (const name of COMMAND_NAMES) ipc.removeHandler(ipcChannel(name));
  };
}

/**
 * The native "Open recording" dialog for the app's page: `choose` shows it over the sender's window
 * and answers the path (null when cancelled). A foreign sender gets null, never a dialog.
 */
export function registerDesktopHandlers(ipc: IpcMain, context: IpcContext, choose: (contentsId: number) => Promise<string | null>): () => void {
  ipc.handle(OPEN_RECORDING_DIALOG, async (event): Promise<string | null> => {
    if (!isTrustedSender(event, context)) return null;
    return choose(event.sender.id);
  });
  return () => ipc.removeHandler(OPEN_RECORDING_DIALOG);
}
