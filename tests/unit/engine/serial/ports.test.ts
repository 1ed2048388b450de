// Serial ports (engine/serial/ports): the OpenBCI dongle is recognised and listed first, and
// `--port auto` resolves to it or explains why not.
import { describe, expect, it } from 'vitest';
import { isOpenBciDongle, listSerialPorts, resolveSerialPort } from '../../../../electron/engine/serial/ports.js';
import type { SerialBinding, SerialPortInfo } from '../../../../electron/engine/serial/binding.js';

describe('serial ports and --port auto', () => {
  const binding = (ports: SerialPortInfo[]): SerialBinding => ({
    list: async () => ports,
    open: async () => {
      throw new Error('not here');
    },
  });
  const dongle = { path: '/dev/ttyUSB0', vendorId: '0403', productId: '6015', manufacturer: 'FTDI', serialNumber: 'DM00ABCD' };
  const arduino = { path: '/dev/ttyACM0', vendorId: '2341', productId: '0043', manufacturer: 'Arduino' };

  it('recognises the OpenBCI dongle (FTDI 0403:6015) and lists it first', async () => {
    expect(isOpenBciDongle({ vendorId: '0403', productId: '6015' })).toBe(true);
    expect(isOpenBciDongle({ vendorId: '0x0403', productId: '0x6015' })).toBe(true);
    expect(isOpenBciDongle({ vendorId: '0403', productId: '6001' })).toBe(false);
    const listed = await listSerialPorts(binding([arduino, dongle]));
    expect(listed.map((p) => [p.path, p.openBciDongle])).toEqual([
      ['/dev/ttyUSB0', true],
      ['/dev/ttyACM0', false],
    ]);
    expect(listed[0].description).toBe('/dev/ttyUSB0 FTDI [0403:6015] serial DM00ABCD (OpenBCI dongle)');
  });

  it('hides macOS tty.* twins, and survives a failing listing', async () => {
    const mac = await listSerialPorts(binding([{ path: '/dev/cu.usbserial-1' }, { path: '/dev/tty.usbserial-1' }]), 'darwin');
    expect(mac.map((p) => p.path)).toEqual(['/dev/cu.usbserial-1']);
    const broken: SerialBinding = { list: () => Promise.reject(new Error('udevadm missing')), open: () => Promise.reject(new Error('x')) };
    expect(await listSerialPorts(broken)).toEqual([]);
  });

  it('resolves auto to the one dongle, and explains none or several', async () => {
    expect(await resolveSerialPort('auto', binding([arduino, dongle]))).toBe('/dev/ttyUSB0');
    expect(await resolveSerialPort('/dev/ttyS5', binding([]))).toBe('/dev/ttyS5');
    await expect(resolveSerialPort('auto', binding([]))).rejects.toThrow(/no OpenBCI dongle \(FTDI 0403:6015\): no serial ports at all/);
    await expect(resolveSerialPort('auto', binding([arduino]))).rejects.toThrow(/only \/dev\/ttyACM0 Arduino \[2341:0043\]/);
    await expect(resolveSerialPort('auto', binding([dongle, { ...dongle, path: '/dev/ttyUSB1' }]))).rejects.toThrow(
      '--port auto found 2 OpenBCI dongles: /dev/ttyUSB0, /dev/ttyUSB1; choose one with --port PATH',
    );
  });
});
