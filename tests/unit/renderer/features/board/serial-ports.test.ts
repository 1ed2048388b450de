// The port picker's model: auto first, dongles marked and first, custom last; typed paths.
import { describe, expect, it } from 'vitest';
import { listBoards } from '../../../../../electron/engine/boards/registry.js';
import { AUTO_PORT, CUSTOM_PORT, connectPort, portOptions, portSelectValue } from '../../../../../renderer/features/board/serial-ports.js';
import { EMPTY_CHOICE, connectRequest } from '../../../../../renderer/features/board/board-choice.js';

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

  it('connects a serial board with the port only (no other kind\'s options)', () => {
    expect(connectPort('  /dev/ttyUSB1 ')).toBe('/dev/ttyUSB1');
    expect(connectPort('  ')).toBeNull();
    const boards = listBoards();
    const serial = boards.filter((b) => b.capabilities.connection === 'serial-port');
    expect(serial.length).toBeGreaterThan(0);
    for (const board of serial) {
      const values = { channelCount: 16, file: '/tmp/a.bdf', [board.capabilities.connectionField!]: ' /tmp/x ' };
      expect(connectRequest(boards, { board: board.id, values, customPort: true })).toEqual({ ok: true, options: { board: board.id, port: '/tmp/x' } });
      expect(connectRequest(boards, { ...EMPTY_CHOICE, board: board.id })).toEqual({ ok: true, options: { board: board.id, port: AUTO_PORT } });
    }
  });
});
