// One failure shape end to end: the command host answers { ok: false, kind, error, issues }, the
// CLI's exit code follows the kind (2: a request that can never work; 1: a failure at run time),
// and recovery of unfinished recordings is the engine's, reported as notices by every host.
import { describe, expect, it } from 'vitest';
import { readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { Engine } from '../../electron/engine/engine.js';
import { CommandHost, type ClientSink } from '../../electron/engine/command-host.js';
import type { EngineEvent } from '../../electron/common/contract/commands.js';
import { bci } from '../support/bci.js';
import { tempDir } from '../support/tmp.js';

const work = tempDir('bci-failures-');

/** A recording cut off as by kill -9: the header's record count still says -1, a record half written. */
async function unfinishedRecording(dataDir: string): Promise<string> {
  const engine = new Engine();
  try {
    await engine.connect({ board: 'synthetic', channelCount: 2, durationSec: 3, paced: false });
    const { path } = await engine.startRecording({ session: { subject: 'S42' }, dataDir });
    await engine.start();
    await engine.ended();
    await engine.stop();
    await engine.stopRecording();
    const bytes = readFileSync(path);
    bytes.write('-1      ', 236, 'latin1');
    writeFileSync(path, bytes.subarray(0, bytes.length - 100));
    rmSync(`${path}.sha256`);
    return path;
  } finally {
    await engine.dispose();
  }
}

describe('one failure shape', () => {
  it('answers every refused command with a kind, a sentence and the fields at fault', async () => {
    const engine = new Engine({ statusIntervalMs: 0 });
    const host = new CommandHost(engine);
    const events: EngineEvent[] = [];
    const sink: ClientSink = { sendEvent: (e) => events.push(e), sendFrame: () => {} };
    host.attach(sink);
    try {
      const invalid = await host.handle(sink, 'startRecording', { session: { subject: '' } });
      expect(invalid).toMatchObject({ ok: false, kind: 'invalid-request' });
      expect(!invalid.ok && invalid.issues.map((i) => i.path)).toContain('session.subject');
      expect(await host.handle(sink, 'start', {})).toMatchObject({ ok: false, kind: 'state', error: expect.stringMatching(/no board is connected/) });
      expect(await host.handle(sink, 'connect', { board: 'nope' })).toMatchObject({ ok: false, kind: 'invalid-request', error: expect.stringMatching(/unknown board "nope"/) });
      expect(await host.handle(sink, 'connect', { board: 'synthetic', channelCount: 2 })).toMatchObject({ ok: true });
      expect(await host.handle(sink, 'measureImpedance', {})).toMatchObject({ ok: false, kind: 'unsupported', error: expect.stringMatching(/has no such settings/) });
      expect(await host.handle(sink, 'stopRecording', {})).toMatchObject({ ok: false, kind: 'state', error: 'not recording' });
    } finally {
      host.dispose();
      await engine.dispose();
    }
  });

  it('lets the CLI choose its exit code from the kind', async () => {
    const badFlag = await bci(['stream', '--no-such-flag']);
    expect([badFlag.code, badFlag.stderr.trim().split('\n').length]).toEqual([2, 1]);
    const unknownBoard = await bci(['stream', '--board', 'nope', '--duration', '1']);
    expect(unknownBoard.code).toBe(2);
    expect(unknownBoard.stderr).toMatch(/^bci: unknown board "nope"/);
    // an unplugged dongle is not a bad argument: a failure at run time
    const unplugged = await bci(['stream', '--board', 'cyton', '--port', join(work, 'ttyUSB-gone'), '--duration', '1']);
    expect(unplugged.code).toBe(1);
    expect(unplugged.stderr).toMatch(/^bci: /);
    expect(unplugged.stderr).not.toMatch(/\n\s+at /);
    const playbackMissing = await bci(['replay', join(work, 'no-such-file.bdf')]);
    expect(playbackMissing.code).toBe(1);
  });
});

describe('recovery of unfinished recordings is the engine\'s', () => {
  it('completes them and reports each as a notice: in the status, as an event, and to the caller', async () => {
    const dataDir = join(work, 'recover-engine');
    const path = await unfinishedRecording(dataDir);
    const engine = new Engine({ statusIntervalMs: 0 });
    const host = new CommandHost(engine);
    const events: EngineEvent[] = [];
    host.attach({ sendEvent: (e) => events.push(e), sendFrame: () => {} });
    try {
      const lines = engine.recoverUnfinished(dataDir);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^recovered an unfinished recording: repaired .*S42.*: kept 2 records/);
      expect(readFileSync(path).subarray(236, 244).toString('latin1').trim()).toBe('2');
      expect(engine.getStatus().notices).toEqual(lines);
      expect(events).toContainEqual({ type: 'notice', message: lines[0] });
      const status = await host.handle(undefined, 'getStatus', {});
      expect(status.ok && (status.result as { notices: string[] }).notices).toEqual(lines);
      // nothing is left to recover the second time
      expect(engine.recoverUnfinished(dataDir)).toEqual([]);
    } finally {
      host.dispose();
      await engine.dispose();
    }
  });

  it('bci record repairs the data folder it records into, and leaves it alone with --out', async () => {
    const dataDir = join(work, 'recover-cli');
    const path = await unfinishedRecording(dataDir);
    const out = join(work, 'explicit.bdf');
    const explicit = await bci(['record', '--subject', 'S43', '--duration', '1', '--unpaced', '--out', out], { BCI_DATA_DIR: dataDir });
    expect(explicit.code).toBe(0);
    expect(explicit.stdout).not.toMatch(/recovered/);
    expect(readFileSync(path).subarray(236, 244).toString('latin1')).toBe('-1      ');
    const home = await bci(['record', '--subject', 'S43', '--duration', '1', '--unpaced'], { BCI_DATA_DIR: dataDir });
    expect(home.code).toBe(0);
    expect(home.stdout).toMatch(/^recovered an unfinished recording: repaired .*S42/m);
    expect(existsSync(`${path}.sha256`)).toBe(true);
  });
});

describe('paths that are not files', () => {
  it('refuses a FIFO or a device as a model or a recording in a sentence, without waiting on it', async () => {
    const fifo = join(work, 'fifo.json');
    execFileSync('mkfifo', [fifo]);
    const t0 = Date.now();
    const model = await bci(['evaluate', fifo, join(work, 'x.csv')]);
    expect([model.code, model.stderr.trim()]).toEqual([2, `bci: ${fifo} is not a regular file: a model is a .json file`]);
    const device = await bci(['evaluate', '/dev/zero', join(work, 'x.csv')]);
    expect(device.code).toBe(2);
    const recording = await bci(['train', fifo, '--decoder', 'csp-lda', '--classes', 'a,b', '--window', '0-1', '--out', join(work, 'never.json')]);
    expect([recording.code, recording.stderr.trim()]).toEqual([1, `bci: cannot open ${fifo}: not a regular file`]);
    expect(Date.now() - t0).toBeLessThan(20_000);
  });
});
