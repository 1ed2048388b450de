// The FTDI latency timer on Linux (native/ftdi-latency) against a fake sysfs tree: read, set to
// 1 ms when permitted, and explained when it may not be set.
import { describe, expect, it } from 'vitest';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkLatencyTimer, latencyTimerFile } from '../../../native/ftdi-latency.js';
import { tempDir } from '../../support/tmp.js';

function fakeSysfs(tty: string, value: string | undefined): string {
  const root = tempDir('sysfs-');
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
