// Montages as data: the schema's checks and their sentences (positions the head map knows, labels
// that fit a BDF header with their type prefix, unique labels and positions), the table reader,
// how a montage relabels a board (and refuses another channel count), the header labels, and the
// electrodes.tsv a recording gets.
import { describe, expect, it } from 'vitest';
import {
  MONTAGE_POSITIONS,
  applyMontageTo,
  canonicalPosition,
  explainMontageIssues,
  headerLabel,
  montageFromDescriptor,
  montageSchema,
  montageTable,
  parseMontageTable,
} from '../../../../electron/common/contract/montage.js';
import { cytonDescriptor } from '../../../../electron/common/boards/cyton-descriptor.js';
import { electrodesTsv } from '../../../../electron/common/formats/bids.js';
import { EngineError } from '../../../../electron/common/contract/failure.js';
import { edfChannelType } from '../../../../electron/common/formats/edf-reader.js';

const eeg = (label: string, position?: string) => ({ label, type: 'eeg' as const, ...(position !== undefined && { position }) });
const problems = (input: unknown): string => {
  const parsed = montageSchema.safeParse(input);
  if (parsed.success) return '';
  return explainMontageIssues(input, parsed.error.issues).message;
};

describe('montage schema', () => {
  it('knows the 10-10 positions, canonically spelt, and reads old names and any case', () => {
    for (const p of ['Fp1', 'Fpz', 'AF7', 'FCz', 'FT10', 'T7', 'Cz', 'CP6', 'PO8', 'O2', 'Iz', 'I1']) expect(MONTAGE_POSITIONS).toContain(p);
    expect(MONTAGE_POSITIONS).not.toContain('T3');
    expect(canonicalPosition('fp1')).toBe('Fp1');
    expect(canonicalPosition(' CZ ')).toBe('Cz');
    expect(canonicalPosition('t4')).toBe('T8');
    expect(canonicalPosition('A1')).toBeUndefined();
    const m = montageSchema.parse({ name: 'lab', channels: [eeg('a', 'fpz'), eeg('b', 'T5'), eeg('c', ''), eeg('d')] });
    expect(m.channels.map((c) => c.position)).toEqual(['Fpz', 'P7', undefined, undefined]);
  });

  it('refuses an unknown position, naming the channel and what to write', () => {
    expect(problems({ name: 'lab', channels: [eeg('Fp1', 'Fp1'), eeg('Xx', 'Q7')] })).toBe(
      'montage lab: channel 2 (Xx): "Q7" is not a 10-20 / 10-10 position: use a name such as Fp1, Cz or O2, or leave the position empty',
    );
  });

  it('refuses labels that would not fit the BDF header with their type prefix, or are not ASCII', () => {
    expect(montageSchema.safeParse({ name: 'm', channels: [eeg('sixteen_chars_ab')] }).success).toBe(true);
    expect(problems({ name: 'm', channels: [{ label: 'thirteen_char', type: 'eog' }] })).toMatch(/longer than 12 characters \(an EOG channel's label is written "EOG thirteen_char"/);
    // a label already prefixed is written as it is
    expect(montageSchema.safeParse({ name: 'm', channels: [{ label: 'EOG left_lower', type: 'eog' }] }).success).toBe(true);
    expect(problems({ name: 'm', channels: [eeg('Fp1é')] })).toMatch(/plain ASCII/);
    expect(problems({ name: 'm', channels: [eeg('a,b')] })).toMatch(/comma/);
    expect(problems({ name: 'm', channels: [eeg('  ')] })).toMatch(/give the channel a label/);
  });

  it('refuses duplicate labels and positions, and bad names', () => {
    expect(problems({ name: 'm', channels: [eeg('C3'), eeg('c3')] })).toMatch(/channels 1 and 2 are both labelled "c3": each label must be unique/);
    expect(problems({ name: 'm', channels: [eeg('a', 'Cz'), eeg('b', 'cz')] })).toMatch(/channels 1 and 2 are both at Cz/);
    expect(problems({ name: '../x', channels: [eeg('a')] })).toMatch(/montage name is letters, digits/);
    expect(problems({ name: 'm', channels: [] })).toMatch(/at least one channel/);
    expect(problems({ name: 'm', channels: [{ label: 'a', type: 'blah' }] })).toMatch(/the type is one of eeg, eog, emg, ecg, accel, misc/);
  });
});

describe('montage tables', () => {
  it('reads CSV and TSV with a header, defaulting the type to EEG and the position to none', () => {
    const csv = '# our cap\nlabel,type,position\nFp1,eeg,fp1\n\nHEOG,EOG,\nAccelX,accel,-\nC3,,C3\n';
    expect(parseMontageTable(csv)).toEqual([
      { label: 'Fp1', type: 'eeg', position: 'fp1' },
      { label: 'HEOG', type: 'eog' },
      { label: 'AccelX', type: 'accel' },
      { label: 'C3', type: 'eeg', position: 'C3' },
    ]);
    expect(parseMontageTable('name\ttype\nFp1\tEEG\nAUX1\tMISC\n')).toEqual([{ label: 'Fp1', type: 'eeg' }, { label: 'AUX1', type: 'misc' }]);
    const m = montageSchema.parse({ name: 'x', channels: parseMontageTable(csv) });
    expect(parseMontageTable(montageTable(m))).toEqual(m.channels);
  });

  it('says which line or column is wrong', () => {
    expect(() => parseMontageTable('label,type\nFp1,eeg\nX,brain\n')).toThrow('line 3 of the montage table: the type "brain" is not one of eeg, eog, emg, ecg, accel, misc');
    expect(() => parseMontageTable('Fp1,eeg\n')).toThrow(/first row must name its columns/);
    expect(() => parseMontageTable('label,colour\nFp1,red\n')).toThrow(/a column "colour"/);
    expect(() => parseMontageTable('\n# nothing\n')).toThrow(/empty/);
  });
});

describe('applying a montage', () => {
  const cyton = cytonDescriptor('cyton');
  const lab = montageSchema.parse({
    name: 'lab',
    channels: [eeg('Fp1', 'Fp1'), eeg('Fp2', 'Fp2'), { label: 'HEOG', type: 'eog' }, eeg('Ch4', 'C4'), { label: 'chin', type: 'emg' }, eeg('P8', 'P8'), eeg('O1', 'O1'), { label: 'aux', type: 'misc' }, { label: 'AccelX', type: 'accel' }, { label: 'AccelY', type: 'accel' }, { label: 'AccelZ', type: 'accel' }],
  });

  it('relabels the board, keeping its rate, units and ranges', () => {
    const board = applyMontageTo(cyton, lab);
    expect(board.sampleRateHz).toBe(cyton.sampleRateHz);
    expect(board.channels.map((c) => c.label)).toEqual(lab.channels.map((c) => c.label));
    expect(board.channels.map((c) => c.type)).toEqual(['eeg', 'eeg', 'eog', 'eeg', 'emg', 'eeg', 'eeg', 'aux', 'accel', 'accel', 'accel']);
    expect(board.channels.map((c) => c.position)).toEqual(['Fp1', 'Fp2', '', 'C4', '', 'P8', 'O1', '', '', '', '']);
    expect(board.channels[3].physicalMax).toBe(cyton.channels[3].physicalMax);
    expect(board.channels.map(headerLabel)).toEqual(['Fp1', 'Fp2', 'EOG HEOG', 'Ch4', 'EMG chin', 'P8', 'O1', 'MISC aux', 'AccelX', 'AccelY', 'AccelZ']);
    // the workstation's own reader takes the types back from those labels (the Cyton's AccelX, in g, it reads as misc)
    expect(board.channels.slice(0, 8).map((c) => edfChannelType(headerLabel(c), c.unit))).toEqual(['eeg', 'eeg', 'eog', 'eeg', 'emg', 'eeg', 'eeg', 'misc']);
    // electrodes.tsv: the channels with a position, by label, on the spherical model (Cz straight up)
    const tsv = electrodesTsv(board)!.trim().split('\n');
    expect(tsv[0]).toBe('name\tx\ty\tz');
    expect(tsv.map((l) => l.split('\t')[0])).toEqual(['name', 'Fp1', 'Fp2', 'Ch4', 'P8', 'O1']);
    const ch4 = tsv[3].split('\t').map(Number);
    expect(ch4[1]).toBeGreaterThan(0); // right
    expect(Math.hypot(ch4[1], ch4[2], ch4[3])).toBeCloseTo(85, 0);
    // a montage taken from the board gives the board back
    expect(applyMontageTo(cyton, montageSchema.parse(montageFromDescriptor('own', cyton))).channels.map((c) => [c.label, c.type])).toEqual(cyton.channels.map((c) => [c.label, c.type]));
  });

  it('refuses a montage with another channel count, in a sentence', () => {
    const eight = montageSchema.parse({ name: 'eight', channels: lab.channels.slice(0, 8) });
    let error: unknown;
    try {
      applyMontageTo(cyton, eight);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(EngineError);
    expect((error as EngineError).kind).toBe('invalid-request');
    expect((error as EngineError).message).toBe('montage "eight" has 8 channels but the OpenBCI Cyton has 11 (8 EEG + 3 accel): a montage names every channel of the board, in order');
  });
});
