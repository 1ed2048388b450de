// The UDP marker port on loopback (the OpenBCI GUI's 127.0.0.1:12350 convention): a text datagram
// becomes a marker stamped at its arrival through the clock model, within one sample of its send
// time, and lands in the recording (BDF annotation and events.tsv); a malformed datagram is
// refused and said, never written; a port in use is refused with a sentence.
import { describe, expect, it } from 'vitest';
import { createSocket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import { Engine } from '../../../electron/engine/engine.js';
import { hostNowMs } from '../../../electron/engine/acquisition.js';
import type { MarkerEvent } from '../../../electron/engine/engine.js';
import { openRecording } from '../../../electron/engine/files/open-recording.js';
import { tempDir } from '../../support/tmp.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function send(port: number, text: string | Buffer): Promise<void> {
  const socket = createSocket('udp4');
  return new Promise((resolve, reject) => socket.send(text, port, '127.0.0.1', (error) => (socket.close(), error ? reject(error) : resolve())));
}

describe('UDP marker port', () => {
  it('stamps a datagram on arrival, maps it to a sample within one sample through the clock model, and writes it into the recording', async () => {
    const engine = new Engine({ statusIntervalMs: 0 });
    try {
      const notices: string[] = [];
      engine.on('notice', (n) => notices.push(n));
      await engine.connect({ board: 'synthetic', sampleRateHz: 250 });
      await engine.start();
      const { path } = await engine.startRecording({ session: { subject: 'U01' }, dataDir: tempDir('bci-udp-') });
      const { port } = await engine.openMarkerPort(0);
      expect(port).toBeGreaterThan(0);
      const markers: MarkerEvent[] = [];
      engine.on('marker', (m) => markers.push(m));
      // let the clock model settle, then mark
      for (let deadline = Date.now() + 10_000; engine.getStatus().rowsReceived < 500 && Date.now() < deadline; ) await sleep(20);
      const sentAt: number[] = [];
      const seenAt: number[] = [];
      for (const label of ['stimulus/1', 'stimulus/2']) {
        sentAt.push(hostNowMs());
        await send(port, `${label}\n`);
        for (let deadline = Date.now() + 5000; markers.length < sentAt.length && Date.now() < deadline; ) await sleep(1);
        seenAt.push(hostNowMs());
        await sleep(100);
      }
      await send(port, Buffer.from([0x62, 0x61, 0x64, 0x07]));
      for (let deadline = Date.now() + 5000; notices.length === 0 && Date.now() < deadline; ) await sleep(5);
      expect(notices[0]).toMatch(/^a UDP marker was not UTF-8 text of 1-200 characters without control characters and was not recorded/);
      expect(markers.map((m) => [m.label, m.source])).toEqual([['stimulus/1', 'udp'], ['stimulus/2', 'udp']]);
      for (let i = 0; i < 2; i++) {
        const m = markers[i];
        // stamped on arrival, between the send and the moment the test saw it
        expect(m.hostTimeMs!).toBeGreaterThanOrEqual(sentAt[i]);
        expect(m.hostTimeMs!).toBeLessThanOrEqual(seenAt[i]);
        // and that moment's sample through the clock model: within one sample (4 ms at 250 Hz)
        const offsetMs = engine.sampleTimeMs(m.sampleIndex) - m.hostTimeMs!;
        expect(Math.abs(offsetMs), `marker ${i} is ${offsetMs.toFixed(2)} ms from its arrival`).toBeLessThanOrEqual(4);
      }
      expect(engine.markerPortInfo).toMatchObject({ received: 2, refused: 1 });
      const blocker = new Engine();
      await expect(blocker.openMarkerPort(port)).rejects.toThrow(`the UDP marker port 127.0.0.1:${port} is in use (the OpenBCI GUI or another workstation?): close it or choose another port`);
      await engine.stop();
      const result = await engine.stopRecording();
      const events = readFileSync(result.sidecars.find((s) => s.endsWith('_events.tsv'))!, 'utf8');
      for (const m of markers) expect(events).toContain(`\tmarker\t${m.label}\t`);
      const reader = await openRecording(path);
      const labels = reader.info.events.map((e) => e.label);
      await reader.close();
      expect(labels).toEqual(expect.arrayContaining(['stimulus/1', 'stimulus/2']));
    } finally {
      await engine.dispose();
    }
  });
});
