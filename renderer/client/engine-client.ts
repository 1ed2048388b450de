// The renderer's one way to the engine, whichever host serves it: the Electron preload bridge
// (IPC for commands, a MessagePort for frames) or `bci serve`'s WebSocket. Components receive an
// EngineClient and never know which.

import type { CommandName, CommandRequest, CommandResults, EngineEvent } from '../../electron/common/contract/commands.js';
import type { SampleFrame } from '../../electron/common/contract/frames.js';
import type { Disposable } from '../../electron/common/disposable.js';

export interface EngineClient {
  readonly kind: 'electron' | 'websocket';
  /** Sends a command; rejects with the host's one-line reason when it is refused. */
  invoke<K extends CommandName>(command: K, request?: CommandRequest<K>): Promise<CommandResults[K]>;
  /** JSON events: status (4 a second while streaming), session changes, markers, errors. */
  onEvent(listener: (event: EngineEvent) => void): Disposable;
  /** Binary sample frames (filtered by default; raw after setStreams). */
  onFrame(listener: (frame: SampleFrame) => void): Disposable;
  /** Connection state of the bridge itself (a WebSocket can drop). */
  onConnection(listener: (connected: boolean) => void): Disposable;
  close(): void;
}
