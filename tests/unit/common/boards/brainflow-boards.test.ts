// BrainFlow's board descriptions as the workstation reads them (pure): ids, the descriptor and
// row map, the package counter's losses, and exit codes as sentences.
import { describe, expect, it } from 'vitest';
import {
  BRAINFLOW_EXIT_CODES,
  brainflowBoardIds,
  brainflowErrorSentence,
  brainflowFailureKind,
  brainflowLayout,
  brainflowDescriptionSchema,
  lostPackages,
} from '../../../../electron/common/boards/brainflow-boards.js';

// BrainFlow's own description of its Cyton (get_board_descr(0, 0)), as the library answers it
const CYTON = brainflowDescriptionSchema.parse(
  JSON.parse(
    '{"accel_channels":[9,10,11],"analog_channels":[19,20,21],"ecg_channels":[1,2,3,4,5,6,7,8],"eeg_channels":[1,2,3,4,5,6,7,8],"eeg_names":"Fp1,Fp2,C3,C4,P7,P8,O1,O2","emg_channels":[1,2,3,4,5,6,7,8],"eog_channels":[1,2,3,4,5,6,7,8],"marker_channel":23,"name":"Cyton","num_rows":24,"other_channels":[12,13,14,15,16,17,18],"package_num_channel":0,"sampling_rate":250,"timestamp_channel":22}',
  ),
);

describe('BrainFlow boards', () => {
  it('names boards brainflow:<name>, a second board of a taken name with its BrainFlow id', () => {
    expect(brainflowBoardIds([
      { boardId: -3, name: 'PlayBack' },
      { boardId: 0, name: 'Cyton' },
      { boardId: 1, name: 'Ganglion' },
      { boardId: 53, name: 'AAVAA V3' },
      { boardId: 46, name: 'Ganglion' },
    ])).toEqual(['brainflow:playback', 'brainflow:cyton', 'brainflow:ganglion', 'brainflow:aavaa-v3', 'brainflow:ganglion-46']);
  });

  it('keeps each row once (ExG listed as eeg, emg, ecg, eog is EEG), EEG with BrainFlow\'s names, and the counter, timestamp and marker rows aside', () => {
    const { descriptor, map } = brainflowLayout('brainflow:cyton', 'Cyton', CYTON);
    expect(descriptor.sampleRateHz).toBe(250);
    expect(descriptor.channels.map((c) => c.label)).toEqual([
      'Fp1', 'Fp2', 'C3', 'C4', 'P7', 'P8', 'O1', 'O2', 'AccelX', 'AccelY', 'AccelZ', 'Analog1', 'Analog2', 'Analog3',
      'Other1', 'Other2', 'Other3', 'Other4', 'Other5', 'Other6', 'Other7',
    ]);
    expect(descriptor.channels.slice(0, 8).every((c) => c.type === 'eeg' && c.unit === 'uV')).toBe(true);
    expect(descriptor.channels[8]).toMatchObject({ type: 'accel', unit: 'g' });
    expect(Array.from(map.rows)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 19, 20, 21, 12, 13, 14, 15, 16, 17, 18]);
    expect(map).toMatchObject({ numRows: 24, packageRow: 0, timestampRow: 22, markerRow: 23 });
    // physical ranges fit an EDF header's 8 characters
    for (const c of descriptor.channels) expect(String(c.physicalMin).length).toBeLessThanOrEqual(8);
  });

  it('numbers EEG channels without names, and makes repeated labels unique', () => {
    const { descriptor } = brainflowLayout('brainflow:x', 'X', { name: 'X', sampling_rate: 100, num_rows: 5, eeg_channels: [0, 1], other_channels: [2], analog_channels: [3], timestamp_channel: 4 });
    expect(descriptor.channels.map((c) => c.label)).toEqual(['EEG1', 'EEG2', 'Analog1', 'Other1']);
  });

  it('counts lost packages on a wrapping byte counter and on a counter that only grows', () => {
    expect(lostPackages(10, 11, true)).toBe(0);
    expect(lostPackages(10, 14, true)).toBe(3);
    expect(lostPackages(254, 2, true)).toBe(3);
    expect(lostPackages(255, 0, true)).toBe(0);
    expect(lostPackages(1000, 1001, false)).toBe(0);
    expect(lostPackages(1000, 1010, false)).toBe(9);
    expect(lostPackages(1000, 5, false)).toBe(0); // a counter that restarted
  });

  it('turns every exit code into one sentence that says what to do and names the code', () => {
    for (const code of Object.keys(BRAINFLOW_EXIT_CODES).map(Number)) {
      const s = brainflowErrorSentence(code, { action: 'prepare', boardName: 'Cyton (BrainFlow)', serialPort: '/dev/ttyUSB0' });
      expect(s.split('\n')).toHaveLength(1);
      expect(s).toContain(`BrainFlow error ${code} ${BRAINFLOW_EXIT_CODES[code]} while trying to prepare`);
      expect(s).not.toMatch(/^BrainFlow failed on Cyton \(BrainFlow\) \(/); // each known code has its own words
    }
    expect(brainflowErrorSentence(2, { action: 'prepare', boardName: 'Cyton (BrainFlow)', serialPort: '/dev/ttyUSB9' })).toMatch(
      /^BrainFlow could not open the serial port \/dev\/ttyUSB9 for Cyton \(BrainFlow\): check the path/,
    );
    expect(brainflowErrorSentence(99, { action: 'read', boardName: 'B' })).toBe('BrainFlow failed on B (BrainFlow error 99 unknown while trying to read)');
    expect(brainflowFailureKind(2)).toBe('device');
    expect(brainflowFailureKind(13)).toBe('invalid-request');
    expect(brainflowFailureKind(16)).toBe('state');
  });
});
