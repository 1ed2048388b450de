// XDF writing (`bci convert IN out.xdf`): a BDF+ with annotations converted to XDF is read back
// identically by the workstation's XDF reader (values bit for bit, the labels, the events at their
// onsets) and by an independent parser written here in Python against the XDF specification
// (chunks, stream headers, samples with their timestamps, markers, clock offsets, footers).
import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { edfBytes, tal } from '../support/format-builders.js';
import { openRecording } from '../../electron/engine/files/open-recording.js';
import { execFile } from 'node:child_process';
import { PACKAGE_ROOT, bci } from '../support/bci.js';
import { runPython } from '../support/python.js';
import { tempDir } from '../support/tmp.js';

const PARSER = String.raw`
import bisect, json, struct, sys, xml.etree.ElementTree as ET
data = open(sys.argv[1], 'rb').read()
assert data[:4] == b'XDF:'
at = 4
def varlen(at):
    n = data[at]
    return int.from_bytes(data[at + 1:at + 1 + n], 'little'), at + 1 + n
streams, offsets, tags = {}, {}, []
while at < len(data):
    length, at = varlen(at)
    tag = struct.unpack_from('<H', data, at)[0]
    body = data[at + 2:at + length]
    at += length
    tags.append(tag)
    if tag == 1:
        header = ET.fromstring(body)
    elif tag in (2, 3, 4, 6):
        sid = struct.unpack_from('<I', body, 0)[0]
        rest = body[4:]
        if tag == 2:
            info = ET.fromstring(rest)
            streams[sid] = {'name': info.findtext('name'), 'type': info.findtext('type'), 'format': info.findtext('channel_format'), 'rate': float(info.findtext('nominal_srate')),
                            'labels': [c.findtext('label') for c in info.find('desc').find('channels')], 'units': [c.findtext('unit') for c in info.find('desc').find('channels')], 'stamps': [], 'values': []}
        elif tag == 3:
            s = streams[sid]; n_ch = len(s['labels'])
            nb = rest[0]; count = int.from_bytes(rest[1:1 + nb], 'little'); p = 1 + nb
            for _ in range(count):
                tb = rest[p]; p += 1
                if tb == 8:
                    s['stamps'].append(struct.unpack_from('<d', rest, p)[0]); p += 8
                if s['format'] == 'string':
                    ln = rest[p]; L = int.from_bytes(rest[p + 1:p + 1 + ln], 'little'); p += 1 + ln
                    s['values'].append(rest[p:p + L].decode('utf8')); p += L
                else:
                    s['values'].append(list(struct.unpack_from('<%dd' % n_ch, rest, p))); p += 8 * n_ch
        elif tag == 4:
            offsets.setdefault(sid, []).append(struct.unpack_from('<dd', rest, 0))
        elif tag == 6:
            streams[sid]['footer_count'] = int(ET.fromstring(rest).findtext('sample_count'))
eeg = next(s for s in streams.values() if s['type'] == 'EEG')
markers = next(s for s in streams.values() if s['type'] == 'Markers')
print(json.dumps({'tags': sorted(set(tags)), 'labels': eeg['labels'], 'units': eeg['units'], 'rate': eeg['rate'], 'count': len(eeg['values']), 'footer_count': eeg['footer_count'],
                  'first': eeg['values'][0], 'last': eeg['values'][-1], 'sums': [sum(r[c] for r in eeg['values']) for c in range(len(eeg['labels']))],
                  'stamps': [eeg['stamps'][0], eeg['stamps'][1], eeg['stamps'][-1]], 'markers': list(zip(markers['stamps'], markers['values'])), 'offsets': len(offsets),
                  'marker_rows': [bisect.bisect_left(eeg['stamps'], t) for t in markers['stamps']], 'marker_exact': [bisect.bisect_left(eeg['stamps'], t) < len(eeg['stamps']) and eeg['stamps'][bisect.bisect_left(eeg['stamps'], t)] == t for t in markers['stamps']]}))
`;

