// Lab Streaming Layer between real processes over the real liblsl, on loopback only (lsl_api.cfg:
// ResolveScope = machine, KnownPeers = {127.0.0.1}, IPv6 off, for this process and every child):
// - the workstation's outlets (raw, markers) seen by an independent C inlet: the same samples as
//   the recording, the channel labels and units, the markers at their samples' times;
// - the LSL board recording a stream another process publishes, with that process's markers on
//   their samples, and the sender killed (link "disconnected", session on) then restarted (resumed,
//   the gap counted and annotated, every sample where it belongs);
// - without liblsl, the LSL features refuse in one sentence and the rest works.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { openRecording } from '../../electron/engine/files/open-recording.js';
import { Engine } from '../../electron/engine/engine.js';
import { bci } from '../support/bci.js';
import { tempDir } from '../support/tmp.js';
import { buildLslPeer, keepLslOnThisMachine, startChild, uniqueName, type Child } from '../support/lsl.js';

const dir = tempDir('bci-lsl-');
keepLslOnThisMachine(dir);
const BCI = ['bin/bci.js'];

async function readAll(path: string) {
  const rec = await openRecording(path);
  try {
    const { info } = rec;
    const rows = new Float64Array(info.sampleCount * info.rowChannels.length);
    await rec.readRows(0, info.sampleCount, rows);
    return { info, rows };
  } finally {
    await rec.close();
  }
}

