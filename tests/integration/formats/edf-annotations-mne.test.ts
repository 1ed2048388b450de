// The BDF+/EDF+ writer's annotations, read back by MNE-Python (mne.read_annotations, which keeps
// what lies outside the data) and by the workstation's reader: every onset with its sign, every
// duration, and labels with the TAL control characters (\x14, \x15, \x00 and the rest of C0)
// replaced by spaces, since left in they would cut or corrupt the TAL. (The bytes themselves:
// tests/unit/common/formats/edf-writer.test.ts.)
import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EdfLayout, encodeRecord, type EdfAnnotation, type EdfVariant } from '../../../electron/common/formats/edf-writer.js';
import { openRecording } from '../../../electron/engine/files/open-recording.js';
import { pythonHas, runPython } from '../../support/python.js';
import { tempDir } from '../../support/tmp.js';

const haveMne = pythonHas('mne');

const ANNOTATIONS: EdfAnnotation[] = [
  { onsetSec: 0.5, durationSec: 0, label: 'plain' },
  { onsetSec: 1.25, durationSec: 0.75, label: 'with a duration' },
  { onsetSec: 2, durationSec: 2.5, label: 'gap: 625 samples lost' },
  { onsetSec: 3.004, durationSec: 0.125, label: 'ünïcödé cue' },
  { onsetSec: -2.5, durationSec: 0, label: 'before the first sample' },
  { onsetSec: -0.004, durationSec: 1.5, label: 'just before, lasting' },
  { onsetSec: 4, durationSec: 0, label: 'ctl\x14in\x15the\x00label\x01\x1f.' },
];
const CLEAN_LABEL = 'ctl in the label  .';

function writeFile(variant: EdfVariant, dir: string): string {
  const layout = new EdfLayout({
    variant,
    subjectCode: 'S01',
    startTime: new Date(Date.UTC(2026, 0, 2, 3, 4, 5)),
    technician: 'test',
    equipment: 'test',
    sampleRateHz: 100,
    signals: [{ label: 'Cz', unit: 'uV', physicalMin: -1000, physicalMax: 1000 }],
  });
  const path = join(dir, `annotations.${variant}`);
  const records = 5;
  const bytes = new Uint8Array(layout.headerBytes + records * layout.recordBytes);
  bytes.set(layout.header(records), 0);
  const rows = new Float64Array(100);
  const record = new Uint8Array(layout.recordBytes);
  for (let r = 0; r < records; r++) {
    for (let i = 0; i < 100; i++) rows[i] = Math.sin((r * 100 + i) / 7) * 100;
    const { overflow } = encodeRecord(layout, rows, r, r === 0 ? ANNOTATIONS : [], record);
    expect(overflow).toEqual([]);
    bytes.set(record, layout.headerBytes + r * layout.recordBytes);
  }
  writeFileSync(path, bytes);
  return path;
}

const expected = ANNOTATIONS.map((a) => ({ onset: a.onsetSec, duration: a.durationSec, description: a.label.startsWith('ctl') ? CLEAN_LABEL : a.label }));

describe.skipIf(!haveMne)('BDF+/EDF+ annotations read back by MNE-Python', () => {
  it('bdf+ and edf+: MNE reads every onset (signed), duration and label as written, and so does the workstation', async () => {
    const dir = tempDir('bci-annot-');
    const paths = [writeFile('bdf', dir), writeFile('edf', dir)];
    // one Python for both files (importing MNE takes seconds)
    const answers = runPython<{ onset: number[]; duration: number[]; description: string[] }[]>(
      `
import json, sys, mne
out = []
for path in sys.argv[1:]:
    a = mne.read_annotations(path)
    out.append({"onset": [float(x) for x in a.onset], "duration": [float(x) for x in a.duration], "description": list(a.description)})
json.dump(out, sys.stdout)
`,
      paths,
    );
    const order = (a: { onset: number }, b: { onset: number }) => a.onset - b.onset;
    for (const [k, path] of paths.entries()) {
      const mne = answers[k];
      const seen = mne.onset.map((onset, i) => ({ onset, duration: mne.duration[i], description: mne.description[i] }));
      expect(seen.sort(order), path).toEqual([...expected].sort(order));
      const file = await openRecording(path);
      const own = file.info.events.map((e) => ({ onset: e.onsetSec, duration: e.durationSec, description: e.label }));
      await file.close();
      expect(own.sort(order), path).toEqual([...expected].sort(order));
    }
  });
});
