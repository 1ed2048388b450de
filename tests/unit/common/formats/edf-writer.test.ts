// The BDF+/EDF+ writer's annotation bytes (TALs): a signed onset, a duration only when there is
// one, the TAL control characters in labels replaced by spaces, and what does not fit handed back.
// MNE reads the same files in tests/integration/formats/edf-annotations-mne.test.ts.
import { describe, expect, it } from 'vitest';
import { appendAnnotations, utf8 } from '../../../../electron/common/formats/edf-writer.js';

describe('BDF+/EDF+ annotations as written', () => {
  it('writes each TAL byte for byte: signed onset, duration only when there is one, control characters as spaces', () => {
    const area = new Uint8Array(256);
    const { overflow, used } = appendAnnotations(area, 0, 256, 0, [
      { onsetSec: 1.5, durationSec: 0.25, label: 'a' },
      { onsetSec: -2.5, durationSec: 0, label: 'b\x14c\x15d\x00e' },
      { onsetSec: 0, durationSec: 0, label: 'z' },
    ]);
    expect(overflow).toEqual([]);
    const text = '+1.5\x150.25\x14a\x14\x00-2.5\x14b c d e\x14\x00+0\x14z\x14\x00';
    expect(used).toBe(text.length);
    expect(Array.from(area.subarray(0, used))).toEqual(Array.from(utf8(text)));
    expect(area.subarray(used).every((b) => b === 0)).toBe(true);
  });

  it('returns what does not fit, in order, and writes nothing of it', () => {
    const area = new Uint8Array(24);
    const { overflow, unfit, used } = appendAnnotations(area, 0, 24, 0, [
      { onsetSec: 1, durationSec: 0, label: 'fits' },
      { onsetSec: 2, durationSec: 0, label: 'not after that' },
      { onsetSec: 3, durationSec: 0, label: 'x' },
    ]);
    expect(used).toBe('+1\x14fits\x14\x00'.length);
    expect(overflow.map((a) => a.onsetSec)).toEqual([2, 3]);
    expect(unfit).toEqual([]);
  });

  it('one too long for any record\'s area is returned apart and holds up none after it', () => {
    const area = new Uint8Array(40);
    const { overflow, unfit, used } = appendAnnotations(
      area,
      0,
      40,
      5,
      [
        { onsetSec: 1, durationSec: 0, label: 'fits' },
        { onsetSec: 2, durationSec: 0, label: 'longer than any area once the time-keeping entry is in' },
        { onsetSec: 3, durationSec: 0, label: 'x' },
      ],
      5,
    );
    expect(unfit.map((a) => a.onsetSec)).toEqual([2]);
    expect(overflow).toEqual([]);
    expect(used).toBe(5 + '+1\x14fits\x14\x00'.length + '+3\x14x\x14\x00'.length);
  });
});

