import { afterEach, describe, expect, it } from 'vitest';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkLatencyTimer, latencyTimerFile } from '../../../native/ftdi-latency.js';
import { classifySerialOpenError, diagnoseSerialOpenError } from '../../../native/serial-diagnosis.js';
import { isOpenBciDongle, listSerialPorts, resolveSerialPort } from '../../../electron/engine/serial/ports.js';
import type { SerialBinding, SerialPortInfo } from '../../../electron/engine/serial/binding.js';

const roots: string[] = [];
afterEach(() => {
  for (const r of roots.splice(0)) rmSync(r, { recursive: true, force: true });
});

function fakeSysfs(tty: string, value: string | undefined): string {
  const root = mkdtempSync(join(tmpdir(), 'sysfs-'));
  roots.push(root);
  if (value !== undefined) {
    const dir = join(root, 'bus', 'usb-serial', 'devices', tty);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'latency_timer'), `${value}\n`);
  }
  return root;
}

const linux = { platform: 'linux' as const, resolvePath: (p: string) => (p.includes('by-id') ? '/dev/ttyUSB3' : p) };

describe('FTDI latency timer (native/ftdi-latency)', () => {
  it('finds the sysfs file of a port, through /dev/serial/by-id links', () => {
    expect(latencyTimerFile('/dev/serial/by-id/usb-FTDI_FT231X_USB_UART_DM00xx-if00-port0', { ...linux, sysfsRoot: '/sys' })).toEqual({
      tty: 'ttyUSB3',
      file: '/sys/bus/usb-serial/devices/ttyUSB3/latency_timer',
    });
  });

  it('says nothing when it is 1 ms', () => {
    const root = fakeSysfs('ttyUSB0', '1');
    expect(checkLatencyTimer('/dev/ttyUSB0', { ...linux, sysfsRoot: root })).toEqual({ status: 'ok', valueMs: 1, tty: 'ttyUSB0', file: join(root, 'bus/usb-serial/devices/ttyUSB0/latency_timer') });
  });

  it('sets 16 ms to 1 ms when permitted, and says so', () => {
    const root = fakeSysfs('ttyUSB0', '16');
    const report = checkLatencyTimer('/dev/ttyUSB0', { ...linux, sysfsRoot: root });
    expect(report).toMatchObject({ status: 'set', valueMs: 16 });
    expect(report.message).toMatch(/was 16 ms; set it to 1 ms/);
    expect(readFileSync(join(root, 'bus/usb-serial/devices/ttyUSB0/latency_timer'), 'utf8').trim()).toBe('1');
  });

  it('explains how to set it when it may not write, or was told not to', () => {
    const root = fakeSysfs('ttyUSB1', '16');
    const file = join(root, 'bus/usb-serial/devices/ttyUSB1/latency_timer');
    const told = checkLatencyTimer('/dev/ttyUSB1', { ...linux, sysfsRoot: root, set: false });
    expect(told.status).toBe('high');
    expect(told.message).toContain(`echo 1 | sudo tee ${file}`);
    const denied = checkLatencyTimer('/dev/ttyUSB1', {
      ...linux,
      sysfsRoot: root,
      writeFile: () => {
        throw Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
      },
    });
    expect(denied.status).toBe('high');
    expect(denied.message).toBe(
      `the FTDI latency timer of ttyUSB1 is 16 ms, so data arrives in 16 ms bursts; could not set it to 1 ms (EACCES): run \`echo 1 | sudo tee ${file}\``,
    );
    if (process.getuid?.() !== 0) {
      // a real unwritable file (root writes it regardless)
      chmodSync(file, 0o444);
      expect(checkLatencyTimer('/dev/ttyUSB1', { ...linux, sysfsRoot: root }).status).toBe('high');
    }
  });

  it('reports a pty or non-FTDI port, and non-Linux systems, without complaint', () => {
    const root = fakeSysfs('ttyUSB0', undefined);
    expect(checkLatencyTimer('/dev/pts/4', { ...linux, sysfsRoot: root }).status).toBe('not-ftdi');
    expect(checkLatencyTimer('/dev/cu.usbserial-DM00', { platform: 'darwin' }).status).toBe('unsupported');
  });
});

describe('serial open errors (native/serial-diagnosis)', () => {
  it('turns binding errors into messages that say what to do', () => {
    const perm = diagnoseSerialOpenError(new Error('Error: Permission denied, cannot open /dev/ttyUSB0'), '/dev/ttyUSB0', { platform: 'linux', deviceGroup: 'dialout' });
    expect(perm).toEqual({
      problem: 'permission',
      message: 'permission denied on /dev/ttyUSB0: add your user to the dialout group: sudo usermod -aG dialout $USER, then log in again',
    });
    const arch = diagnoseSerialOpenError(new Error('Error: Permission denied, cannot open /dev/ttyUSB0'), '/dev/ttyUSB0', { platform: 'linux', deviceGroup: 'uucp' });
    expect(arch.message).toContain('sudo usermod -aG uucp $USER');
    const busy = diagnoseSerialOpenError(new Error('Error Resource temporarily unavailable Cannot lock port'), '/dev/ttyUSB0', { platform: 'linux' });
    expect(busy.problem).toBe('busy');
    expect(busy.message).toMatch(/busy: another program has it open/);
    expect(classifySerialOpenError(new Error('Opening COM3: Access denied'))).toBe('busy');
    const missing = diagnoseSerialOpenError(new Error('Error: No such file or directory, cannot open /dev/ttyUSB9'), '/dev/ttyUSB9', { platform: 'linux' });
    expect(missing.message).toBe('no such port /dev/ttyUSB9: is the dongle plugged in? `bci boards` lists the ports found');
    const mac = diagnoseSerialOpenError(new Error('Error: No such file or directory'), '/dev/tty.usbserial-X', { platform: 'darwin' });
    expect(mac.message).toContain('use /dev/cu.usbserial-X');
    expect(diagnoseSerialOpenError(new Error('weird'), '/dev/x').problem).toBe('other');
  });
});

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
