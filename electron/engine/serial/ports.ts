// Serial ports: list them, recognise the OpenBCI dongle (an FTDI FT231X, VID 0x0403 PID 0x6015),
// and resolve `--port auto` to the one dongle present (or say clearly why not).

import { defaultSerialBinding, type SerialBinding, type SerialPortInfo } from './binding.js';

export const OPENBCI_DONGLE_VENDOR_ID = 0x0403;
export const OPENBCI_DONGLE_PRODUCT_ID = 0x6015;

export interface ListedSerialPort extends SerialPortInfo {
  /** FTDI VID 0x0403 / PID 0x6015: the OpenBCI USB dongle (or another FT231X device). */
  readonly openBciDongle: boolean;
  /** One line for lists: path, maker, ids. */
  readonly description: string;
}

function hexId(id: string | undefined): number | undefined {
  if (id === undefined || id === '') return undefined;
  const n = Number.parseInt(id.replace(/^0x/i, ''), 16);
  return Number.isFinite(n) ? n : undefined;
}

export function isOpenBciDongle(port: Pick<SerialPortInfo, 'vendorId' | 'productId'>): boolean {
  return hexId(port.vendorId) === OPENBCI_DONGLE_VENDOR_ID && hexId(port.productId) === OPENBCI_DONGLE_PRODUCT_ID;
}

function describe(port: SerialPortInfo, dongle: boolean): string {
  const ids = port.vendorId || port.productId ? ` [${port.vendorId ?? '?'}:${port.productId ?? '?'}]` : '';
  const maker = port.manufacturer ? ` ${port.manufacturer}` : '';
  const serial = port.serialNumber ? ` serial ${port.serialNumber}` : '';
  return `${port.path}${maker}${ids}${serial}${dongle ? ' (OpenBCI dongle)' : ''}`;
}

/**
 * The serial ports the OS reports, dongles first. On macOS the `/dev/tty.*` twins of `/dev/cu.*`
 * ports are left out (opening tty.* waits for carrier detect). A failing listing (no udevadm, …)
 * gives an empty list, not an error.
 */
export async function listSerialPorts(binding: SerialBinding = defaultSerialBinding(), platform: NodeJS.Platform = process.platform): Promise<ListedSerialPort[]> {
  let ports: SerialPortInfo[];
  try {
    ports = await binding.list();
  } catch {
    ports = [];
  }
  if (platform === 'darwin') {
    const cu = new Set(ports.filter((p) => p.path.startsWith('/dev/cu.')).map((p) => p.path.slice('/dev/cu.'.length)));
    ports = ports.filter((p) => !(p.path.startsWith('/dev/tty.') && cu.has(p.path.slice('/dev/tty.'.length))));
  }
  const listed = ports.map((p) => {
    const dongle = isOpenBciDongle(p);
    return { ...p, openBciDongle: dongle, description: describe(p, dongle) };
  });
  return listed.sort((a, b) => Number(b.openBciDongle) - Number(a.openBciDongle) || a.path.localeCompare(b.path));
}

/**
 * `auto` → the path of the only OpenBCI dongle; any other value is returned as given. Throws a
 * message listing what was found when there is no dongle or more than one.
 */
export async function resolveSerialPort(port: string, binding: SerialBinding = defaultSerialBinding()): Promise<string> {
  if (port !== 'auto') return port;
  const ports = await listSerialPorts(binding);
  const dongles = ports.filter((p) => p.openBciDongle);
  if (dongles.length === 1) return dongles[0].path;
  const found = ports.length === 0 ? 'no serial ports at all' : `only ${ports.map((p) => p.description).join('; ')}`;
  if (dongles.length === 0) {
    return Promise.reject(
      new Error(
        `--port auto found no OpenBCI dongle (FTDI 0403:6015): ${found}. ` +
          'Plug the dongle in (its switch on GPIO6), or name the port with --port PATH',
      ),
    );
  }
  return Promise.reject(
    new Error(`--port auto found ${dongles.length} OpenBCI dongles: ${dongles.map((p) => p.path).join(', ')}; choose one with --port PATH`),
  );
}
