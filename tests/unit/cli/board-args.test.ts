// The CLI's board flags come from the boards' option fields: every field with a flag parses back
// into its option for the boards that take it, --duration is every run's, and the help and
// `bci boards` list what the registry says.
import { describe, expect, it } from 'vitest';
import { BOARD_FLAG_OPTIONS, boardFlagsHelp, boardIdsWith, boardOptionsFromFlags, capabilitiesLine, serialPortLines } from '../../../electron/cli/board-args.js';
import { listSerialPorts } from '../../../electron/engine/serial/ports.js';
import { listBoards } from '../../../electron/engine/boards/registry.js';
import { validateBoardOptions, type BoardOptionField } from '../../../electron/common/contract/board-options.js';

/** A value for a field and the flag text that says it. */
function sample(field: BoardOptionField): { value: unknown; text: string | boolean } {
  switch (field.type) {
    case 'integer':
    case 'number': {
      const value = field.max ?? field.min + 1;
      return { value, text: String(value) };
    }
    case 'enum': {
      const value = field.choices[field.choices.length - 1].value;
      return { value, text: String(value) };
    }
    case 'boolean':
      return { value: field.cli?.sets ?? true, text: true };
    case 'string':
      return { value: 'some-value', text: 'some-value' };
  }
}

describe('board flags from option fields', () => {
  const boards = listBoards();

  it('parse every flag of every board into its option, which the engine accepts', () => {
    for (const board of boards) {
      for (const field of board.fields.filter((f) => f.cli)) {
        const { value, text } = sample(field);
        const flag = field.cli!.flag;
        expect(Object.keys(BOARD_FLAG_OPTIONS)).toContain(flag);
        const { options } = boardOptionsFromFlags({ board: board.id, [flag]: text });
        expect(options, `${board.id} --${flag}`).toEqual({ board: board.id, [field.key]: value });
      }
      // a request made of every flag at once is one the board's kind accepts (its required fields given)
      const values = Object.fromEntries(board.fields.filter((f) => f.cli).map((f) => [f.cli!.flag, sample(f).text]));
      const result = validateBoardOptions(boards, boardOptionsFromFlags({ board: board.id, ...values }).options);
      expect(result.ok ? '' : result.error).toBe('');
    }
  });

  it('--duration ends every run; only boards with a duration option get it as an option', () => {
    for (const board of boards) {
      const { options, durationSec } = boardOptionsFromFlags({ board: board.id, duration: '2.5' });
      expect(durationSec).toBe(2.5);
      const field = board.fields.find((f) => f.cli?.flag === 'duration');
      expect(options).toEqual(field ? { board: board.id, [field.key]: 2.5 } : { board: board.id });
    }
  });

  it('pass a flag the board does not take on to the engine, which refuses it in a sentence', () => {
    const serial = boards.find((b) => b.capabilities.connection === 'serial-port')!;
    const { options } = boardOptionsFromFlags({ board: serial.id, channels: '16' });
    const result = validateBoardOptions(boards, options);
    expect(result.ok ? '' : result.error).toMatch(/^channelCount apply to the synthetic board only: /);
  });

  it('help names every board and every flag; `bci boards` shows each board’s connection, capabilities and flags', () => {
    const help = boardFlagsHelp();
    for (const board of boards) {
      expect(help).toContain(board.id);
      const line = capabilitiesLine(board);
      for (const field of board.fields.filter((f) => f.cli)) {
        expect(help).toContain(`--${field.cli!.flag}`);
        expect(line).toContain(`--${field.cli!.flag}`);
      }
      if (board.capabilities.impedance) expect(line).toContain('impedance');
      if (board.capabilities.playbackTransport) expect(line).toContain('playback transport');
    }
    expect(boardIdsWith('impedance')).toEqual(boards.filter((b) => b.capabilities.impedance).map((b) => b.id));
  });

  it('`bci boards` lists each serial port once, by the description that starts with its path; the dongle says --port auto picks it', async () => {
    const binding = {
      list: async () => [
        { path: '/dev/ttyS0' },
        { path: '/dev/ttyUSB0', manufacturer: 'FTDI', vendorId: '0403', productId: '6015', serialNumber: 'DQ00ABCD' },
      ],
    };
    const ports = await listSerialPorts(binding as unknown as Parameters<typeof listSerialPorts>[0], 'linux');
    expect(serialPortLines(ports)).toEqual(['', 'serial ports:', '  /dev/ttyUSB0 FTDI [0403:6015] serial DQ00ABCD (OpenBCI dongle): --port auto picks it', '  /dev/ttyS0']);
    expect(serialPortLines([])).toEqual(['', 'serial ports: none found']);
  });
});
