// EngineClient in the desktop app: commands through the preload's one-method-per-command bridge
// (IPC invoke/handle in the main process), streams through a MessagePort that the preload hands
// to the page.

import { PORT_MESSAGE, PRELOAD_GLOBAL, type CommandName, type CommandRequest, type CommandResults, type PortEventMessage, type PreloadBridge } from '../../electron/common/contract/commands.js';
import type { EngineClient } from './engine-client.js';
import { EngineError } from '../../electron/common/contract/failure.js';
import { ClientListeners } from './listeners.js';

export function preloadBridge(): PreloadBridge | undefined {
  return (window as unknown as Record<string, PreloadBridge | undefined>)[PRELOAD_GLOBAL];
}

export class PreloadEngineClient implements EngineClient {
  readonly kind = 'electron' as const;
  private readonly listeners = new ClientListeners();
  private port: MessagePort | undefined;

  constructor(private readonly bridge: PreloadBridge) {
    window.addEventListener('message', (e: MessageEvent) => {
      if (e.source !== window || e.data !== PORT_MESSAGE || !e.ports[0]) return;
      this.port?.close();
      this.port = e.ports[0];
      this.port.onmessage = (m: MessageEvent<ArrayBuffer | PortEventMessage>) => {
        if (m.data instanceof ArrayBuffer) this.listeners.frame(m.data);
        else if (m.data && typeof m.data === 'object' && 'event' in m.data) this.listeners.events.fire(m.data.event);
      };
      this.port.start();
      this.listeners.connection.fire(true);
    });
  }

  async invoke<K extends CommandName>(command: K, request?: CommandRequest<K>): Promise<CommandResults[K]> {
    const outcome = await this.bridge[command](request);
    if (!outcome.ok) throw EngineError.fromFailure(outcome);
    return outcome.result as CommandResults[K];
  }

  onEvent: EngineClient['onEvent'] = (listener) => this.listeners.events.on(listener);
  onFrame: EngineClient['onFrame'] = (listener) => this.listeners.frames.on(listener);
  onConnection: EngineClient['onConnection'] = (listener) => this.listeners.connection.on(listener);

  close(): void {
    this.port?.close();
  }
}
