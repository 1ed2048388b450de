// The Cyton from the command line, against the emulator on a socat pty (the real serialport
// binding): stream, impedance and channel settings, and the clear messages for a wrong port.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CytonEmulator } from '../../support/cyton-emulator.js';
import { socatAvailable } from '../../support/socat.js';
import { bci } from '../../support/bci.js';
import { tempDir } from '../../support/tmp.js';
import { Engine } from '../../../electron/engine/engine.js';
import { openRecording } from '../../../electron/engine/files/open-recording.js';

describe.skipIf(!socatAvailable())('bci with a Cyton (emulated on a pty)', () => {
  let emulator: CytonEmulator;
  beforeAll(async () => {
    emulator = await CytonEmulator.start({});
  });
  afterAll(async () => {
    await emulator?.stop();
  });

  it('streams 8 channels at 250 Hz through the pipeline and tells the truth in the summary', async () => {
    const r = await bci(['stream', '--board', 'cyton', '--port', emulator.hostPath, '--duration', '2', '--bandpass', '1-40', '--quiet']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/from OpenBCI Cyton \(11 channels at 250 Hz\)/);
    const received = Number(/summary: (\d+) samples received/.exec(r.stdout)?.[1]);
    expect(received).toBeGreaterThan(400);
    const rate = Number(/effective rate +([0-9.]+) Hz/.exec(r.stdout)?.[1]);
    expect(rate).toBeGreaterThan(225);
    expect(rate).toBeLessThan(275);
    expect(r.stdout).toMatch(/samples lost +0 /);
  });

  it('measures impedance per electrode in kΩ with a quality', async () => {
    const r = await bci(['impedance', '--board', 'cyton', '--port', emulator.hostPath, '--channels', '1,2']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/channel +label +impedance +quality/);
    expect(lines).toHaveLength(3);
    for (const line of lines.slice(1)) expect(line).toMatch(/^\s+[12]\s+\S+\s+([0-9.]+ kΩ|railed)\s+(good|fair|bad)$/);
  });

  it('changes a channel’s gain and input, and shows what the board confirmed', async () => {
    const r = await bci(['config', '--board', 'cyton', '--port', emulator.hostPath, '--channel', '3', '--gain', '8', '--input', 'shorted']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/channel 3: .*"gain":8.*"input":"shorted"/);
    const bad = await bci(['config', '--board', 'cyton', '--port', emulator.hostPath, '--channel', '3', '--gain', '7']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/--gain must be one of 1, 2, 4, 6, 8, 12, 24/);
  });

  it('records a Cyton whose channel 3 runs at gain 8: the file\'s ranges follow the gains', async () => {
    const engine = new Engine();
    try {
      await engine.connect({ board: 'cyton', port: emulator.hostPath });
      await engine.setChannels([{ channel: 3, gain: 8 }]);
      const { path } = await engine.startRecording({ session: { subject: 'S01' }, dataDir: tempDir('bci-cyton-rec-') });
      await engine.start();
      await new Promise((r) => setTimeout(r, 1500));
      await engine.stop();
      const result = await engine.stopRecording();
      expect(result.error).toBeNull();
      const reader = await openRecording(path);
      const ranges = reader.info.channels.map((c) => [c.label, c.physicalMax]);
      await reader.close();
      expect(ranges[0][1]).toBeCloseTo(187500, -1);
      expect(ranges[2][1]).toBeCloseTo(562500, -1);
      expect(ranges[1][1]).toBeCloseTo(187500, -1);
    } finally {
      await engine.dispose();
    }
  });

  it.each([
    [['stream', '--board', 'cyton', '--port', '/dev/does-not-exist', '--duration', '1'], /does-not-exist/],
    [['stream', '--board', 'cyton', '--channels', '16', '--duration', '1'], /apply to the synthetic board only/],
  ])('refuses %j with one clear line', async (args, message) => {
    const r = await bci(args);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});
