// One open serial port: a read loop that hands every chunk to a callback as it arrives, queued
// writes, and one `closed` notification when the port goes away (an unplugged dongle, a read or
// write error) or is closed on purpose. Open failures come back as SerialOpenError with a message
// that says what to do (permission, busy, no such port).

import { diagnoseSerialOpenError, type SerialOpenProblem } from '../../../native/serial-diagnosis.js';
import type { SerialBinding, SerialBindingPort, SerialOpenOptions } from './binding.js';

export class SerialOpenError extends Error {
  constructor(
    message: string,
    readonly problem: SerialOpenProblem,
    readonly path: string,
  ) {
    super(message);
    this.name = 'SerialOpenError';
  }
}

export interface SerialConnectionHandlers {
  /** A chunk as read from the port; the view is reused after the call returns. */
  onData(chunk: Uint8Array, arrivedAtMs: number): void;
  /** The port closed: `error` when it vanished or failed, undefined after close(). Called once. */
  onClose(error: Error | undefined): void;
}

const READ_BYTES = 4096;

const nowMs = (): number => performance.timeOrigin + performance.now();

function isCanceled(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { canceled?: unknown }).canceled === true;
}

export class SerialConnection {
  private readonly buffer = Buffer.allocUnsafe(READ_BYTES);
  private writeChain: Promise<void> = Promise.resolve();
  private closing = false;
  private closedNotified = false;
  private readonly reading: Promise<void>;

  private constructor(
    readonly path: string,
    private readonly port: SerialBindingPort,
    private readonly handlers: SerialConnectionHandlers,
  ) {
    this.reading = this.readLoop();
  }

  /** Opens `options.path` (115200 8N1 unless told otherwise) and starts reading. */
  static async open(
    binding: SerialBinding,
    options: Partial<SerialOpenOptions> & { path: string; baudRate: number },
    handlers: SerialConnectionHandlers,
  ): Promise<SerialConnection> {
    let port: SerialBindingPort;
    try {
      port = await binding.open({ dataBits: 8, stopBits: 1, parity: 'none', lock: true, rtscts: false, ...options });
    } catch (error) {
      const d = diagnoseSerialOpenError(error, options.path);
      throw new SerialOpenError(d.message, d.problem, options.path);
    }
    return new SerialConnection(options.path, port, handlers);
  }

  get isOpen(): boolean {
    return !this.closing && !this.closedNotified && this.port.isOpen;
  }

  /** Queues bytes (a string is sent as Latin-1). Rejects when the port is gone. */
  write(data: string | Uint8Array): Promise<void> {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'latin1') : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    const result = this.writeChain.then(async () => {
      if (!this.isOpen) throw new Error(`${this.path} is closed`);
      try {
        await this.port.write(bytes);
      } catch (error) {
        if (!isCanceled(error)) this.fail(error);
        throw error;
      }
    });
    this.writeChain = result.catch(() => {});
    return result;
  }

  /** Discards bytes received but not read yet (and written but not sent). */
  async flush(): Promise<void> {
    if (this.isOpen) await this.port.flush().catch(() => {});
  }

  /** Closes the port on purpose; onClose(undefined) follows. */
  async close(): Promise<void> {
    if (this.closing) {
      await this.reading;
      return;
    }
    this.closing = true;
    if (this.port.isOpen) await this.port.close().catch(() => {});
    await this.reading;
    this.notifyClosed(undefined);
  }

  /** Gives the port up as gone (e.g. its device node vanished while a read still waits): onClose(reason) follows. */
  abandon(reason: Error): void {
    this.fail(reason);
  }

  private async readLoop(): Promise<void> {
    for (;;) {
      let bytesRead: number;
      try {
        ({ bytesRead } = await this.port.read(this.buffer, 0, READ_BYTES));
      } catch (error) {
        if (!this.closing && !isCanceled(error)) this.fail(error);
        else if (!this.closing) this.fail(new Error(`${this.path} was closed`));
        return;
      }
      if (this.closing) return;
      if (bytesRead > 0) {
        try {
          this.handlers.onData(this.buffer.subarray(0, bytesRead), nowMs());
        } catch {
          // a handler fault must not stop the port; handlers report their own errors
        }
      }
    }
  }

  private fail(error: unknown): void {
    if (this.closing) return;
    this.closing = true;
    if (this.port.isOpen) void this.port.close().catch(() => {});
    this.notifyClosed(error instanceof Error ? error : new Error(String(error)));
  }

  private notifyClosed(error: Error | undefined): void {
    if (this.closedNotified) return;
    this.closedNotified = true;
    this.handlers.onClose(error);
  }
}
