// The slice of the serialport binding interface the engine uses, so that drivers take any binding:
// the real one (serialport's platform binding) in the app and the integration tests, and
// @serialport/binding-mock's MockBinding in unit tests. Both satisfy it structurally.

import { SerialPort } from 'serialport';

export interface SerialPortInfo {
  readonly path: string;
  readonly manufacturer?: string | undefined;
  readonly serialNumber?: string | undefined;
  readonly pnpId?: string | undefined;
  readonly locationId?: string | undefined;
  readonly vendorId?: string | undefined;
  readonly productId?: string | undefined;
}

export interface SerialOpenOptions {
  readonly path: string;
  readonly baudRate: number;
  readonly dataBits?: 5 | 6 | 7 | 8;
  readonly stopBits?: 1 | 1.5 | 2;
  readonly parity?: string;
  readonly lock?: boolean;
  readonly rtscts?: boolean;
  readonly hupcl?: boolean;
}

export interface SerialBindingPort {
  readonly isOpen: boolean;
  /** Resolves with at least one byte; rejects with `canceled: true` when the port is closed. */
  read(buffer: Buffer, offset: number, length: number): Promise<{ bytesRead: number }>;
  write(buffer: Buffer): Promise<void>;
  close(): Promise<void>;
  flush(): Promise<void>;
}

export interface SerialBinding {
  list(): Promise<SerialPortInfo[]>;
  open(options: SerialOpenOptions): Promise<SerialBindingPort>;
}

/** The platform binding of the installed serialport package. */
export function defaultSerialBinding(): SerialBinding {
  return SerialPort.binding as unknown as SerialBinding;
}
