// Outputs of assistive control to devices: each message (a selection, a stop, a resume) goes to
// every configured endpoint: UDP (one JSON datagram), OSC over UDP (/bci/selection "label" index,
// /bci/stop, /bci/resume), or a WebSocket the workstation connects to (one JSON text message).
// Every delivery's outcome is reported (never a silent drop): a UDP send error, a WebSocket that is
// not open (it reconnects in the background), a send that fails.

import { createSocket, type Socket } from 'node:dgram';
import { isIP } from 'node:net';
import WebSocket from 'ws';
import { describeEndpoint, type AssistMessage, type OutputEndpoint, type OutputStatus } from '../../common/contract/assistive.js';
import { encodeOsc } from '../../common/assistive/osc.js';

export interface DeliveryOutcome {
  readonly endpoint: string;
  readonly ok: boolean;
  readonly error: string | null;
}

function encodeForOsc(m: AssistMessage): Uint8Array {
  if (m.type === 'selection') return encodeOsc('/bci/selection', [{ type: 's', value: m.target }, { type: 'i', value: m.index }, { type: 'i', value: m.seq }]);
  return encodeOsc(`/bci/${m.type}`, [{ type: 'i', value: m.seq }]);
}

abstract class Output {
  delivered = 0;
  failed = 0;
  error: string | null = null;
  readonly name: string;
  constructor(readonly endpoint: OutputEndpoint) {
    this.name = describeEndpoint(endpoint);
  }
  abstract send(message: AssistMessage, done: (error: string | null) => void): void;
  abstract close(): void;
  status(): OutputStatus {
    return { endpoint: this.name, kind: this.endpoint.kind, delivered: this.delivered, failed: this.failed, error: this.error };
  }
}

class UdpOutput extends Output {
  private readonly socket: Socket;
  private connected = false;
  private readonly connecting: Promise<void>;
  constructor(endpoint: Extract<OutputEndpoint, { kind: 'udp' | 'osc' }>) {
    super(endpoint);
    this.socket = createSocket(isIP(endpoint.host) === 6 || endpoint.host === '::1' ? 'udp6' : 'udp4');
    this.socket.on('error', (error) => {
      this.error = error.message;
    });
    // connected once, at the start: each send then leaves at once (no address lookup, no implicit
    // bind on the first send), and a listener that is gone shows as a failed send (ECONNREFUSED)
    this.connecting = new Promise((resolve) => {
      try {
        this.socket.connect(endpoint.port, endpoint.host, () => {
          this.connected = true;
          resolve();
        });
      } catch (error) {
        this.error = (error as Error).message;
        resolve();
      }
      this.socket.once('error', () => resolve());
    });
    this.socket.unref();
  }
  ready(): Promise<void> {
    return this.connecting;
  }
  send(message: AssistMessage, done: (error: string | null) => void): void {
    const e = this.endpoint as Extract<OutputEndpoint, { kind: 'udp' | 'osc' }>;
    const bytes = e.kind === 'osc' ? encodeForOsc(message) : Buffer.from(JSON.stringify(message), 'utf8');
    try {
      if (this.connected) this.socket.send(bytes, (error) => done(error ? error.message : null));
      else this.socket.send(bytes, e.port, e.host, (error) => done(error ? error.message : null));
    } catch (error) {
      done((error as Error).message);
    }
  }
  close(): void {
    try {
      this.socket.close();
    } catch {
      // already closed
    }
  }
}

class WebSocketOutput extends Output {
  private socket: WebSocket | undefined;
  private closed = false;
  private retry: ReturnType<typeof setTimeout> | undefined;
  constructor(endpoint: Extract<OutputEndpoint, { kind: 'websocket' }>) {
    super(endpoint);
    this.open();
  }
  private open(): void {
    if (this.closed) return;
    const socket = new WebSocket((this.endpoint as Extract<OutputEndpoint, { kind: 'websocket' }>).url);
    this.socket = socket;
    socket.on('open', () => {
      if (this.error?.startsWith('not connected')) this.error = null;
    });
    socket.on('error', (error) => {
      this.error = `not connected: ${error.message}`;
    });
    socket.on('close', () => {
      if (this.closed) return;
      this.error ??= 'not connected: the device closed the connection';
      this.retry = setTimeout(() => this.open(), 1000);
      this.retry.unref();
    });
  }
  /** Resolves once the socket is open (or failed): a session starts with its outputs ready. */
  ready(timeoutMs: number): Promise<void> {
    const socket = this.socket;
    if (!socket || socket.readyState !== WebSocket.CONNECTING) return Promise.resolve();
    return new Promise((resolve) => {
      const t = setTimeout(resolve, timeoutMs);
      const end = () => {
        clearTimeout(t);
        resolve();
      };
      socket.once('open', end);
      socket.once('error', end);
    });
  }
  send(message: AssistMessage, done: (error: string | null) => void): void {
    const socket = this.socket;
    if (!socket || socket.readyState !== WebSocket.OPEN) {
      done(this.error ?? 'not connected to the device');
      return;
    }
    socket.send(JSON.stringify(message), (error) => done(error ? error.message : null));
  }
  close(): void {
    this.closed = true;
    if (this.retry) clearTimeout(this.retry);
    this.socket?.terminate();
  }
}

export class OutputHub {
  private readonly outputs: Output[];

  constructor(endpoints: readonly OutputEndpoint[]) {
    this.outputs = endpoints.map((e) => (e.kind === 'websocket' ? new WebSocketOutput(e) : new UdpOutput(e)));
  }

  /** Waits (at most timeoutMs) for WebSocket outputs to connect. */
  async ready(timeoutMs = 2000): Promise<void> {
    await Promise.all(this.outputs.map((o) => (o instanceof WebSocketOutput ? o.ready(timeoutMs) : o instanceof UdpOutput ? o.ready() : undefined)));
  }

  /**
   * Sends a message to every endpoint at once (the sends start before this returns); each outcome
   * is reported to onOutcome as it is known.
   */
  send(message: AssistMessage, onOutcome: (outcome: DeliveryOutcome) => void): void {
    for (const o of this.outputs) {
      o.send(message, (error) => {
        if (error) {
          o.failed++;
          o.error = error;
        } else {
          o.delivered++;
          o.error = null;
        }
        onOutcome({ endpoint: o.name, ok: error === null, error });
      });
    }
  }

  status(): OutputStatus[] {
    return this.outputs.map((o) => o.status());
  }

  close(): void {
    for (const o of this.outputs) o.close();
  }
}