describe('XDF writing', () => {
  it('bci convert IN out.xdf: read back identically by our reader and by an independent parser', async () => {
    const dir = tempDir();
    const input = join(dir, 'in.bdf');
    writeFileSync(
      input,
      edfBytes({
        variant: 'bdf',
        reserved: 'BDF+C',
        records: 3,
        duration: 1,
        signals: [
          { label: 'Fz', spr: 100, physMin: -1000, physMax: 1000, value: (r, i) => (r * 100 + i) * 97 - 40000 },
          { label: 'Cz', spr: 100, physMin: -1000, physMax: 1000, value: (r, i) => ((r * 100 + i) % 37) * 1000 },
          { label: 'BDF Annotations', spr: 30, tal: (r) => (r === 1 ? tal(1, { onset: 1.25, texts: ['left'] }) : r === 2 ? tal(2, { onset: 2.5, texts: ['rest é'] }) : tal(0)) },
        ],
      }),
    );
    const output = join(dir, 'out.xdf');
    const converted = await bci(['convert', input, output]);
    expect(converted.code, converted.stderr).toBe(0);
    expect(converted.stdout).toContain('(xdf): 300 samples × 2 channels at 100 Hz, 2 events');

    const source = await openRecording(input);
    const back = await openRecording(output);
    try {
      const a = new Float64Array(600);
      const b = new Float64Array(600);
      await source.readRows(0, 300, a);
      await back.readRows(0, 300, b);
      expect(back.info.format).toBe('xdf');
      expect(back.info.channels.map((c) => [c.label, c.unit])).toEqual([
        ['Fz', 'uV'],
        ['Cz', 'uV'],
      ]);
      expect(back.info.sampleRateHz).toBe(100);
      expect(back.info.sampleCount).toBe(300);
      expect(Array.from(b)).toEqual(Array.from(a));
      expect(back.info.events.map((e) => e.label)).toEqual(['left', 'rest é']);
      back.info.events.forEach((e, i) => expect(e.onsetSec).toBeCloseTo([1.25, 2.5][i], 6));

      // someone else's reading of the same bytes
      const py = runPython<{ tags: number[]; labels: string[]; units: string[]; rate: number; count: number; footer_count: number; first: number[]; last: number[]; sums: number[]; stamps: number[]; markers: [number, string][]; offsets: number }>(PARSER, [output]);
      expect(py.tags).toEqual([1, 2, 3, 4, 6]);
      expect(py.labels).toEqual(['Fz', 'Cz']);
      expect(py.units).toEqual(['microvolts', 'microvolts']);
      expect(py.rate).toBe(100);
      expect(py.count).toBe(300);
      expect(py.footer_count).toBe(300);
      expect(py.first).toEqual([a[0], a[1]]);
      expect(py.last).toEqual([a[598], a[599]]);
      const sums = [0, 0];
      for (let r = 0; r < 300; r++) for (let c = 0; c < 2; c++) sums[c] += a[r * 2 + c];
      py.sums.forEach((s, c) => expect(s).toBeCloseTo(sums[c], 6));
      expect(py.stamps).toEqual([0, 0.01, 2.99]);
      expect(py.markers).toEqual([
        [1.25, 'left'],
        [2.5, 'rest é'],
      ]);
      expect(py.offsets).toBe(2);
    } finally {
      await source.close();
      await back.close();
    }
  });

  it('bci record --format xdf on a disk that takes no more: the XDF stops with one sentence, the BDF+ goes on whole', async () => {
    // a file size limit (prlimit; Node ignores SIGXFSZ, so a write past it fails with EFBIG) that
    // the XDF (doubles and stamps: 72 bytes a row) reaches in under 2 s and the BDF+ (24) does not
    const dir = tempDir();
    const bdf = join(dir, 'rec_eeg.bdf');
    const r = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile('prlimit', ['--fsize=131072', '--', process.execPath, 'bin/bci.js', 'record', '--board', 'synthetic', '--rate', '1000', '--duration', '3', '--format', 'xdf', '--subject', 'S01', '--out', bdf], { cwd: PACKAGE_ROOT }, (error, stdout, stderr) =>
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr }),
      );
    });
    expect(r.code, r.stderr).toBe(1);
    const said = /the XDF copy stopped after [\d.]+ s: the file size limit was reached; the BDF\+ recording goes on/;
    expect(r.stderr.match(new RegExp(said.source, 'g'))).toHaveLength(1);
    expect(r.stderr).not.toMatch(/listener failed|at .*\.js:\d+/);
    expect(r.stdout).toMatch(/recorded 3\.00 s \(3000 samples, 3 records\)/);
    expect(r.stdout).toMatch(/xdf .*rec_eeg\.xdf \(\d+ samples, 0 markers and gaps\): stopped early/);
    const whole = await openRecording(bdf);
    const cut = await openRecording(join(dir, 'rec_eeg.xdf'));
    try {
      expect(whole.info.sampleCount).toBe(3000);
      // the XDF keeps what it wrote: a cut-off file the reader opens, with its first second whole
      expect(cut.info.sampleCount).toBeGreaterThan(1000);
      expect(cut.info.sampleCount).toBeLessThan(3000);
    } finally {
      await whole.close();
      await cut.close();
    }
  });

  it('bci record --format xdf: beside the BDF+, an XDF of the same samples (to the BDF\'s resolution) and markers, stamped by the clock model', async () => {
    const dir = tempDir();
    const bdf = join(dir, 'rec_eeg.bdf');
    const r = await bci(['record', '--board', 'synthetic', '--mode', 'mi', '--duration', '4', '--format', 'xdf', '--subject', 'S01', '--out', bdf]);
    expect(r.code, r.stderr).toBe(0);
    const xdf = join(dir, 'rec_eeg.xdf');
    expect(r.stdout).toContain(`and to ${xdf}`);
    const summary = / {2}xdf {12}.*rec_eeg\.xdf \((\d+) samples, (\d+) markers and gaps\)/.exec(r.stdout);
    expect(summary, r.stdout).not.toBeNull();
    const source = await openRecording(bdf);
    const back = await openRecording(xdf);
    try {
      expect(back.info.sampleCount).toBe(source.info.sampleCount);
      expect(Number(summary![1])).toBe(source.info.sampleCount);
      expect(Number(summary![2])).toBe(source.info.events.length);
      expect(back.info.channels.map((c) => c.label)).toEqual(source.info.channels.map((c) => c.label));
      const n = source.info.sampleCount;
      const width = source.info.rowChannels.length;
      const a = new Float64Array(n * width);
      const b = new Float64Array(n * width);
      await source.readRows(0, n, a);
      await back.readRows(0, n, b);
      // the XDF holds the doubles the board gave; the BDF+ their 24-bit codes (±187 500 µV full scale)
      const step = 375_000 / (2 ** 24 - 1);
      let worst = 0;
      for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
      expect(worst).toBeLessThanOrEqual(step);
      // the same cues; a reader maps their stamps through the stream's fitted (dejittered) time
      // line, so on a loaded machine, where the live clock model wanders, a few ms either way
      expect(back.info.events.map((e) => e.label)).toEqual(source.info.events.map((e) => e.label));
      back.info.events.forEach((e, i) => expect(Math.abs(e.onsetSec - source.info.events[i].onsetSec)).toBeLessThan(0.05));
      // someone else's reading: stamps a sample period apart (paced at 250 Hz), markers with them
      const py = runPython<{ count: number; footer_count: number; stamps: number[]; markers: [number, string][]; marker_rows: number[]; marker_exact: boolean[] }>(PARSER, [xdf]);
      // exactly: each marker carries the very time stamp of its sample's row, the BDF+ annotation's sample
      expect(py.marker_exact.every(Boolean)).toBe(true);
      expect(py.marker_rows).toEqual(source.info.events.map((e) => Math.round(e.onsetSec * 250)));
      expect(py.count).toBe(n);
      expect(py.footer_count).toBe(n);
      expect(py.stamps[1] - py.stamps[0]).toBeCloseTo(1 / 250, 3);
      expect((py.stamps[2] - py.stamps[0]) / (n - 1)).toBeCloseTo(1 / 250, 3);
      expect(py.markers.map(([, label]) => label)).toEqual(['rest', expect.stringMatching(/^(left|right)$/)]);
    } finally {
      await source.close();
      await back.close();
    }
    const refused = await bci(['record', '--board', 'synthetic', '--format', 'gdf', '--subject', 'S01', '--out', join(dir, 'x.bdf')]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/--format is bdf, edf or xdf, got "gdf"/);
  });
});
