// The port picker's model: auto first, dongles marked and first, custom last; typed paths.
import { describe, expect, it } from 'vitest';
import { boardOptionsSchema } from '../../../../../electron/common/contract/board-options.js';
import { AUTO_PORT, CUSTOM_PORT, connectPort, portOptions, portSelectValue } from '../../../../../renderer/features/board/serial-ports.js';
import { DEFAULT_BOARD_CHOICE, boardOptionsOf } from '../../../../../renderer/features/board/board-choice.js';

const ports = [
  { path: '/dev/ttyS0', description: '', openBciDongle: false },
  { path: '/dev/ttyUSB0', description: 'FTDI FT231X', openBciDongle: true },
];

describe('serial ports', () => {
  it('lists auto, then dongles (marked), then other ports, then custom', () => {
    const options = portOptions(ports);
    expect(options.map((o) => o.value)).toEqual([AUTO_PORT, '/dev/ttyUSB0', '/dev/ttyS0', CUSTOM_PORT]);
    expect(options[0].label).toMatch(/auto.*OpenBCI dongle/);
    expect(options[1].label).toMatch(/OpenBCI dongle/);
    expect(options[1].dongle).toBe(true);
    expect(options[2].label).not.toMatch(/dongle/);
  });

  it('shows a path the list does not have as custom', () => {
    expect(portSelectValue(AUTO_PORT, false, ports)).toBe(AUTO_PORT);
    expect(portSelectValue('/dev/ttyUSB0', false, ports)).toBe('/dev/ttyUSB0');
    expect(portSelectValue('/tmp/pty/ttyHOST', false, ports)).toBe(CUSTOM_PORT);
    expect(portSelectValue('/dev/ttyUSB0', true, ports)).toBe(CUSTOM_PORT);
  });

  it('connects a Cyton with the port only (no synthetic options)', () => {
    expect(connectPort('  /dev/ttyUSB1 ')).toBe('/dev/ttyUSB1');
    expect(connectPort('  ')).toBeNull();
    const options = boardOptionsOf({ ...DEFAULT_BOARD_CHOICE, board: 'cyton', port: '/tmp/x', customPort: true });
    expect(options).toEqual({ board: 'cyton', port: '/tmp/x' });
    expect(boardOptionsSchema.parse(options)).toEqual(options);
    expect(boardOptionsOf({ ...DEFAULT_BOARD_CHOICE, board: 'cyton-daisy' })).toEqual({ board: 'cyton-daisy', port: 'auto' });
  });
});
