// The board picker driven by the engine's board list alone: for every board `listBoards()` returns,
// the default choice, the control of each field (from its connection kind and its type), and
// connect requests the engine's validateBoardOptions accepts, whatever value a control offers. No
// board id is tested here except to pin today's look of the synthetic board's controls.
import { describe, expect, it } from 'vitest';
import { listBoards } from '../../../../../electron/engine/boards/registry.js';
import { validateBoardOptions, type BoardInfo } from '../../../../../electron/common/contract/board-options.js';
import {
  EMPTY_CHOICE,
  choiceOf,
  chosenBoard,
  connectRequest,
  fieldControl,
  fieldValue,
  layoutValues,
  missingField,
  pickerFields,
  withValue,
  type BoardChoice,
} from '../../../../../renderer/features/board/board-choice.js';
import { parseFieldValue } from '../../../../../renderer/ui/option-controls.js';

const boards = listBoards();

/** A value the user could give each field that needs typing (the connection's path, a number input). */
function typed(board: BoardInfo, choice: BoardChoice): BoardChoice {
  let c = choice;
  for (const field of pickerFields(board)) {
    const control = fieldControl(board, field, fieldValue(c, field));
    if (control.kind === 'file') c = withValue(c, field.key, '/tmp/recording.bdf');
    if (control.kind === 'serial-port') c = { ...withValue(c, field.key, '/dev/ttyUSB7'), customPort: true };
    if (control.kind === 'text' && fieldValue(c, field) === undefined) c = withValue(c, field.key, 'x');
  }
  return c;
}

