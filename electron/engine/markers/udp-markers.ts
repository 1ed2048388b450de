// The UDP marker port: other programs on this machine send a text label in one datagram (the
// OpenBCI GUI's convention: 127.0.0.1:12350) and it becomes a marker, stamped at the datagram's
// arrival in the engine's clock (performance.timeOrigin + performance.now()) and mapped to a sample
// through the clock model, like a marker from the UI. Loopback only: anything else on the network
// cannot drop labels into a recording. Labels are validated where they enter: UTF-8 text, trimmed,
// 1-200 characters, no control characters; anything else is counted and said once, never written.

import { createSocket, type Socket } from 'node:dgram';
import { EngineError } from '../../common/contract/failure.js';

export const DEFAULT_MARKER_PORT = 12350;
const MAX_LABEL = 200;

export interface MarkerPortInfo {
  readonly host: string;
  readonly port: number;
  readonly received: number;
  readonly refused: number;
}

export class UdpMarkerPort {
  private received = 0;
  private refused = 0;
  private warned = false;

  private constructor(
    private readonly socket: Socket,
    readonly port: number,
  ) {}

  /**
   * Listens on 127.0.0.1:port; `onLabel(label, arrivalMs)` for each valid datagram. A port in use is
   * refused with a sentence.
   */
  static async open(port: number, onLabel: (label: string, arrivalMs: number) => void, onRefused: (message: string) => void, now: () => number): Promise<UdpMarkerPort> {
    const socket = createSocket({ type: 'udp4', reuseAddr: false });
    const holder: { port?: UdpMarkerPort } = {};
    socket.on('message', (bytes) => {
      const arrivalMs = now();
      holder.port?.accept(bytes, arrivalMs, onLabel, onRefused);
    });
    await new Promise<void>((resolve, reject) => {
      socket.once('error', (error: NodeJS.ErrnoException) => {
        socket.close();
        reject(
          error.code === 'EADDRINUSE'
            ? new EngineError('state', `the UDP marker port 127.0.0.1:${port} is in use (the OpenBCI GUI or another workstation?): close it or choose another port`)
            : new EngineError('io', `cannot open the UDP marker port 127.0.0.1:${port}: ${error.message}`),
        );
      });
      socket.bind(port, '127.0.0.1', () => resolve());
    });
    socket.on('error', (error) => onRefused(`the UDP marker port failed: ${error.message}`));
    holder.port = new UdpMarkerPort(socket, socket.address().port);
    return holder.port;
  }

  private accept(bytes: Buffer, arrivalMs: number, onLabel: (label: string, arrivalMs: number) => void, onRefused: (message: string) => void): void {
    let label: string | undefined;
    try {
      label = new TextDecoder('utf-8', { fatal: true }).decode(bytes).trim();
    } catch {
      label = undefined;
    }
    if (label === undefined || label.length === 0 || label.length > MAX_LABEL || /[\u0000-\u001f\u007f]/.test(label)) {
      this.refused++;
      if (!this.warned) {
        this.warned = true;
        onRefused(`a UDP marker was not UTF-8 text of 1-${MAX_LABEL} characters without control characters and was not recorded (further ones are counted)`);
      }
      return;
    }
    this.received++;
    onLabel(label, arrivalMs);
  }

  get info(): MarkerPortInfo {
    return { host: '127.0.0.1', port: this.port, received: this.received, refused: this.refused };
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.socket.close(() => resolve()));
  }
}
