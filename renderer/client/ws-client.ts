// EngineClient over `bci serve`'s WebSocket: commands as {id, command, payload} text messages,
// answers and events as JSON, sample frames as binary messages. Reconnects when the socket drops.

import type { CommandName, CommandRequest, CommandResults, WsServerMessage } from '../../electron/common/contract/commands.js';
import type { EngineClient } from './engine-client.js';
import { ClientListeners } from './listeners.js';
import { EngineError } from '../../electron/common/contract/failure.js';

export class WebSocketEngineClient implements EngineClient {
  readonly kind = 'websocket' as const;
  private socket: WebSocket | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private readonly listeners = new ClientListeners();
  private closed = false;

  private constructor(private readonly url: string) {}

  /** Opens the socket; resolves once it is open (rejects if it cannot be). */
  static connect(url: string): Promise<WebSocketEngineClient> {
    const client = new WebSocketEngineClient(url);
    return client.open().then(() => client);
  }

  private open(): Promise<void> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(this.url);
      ws.binaryType = 'arraybuffer';
      let opened = false;
      ws.onopen = () => {
        opened = true;
        this.socket = ws;
        this.listeners.connection.fire(true);
        resolve();
      };
      ws.onmessage = (m: MessageEvent<ArrayBuffer | string>) => this.onMessage(m.data);
      ws.onclose = () => {
        this.socket = undefined;
        for (const [, p] of this.pending) p.reject(new Error('the connection to the engine was lost'));
        this.pending.clear();
        if (!opened) {
          reject(new Error('the engine refused the connection (is the URL, with its token, the one `bci serve` printed?)'));
          return;
        }
        this.listeners.connection.fire(false);
        if (!this.closed) setTimeout(() => void this.open().catch(() => undefined), 1000);
      };
    });
  }

  private onMessage(data: ArrayBuffer | string): void {
    if (typeof data !== 'string') {
      this.listeners.frame(data);
      return;
    }
    let message: WsServerMessage;
    try {
      message = JSON.parse(data) as WsServerMessage;
    } catch {
      return;
    }
    if (message.type === 'event') {
      this.listeners.events.fire(message.event);
      return;
    }
    const p = this.pending.get(message.id);
    if (!p) {
      if (!message.ok) this.listeners.events.fire({ type: 'error', message: message.error });
      return;
    }
    this.pending.delete(message.id);
    if (message.ok) p.resolve(message.result);
    else p.reject(EngineError.fromFailure(message));
  }

  invoke<K extends CommandName>(command: K, request?: CommandRequest<K>): Promise<CommandResults[K]> {
    const socket = this.socket;
    if (!socket) return Promise.reject(new Error('not connected to the engine'));
    const id = this.nextId++;
    return new Promise<CommandResults[K]>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      socket.send(JSON.stringify({ id, command, payload: request }));
    });
  }

  onEvent: EngineClient['onEvent'] = (listener) => this.listeners.events.on(listener);
  onFrame: EngineClient['onFrame'] = (listener) => this.listeners.frames.on(listener);
  onConnection: EngineClient['onConnection'] = (listener) => this.listeners.connection.on(listener);

  close(): void {
    this.closed = true;
    this.socket?.close();
  }
}