async function exitOf(child: Child, timeoutMs = 40_000): Promise<number | null> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`process did not end within ${timeoutMs} ms:\n${child.out.text}\n${child.err.text}`)), timeoutMs)));
  try {
    return await Promise.race([child.exited, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

describe('LSL between processes', () => {
  const peer = buildLslPeer(dir);

  it('an independent inlet sees the samples, labels and markers the workstation publishes', async () => {
    const name = uniqueName('bci-out');
    const out = join(dir, 'outlets.bdf');
    const rec = startChild(process.execPath, [...BCI, 'record', '--board', 'synthetic', '--mode', 'mi', '--lsl', 'raw,markers', '--lsl-name', name, '--subject', 'S01', '--out', out]);
    await rec.out.waitFor(/^recording to /);
    const raw = startChild(peer, ['inlet', name, '1250']);
    const markers = startChild(peer, ['markers-in', `${name} markers`, '1']);
    expect(await exitOf(raw)).toBe(0);
    expect(await exitOf(markers)).toBe(0);
    rec.process.kill('SIGINT');
    expect(await exitOf(rec)).toBe(0);

    const { info, rows } = await readAll(out);
    const channels = info.rowChannels.length;
    // the description, as LSL's conventions say: labels, units, types, and a stable source_id
    const xml = raw.out.lines.find((l) => l.startsWith('XML '))!;
    const labels = [...xml.matchAll(/<label>([^<]*)<\/label>/g)].map((m) => m[1]);
    expect(labels).toEqual(info.channels.map((c) => c.label));
    expect([...xml.matchAll(/<unit>([^<]*)<\/unit>/g)].map((m) => m[1])).toEqual(labels.map(() => 'microvolts'));
    expect(xml).toContain('<type>EEG</type>');
    expect(xml).toContain(`<source_id>bci-workstation:synthetic:${name}:raw</source_id>`);
    expect(xml).toMatch(/<location>\s*<X>/);
    // both processes read the same clock: the offset LSL measures is under 1 ms
    const tc = Number(raw.out.lines.find((l) => l.startsWith('TC '))!.split(' ')[1]);
    expect(Math.abs(tc)).toBeLessThan(0.001);

    // the same samples: the inlet's 1250 rows are 1250 consecutive rows of the recording (within one BDF step)
    const samples = raw.out.lines.filter((l) => l.startsWith('S ')).map((l) => l.split(' ').slice(1).map(Number));
    expect(samples).toHaveLength(1250);
    const step = Math.max(...info.channels.map((c) => (c.physicalMax - c.physicalMin) / 2 ** 24)) * 1.01;
    const matches = (row: number, values: number[]) => values.slice(1).every((v, c) => Math.abs(rows[row * channels + c] - v) <= step);
    let first = -1;
    for (let r = 0; r < info.sampleCount && first < 0; r++) if (matches(r, samples[0])) first = r;
    expect(first).toBeGreaterThanOrEqual(0);
    for (let i = 0; i < samples.length; i++) expect(matches(first + i, samples[i]), `row ${first + i}`).toBe(true);
    // stamped at the sampling rate (the clock model's times)
    const span = samples[1249][0] - samples[0][0];
    expect(Math.abs(span / (1249 / info.sampleRateHz) - 1)).toBeLessThan(0.01);

    // the marker: the same label as in the recording, stamped within one sample of its sample's time
    const [, tsText, label] = /^M (\S+) (.*)$/.exec(markers.out.lines.find((l) => l.startsWith('M '))!)!;
    const event = info.events.find((e) => e.label === label);
    expect(event, `marker ${label} in ${JSON.stringify(info.events)}`).toBeDefined();
    const index = Math.round(event!.onsetSec * info.sampleRateHz);
    // its sample's stamp as the inlet saw it (or, past the rows pulled, from the nearest end at the nominal rate)
    const at = Math.min(samples.length - 1, Math.max(0, index - first));
    const expected = samples[at][0] + (index - first - at) / info.sampleRateHz;
    expect(Math.abs(Number(tsText) - expected)).toBeLessThan(1 / info.sampleRateHz);
  });

  it('the LSL board records another process\'s stream and markers, and rides out the sender being killed and restarted', async () => {
    const name = uniqueName('peer-eeg');
    const markersName = `${name}-markers`;
    const sourceId = uniqueName('peer-src');
    const sender = startChild(peer, ['outlet', name, '2', '250', '120', sourceId, '0', markersName]);
    const base = (await sender.out.waitFor(/^BASE /)).split(' ')[1];
    await sender.out.waitFor(/^READY/);

    // what a list shows (the same engine call as `bci lsl list` and the app's picker)
    const engine = new Engine();
    const stream = (await engine.listLslStreams(1)).find((s) => s.name === name);
    await engine.dispose();
    expect(stream).toMatchObject({ type: 'EEG', channelCount: 2, nominalRateHz: 250, sourceId, channelFormat: 'double64' });
    expect(stream!.hostname.length).toBeGreaterThan(0);

    const out = join(dir, 'board.bdf');
    const rec = startChild(process.execPath, [...BCI, 'record', '--board', 'lsl', '--lsl-stream', name, '--lsl-markers', markersName, '--subject', 'S01', '--out', out]);
    await rec.out.waitFor(/^recording to /);
    // two markers into the session, then the sender dies
    await rec.err.waitFor(/taking markers/);
    await new Promise((resolve) => setTimeout(resolve, 1300));
    sender.process.kill('SIGKILL');
    await rec.err.waitFor(/^bci: disconnected: .*stopped sending/);
    const again = startChild(peer, ['outlet', name, '2', '250', '120', sourceId, base, markersName]);
    await again.out.waitFor(/^READY/);
    await rec.err.waitFor(/^bci: connected: .*is back/);
    // the marker inlet recovers on its own, beside the data inlet, and LSL sends a new consumer no
    // backlog: leave it time for a marker (one each 0.6 s) after it is back, also on a loaded machine
    await new Promise((resolve) => setTimeout(resolve, 2500));
    rec.process.kill('SIGINT');
    expect(await exitOf(rec)).toBe(0);
    again.process.kill('SIGKILL');

    const { info, rows } = await readAll(out);
    expect(info.channels.map((c) => c.label)).toEqual(['C1', 'C2']);
    expect(info.sampleRateHz).toBe(250);
    const gap = info.events.find((e) => /^gap: \d+ samples lost$/.test(e.label));
    expect(gap, JSON.stringify(info.events)).toBeDefined();
    expect(info.events.some((e) => e.label.startsWith('disconnected: '))).toBe(true);
    const gapStart = Math.round(gap!.onsetSec * 250);
    const lost = Number(/(\d+)/.exec(gap!.label)![1]);
    expect(lost).toBeGreaterThan(100);
    // every sample where it belongs: channel 1 holds the sender's sample number, so value − index is one constant on both sides of the gap
    const written = Number(/recorded [\d.]+ s \((\d+) samples/.exec(rec.out.text)![1]);
    const offset = rows[0] - 0;
    expect(written).toBeGreaterThan(gapStart + lost);
    for (let i = 0; i < written; i++) {
      if (i >= gapStart && i < gapStart + lost) continue;
      expect(Math.round(rows[i * 2] - i), `sample ${i}`).toBe(Math.round(offset));
      expect(Math.round(rows[i * 2 + 1] - rows[i * 2])).toBe(1000);
    }
    // the other process's markers ("k<sample number>") on their very sample, before and after the restart
    const markers = info.events.filter((e) => /^k\d+$/.test(e.label));
    expect(markers.some((e) => e.onsetSec * 250 < gapStart)).toBe(true);
    expect(markers.some((e) => e.onsetSec * 250 > gapStart + lost)).toBe(true);
    for (const m of markers) {
      const index = Math.round(m.onsetSec * 250);
      expect(Math.abs(rows[index * 2] - Number(m.label.slice(1))), m.label).toBeLessThanOrEqual(1);
    }
  });

  it('without liblsl the LSL features say so in one sentence and the rest works', async () => {
    const env = { LSL_LIB: join(dir, 'no-liblsl.so') };
    const refused = await bci(['stream', '--duration', '0.3', '--quiet', '--lsl', 'raw'], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    expect(refused.stderr).toMatch(/^bci: LSL is not available: LSL_LIB names .*no-liblsl\.so, which does not exist.*everything else works without it/);
    const plain = await bci(['stream', '--duration', '0.3', '--quiet'], env);
    expect(plain.code, plain.stderr).toBe(0);
  });
});
