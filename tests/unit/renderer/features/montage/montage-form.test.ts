// The montage editor's form: rows from the board, the engine's own messages per row and field, and
// the board's channel count checked before Apply.
import { describe, expect, it } from 'vitest';
import { checkMontageForm, montageOf, rowsFromBoard } from '../../../../../renderer/features/montage/montage-form.js';
import { SYNTHETIC_DEFAULTS, syntheticDescriptor } from '../../../../../electron/common/boards/synthetic.js';

describe('montage form', () => {
  const board = syntheticDescriptor({ ...SYNTHETIC_DEFAULTS, channelCount: 4 });

  it('starts from the board and is valid as it comes', () => {
    const rows = rowsFromBoard(board);
    expect(rows.map((r) => r.label)).toEqual(board.channels.map((c) => c.label));
    expect(rows.every((r) => r.type === 'eeg' && r.position === r.label)).toBe(true);
    expect(checkMontageForm('lab', rows, board)).toEqual({ rows: [{}, {}, {}, {}], general: [], ok: true });
    expect(montageOf('lab', [{ label: 'HEOG', type: 'eog', position: '' }])).toEqual({ name: 'lab', channels: [{ label: 'HEOG', type: 'eog' }] });
  });

  it('puts each problem on its row and field, and the channel count and name apart', () => {
    const rows = rowsFromBoard(board);
    rows[1] = { ...rows[0] };
    rows[2] = { ...rows[2], label: 'long_eog_label', type: 'eog' };
    const check = checkMontageForm('', rows.slice(0, 3), board);
    expect(check.ok).toBe(false);
    expect(check.rows[1].label).toMatch(/both labelled/);
    expect(check.rows[1].position).toMatch(/both at/);
    expect(check.rows[2].label).toMatch(/longer than/);
    expect(check.general).toEqual(['give the montage a name', `the ${board.name} has 4 channels and this montage 3: it cannot be applied to this board`]);
  });
});