describe('board choice from capabilities and fields', () => {
  it('chooses the first listed board by default, and shows nothing before the list arrives', () => {
    expect(boards.length).toBeGreaterThan(1);
    expect(chosenBoard(boards, EMPTY_CHOICE)).toBe(boards[0]);
    expect(chosenBoard(boards, { ...EMPTY_CHOICE, board: 'no-such-board' })).toBe(boards[0]);
    expect(chosenBoard([], EMPTY_CHOICE)).toBeNull();
    expect(connectRequest([], EMPTY_CHOICE)).toEqual({ ok: false, error: expect.stringMatching(/board list/) });
    // the default board connects as it is (its fields' defaults), as the page's first Connect does
    const first = connectRequest(boards, EMPTY_CHOICE);
    expect(first.ok).toBe(true);
    expect(validateBoardOptions(boards, first.ok ? first.options : null).ok).toBe(true);
  });

  it('never chooses a board that cannot be opened here (BrainFlow without its library)', () => {
    const unavailable: BoardInfo = { ...boards[0], id: 'lib', name: 'Library boards', unavailable: 'Library boards: no library found: install it' };
    const list = [unavailable, ...boards];
    expect(chosenBoard(list, EMPTY_CHOICE)).toBe(boards[0]);
    expect(chosenBoard(list, { ...EMPTY_CHOICE, board: 'lib' })).toBe(boards[0]);
  });

  it.each(boards.filter((b) => b.unavailable === undefined).map((b) => [b.id, b] as const))('draws %s from its connection and fields', (_id, board) => {
    const choice: BoardChoice = { ...EMPTY_CHOICE, board: board.id };
    expect(chosenBoard(boards, choice)).toBe(board);
    const shown = pickerFields(board);
    // advanced fields stay out of sight, and so do the speed and loop of a board with a transport
    // (the transport bar sets them: one control each); every other field has a control
    const transport = board.capabilities.playbackTransport ? ['speed', 'loop'] : [];
    expect(shown).toEqual(board.fields.filter((f) => (!f.advanced || f.key === board.capabilities.connectionField) && !transport.includes(f.key)));
    if (board.capabilities.playbackTransport) expect(shown.some((f) => f.key === 'speed' || f.key === 'loop')).toBe(false);
    for (const field of shown) {
      const control = fieldControl(board, field, fieldValue(choice, field));
      if (field.key === board.capabilities.connectionField) {
        expect(control.kind).toBe(board.capabilities.connection === 'serial-port' ? 'serial-port' : board.capabilities.connection === 'file' ? 'file' : 'text');
      } else if (field.type === 'enum') {
        expect(control).toEqual({ kind: 'select', choices: field.choices.map((c) => ({ value: String(c.value), label: c.label })) });
      } else if (field.type === 'boolean') {
        expect(control.kind).toBe('check');
      } else {
        expect(['select', 'number', 'text']).toContain(control.kind);
      }
    }
    // Connect waits for the connection's value when it has no default (a recording's path)
    const connection = board.fields.find((f) => f.key === board.capabilities.connectionField);
    expect(missingField(board, choice)).toBe(connection && connection.default === undefined ? connection : null);
    expect(missingField(board, typed(board, choice))).toBeNull();
  });

  it.each(boards.filter((b) => b.unavailable === undefined).map((b) => [b.id, b] as const))('connects %s with options the engine accepts, for every choice a select offers', (_id, board) => {
    const base = typed(board, { ...EMPTY_CHOICE, board: board.id });
    const requests = [connectRequest(boards, base)];
    for (const field of pickerFields(board)) {
      const control = fieldControl(board, field, fieldValue(base, field));
      if (control.kind === 'select') {
        for (const c of control.choices) {
          const value = parseFieldValue(field, c.value);
          expect(value, `${field.key} ${c.value}`).not.toBeNull();
          requests.push(connectRequest(boards, withValue(base, field.key, value!)));
        }
      }
      if (control.kind === 'check') for (const on of [true, false]) requests.push(connectRequest(boards, withValue(base, field.key, on)));
    }
    for (const request of requests) {
      if (!request.ok) throw new Error(request.error);
      expect(request.options.board).toBe(board.id);
      expect(validateBoardOptions(boards, request.options)).toMatchObject({ ok: true, board: { id: board.id } });
      // only the board's own options are sent
      const keys = Object.keys(request.options).filter((k) => k !== 'board');
      for (const key of keys) expect(board.fields.map((f) => f.key)).toContain(key);
    }
  });

  it('keeps values across boards and reports a value out of range in the engine\'s words', () => {
    const board = boards.find((b) => pickerFields(b).some((f) => f.type === 'integer'))!;
    const field = pickerFields(board).find((f) => f.type === 'integer')!;
    const result = connectRequest(boards, withValue({ ...EMPTY_CHOICE, board: board.id }, field.key, 1e9));
    expect(result).toEqual({ ok: false, error: expect.stringMatching(new RegExp(`invalid board options: ${field.key}`)) });
    // adopting a connection shows its board and values, and keeps the others
    const adopted = choiceOf(withValue(EMPTY_CHOICE, 'zzz', 1), { board: board.id, [field.key]: 2 });
    expect(adopted).toEqual({ board: board.id, values: { zzz: 1, [field.key]: 2 }, customPort: false });
  });

  it('reads back the layout of a board whose options decide it, and no other', () => {
    const eeg = { unit: 'uV', physicalMin: -1, physicalMax: 1, type: 'eeg' } as const;
    const descriptor = { id: 'x', name: 'X', sampleRateHz: 500, channels: Array.from({ length: 16 }, (_, i) => ({ ...eeg, label: `E${i}` })) };
    for (const board of boards) {
      const values = layoutValues(board, descriptor);
      if (board.capabilities.layout !== null) expect(values).toEqual({});
      for (const [key, value] of Object.entries(values)) {
        expect(board.fields.map((f) => f.key)).toContain(key);
        expect(validateBoardOptions(boards, { board: board.id, ...typedOptions(board), [key]: value }).ok).toBe(true);
      }
    }
    expect(boards.some((b) => Object.keys(layoutValues(b, descriptor)).length === 2)).toBe(true);
  });

  it("draws the synthetic board's controls as before: channels, rate, signal, mains", () => {
    const synthetic = boards.find((b) => b.id === 'synthetic')!;
    const choice = { ...EMPTY_CHOICE, board: synthetic.id };
    const controls = pickerFields(synthetic).map((f) => [f.key, fieldControl(synthetic, f, fieldValue(choice, f))] as const);
    expect(controls.map(([key, c]) => [key, c.kind === 'select' ? c.choices.map((o) => o.label) : c.kind])).toEqual([
      ['channelCount', ['8', '16', '32', '64']],
      ['sampleRateHz', ['250 Hz', '500 Hz', '1000 Hz']],
      ['mode', ['Resting EEG', 'Motor-imagery cues']],
      ['mainsHz', ['50 Hz', '60 Hz']],
    ]);
    expect(connectRequest(boards, choice)).toEqual({ ok: true, options: { board: 'synthetic', channelCount: 8, sampleRateHz: 250, mode: 'rest', mainsHz: 50 } });
  });
});

/** The options `typed` gives a board, for a request that needs its connection. */
function typedOptions(board: BoardInfo): Record<string, unknown> {
  const request = connectRequest(boards, typed(board, { ...EMPTY_CHOICE, board: board.id }));
  return request.ok ? { ...request.options } : {};
}
