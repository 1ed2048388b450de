// The port picker's model (serial boards): "auto" (the one OpenBCI dongle) first, then the ports
// the engine lists with the dongles marked, then "custom path…" for a port the list cannot show
// (a pseudo-terminal, a port on a hub that reports no USB ids).

import { AUTO_SERIAL_PORT } from '../../../electron/common/boards/option-fields.js';

export interface SerialPortInfo {
  readonly path: string;
  readonly description: string;
  readonly openBciDongle: boolean;
}

/** The port value that names no port: the engine opens the one OpenBCI dongle present. */
export const AUTO_PORT = AUTO_SERIAL_PORT;
export const CUSTOM_PORT = '__custom__';

export interface PortOption {
  readonly value: string;
  readonly label: string;
  readonly dongle: boolean;
}

/** The select's options: auto, the listed ports (dongles first, marked), custom. */
export function portOptions(ports: readonly SerialPortInfo[]): PortOption[] {
  const sorted = [...ports].sort((a, b) => Number(b.openBciDongle) - Number(a.openBciDongle) || a.path.localeCompare(b.path));
  return [
    { value: AUTO_PORT, label: 'auto (the OpenBCI dongle)', dongle: false },
    ...sorted.map((p) => ({ value: p.path, label: `${p.openBciDongle ? '★ ' : ''}${p.path}${p.description ? ` — ${p.description}` : ''}${p.openBciDongle ? ' (OpenBCI dongle)' : ''}`, dongle: p.openBciDongle })),
    { value: CUSTOM_PORT, label: 'custom path…', dongle: false },
  ];
}

/** What the select shows for a chosen port: auto, a listed path, or custom (typed). */
export function portSelectValue(port: string, custom: boolean, ports: readonly SerialPortInfo[]): string {
  if (custom) return CUSTOM_PORT;
  if (port === AUTO_PORT) return AUTO_PORT;
  return ports.some((p) => p.path === port) ? port : CUSTOM_PORT;
}

/** The port a connect request names, or null when a custom path is still empty. */
export function connectPort(port: string): string | null {
  const p = port.trim();
  return p === '' ? null : p;
}
