// Assistive control for real: outputs on a real UDP socket, an OSC socket and a WebSocket server;
// a delivery that fails is reported; the audit log verifies and a changed byte is caught (by the
// module and by `bci audit verify`); stop halts the engine's outputs at once while data keeps
// coming; and `bci assist` on the synthetic board's motor imagery and rest modes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSocket, type Socket } from 'node:dgram';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { bci, bciSync } from '../../support/bci.js';
import { tempDir } from '../../support/tmp.js';
import { OutputHub, type DeliveryOutcome } from '../../../electron/engine/assistive/outputs.js';
import { AuditLog, verifyAuditText } from '../../../electron/engine/assistive/audit-log.js';
import { decodeOsc } from '../../../electron/common/assistive/osc.js';
import { startAssistSchema, type AssistMessage } from '../../../electron/common/contract/assistive.js';
import { Engine } from '../../../electron/engine/engine.js';
import { recordMotorImagery } from '../../support/motor-imagery.js';
import { SiteStore } from '../../../electron/engine/safety/site-store.js';

/** A data folder's protocols: ASSIST allows assistive sessions, REC-ONLY only recordings. */
function addProtocols(dataDir: string): void {
  const store = new SiteStore(dataDir);
  const approval = { committee: 'Board A', approvalNumber: 'EB-1', validFrom: '2000-01-01', validTo: '2999-12-31' };
  store.addProtocol({ id: 'ASSIST', title: 'Assistive study', ...approval, modes: ['recording', 'assistive'] });
  store.addProtocol({ id: 'REC-ONLY', title: 'Recordings only', ...approval, modes: ['recording'] });
}

interface Listener {
  readonly socket: Socket;
  readonly port: number;
  readonly messages: { at: number; bytes: Buffer }[];
  next(count: number, timeoutMs?: number): Promise<void>;
}

async function udpListener(): Promise<Listener> {
  const socket = createSocket('udp4');
  const messages: { at: number; bytes: Buffer }[] = [];
  const waiters: (() => void)[] = [];
  socket.on('message', (bytes) => {
    messages.push({ at: performance.now(), bytes });
    for (const w of waiters.splice(0)) w();
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const port = (socket.address() as AddressInfo).port;
  return {
    socket,
    port,
    messages,
    async next(count, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      while (messages.length < count) {
        if (Date.now() > deadline) throw new Error(`only ${messages.length} of ${count} UDP messages arrived`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 200);
        });
      }
    },
  };
}

const json = (b: Buffer) => JSON.parse(b.toString('utf8')) as AssistMessage;
const selection = (seq: number): AssistMessage => ({ type: 'selection', seq, target: 'Yes', index: 0, sampleIndex: 1000 + seq, probability: 0.93, time: new Date().toISOString() });

describe('assistive outputs', () => {
  it('deliver JSON over UDP, OSC over UDP and JSON over a WebSocket; a dead endpoint is reported, not dropped', async () => {
    const udp = await udpListener();
    const osc = await udpListener();
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
    const wsPort = (wss.address() as AddressInfo).port;
    const wsMessages: string[] = [];
    wss.on('connection', (c) => c.on('message', (m) => wsMessages.push(String(m))));
    const endpoints = startAssistSchema.parse({
      scheme: 'direct',
      targets: [{ label: 'Yes' }, { label: 'No' }],
      outputs: [
        { kind: 'udp', port: udp.port },
        { kind: 'osc', port: osc.port },
        { kind: 'websocket', url: `ws://127.0.0.1:${wsPort}/bci` },
        { kind: 'websocket', url: 'ws://127.0.0.1:1/nobody' },
      ],
    }).outputs;
    const hub = new OutputHub(endpoints);
    try {
      await hub.ready();
      const outcomes: DeliveryOutcome[] = [];
      hub.send(selection(1), (o) => outcomes.push(o));
      hub.send({ type: 'stop', seq: 2, sampleIndex: 1002, time: new Date().toISOString(), source: 'test' }, (o) => outcomes.push(o));
      await udp.next(2);
      await osc.next(2);
      for (let i = 0; i < 100 && (wsMessages.length < 2 || outcomes.length < 8); i++) await new Promise((r) => setTimeout(r, 20));
      expect(json(udp.messages[0].bytes)).toMatchObject({ type: 'selection', seq: 1, target: 'Yes', index: 0, probability: 0.93 });
      expect(json(udp.messages[1].bytes)).toMatchObject({ type: 'stop', seq: 2, source: 'test' });
      expect(decodeOsc(new Uint8Array(osc.messages[0].bytes))).toEqual({ address: '/bci/selection', args: ['Yes', 0, 1] });
      expect(decodeOsc(new Uint8Array(osc.messages[1].bytes))).toEqual({ address: '/bci/stop', args: [2] });
      expect(wsMessages.map((m) => (JSON.parse(m) as AssistMessage).type)).toEqual(['selection', 'stop']);
      const dead = outcomes.filter((o) => o.endpoint === 'ws://127.0.0.1:1/nobody');
      expect(dead).toHaveLength(2);
      expect(dead.every((o) => !o.ok && /not connected/.test(o.error ?? ''))).toBe(true);
      expect(hub.status().find((s) => s.endpoint === 'ws://127.0.0.1:1/nobody')).toMatchObject({ delivered: 0, failed: 2 });
      expect(hub.status().filter((s) => s.kind !== 'websocket' || s.endpoint.includes(String(wsPort))).every((s) => s.delivered === 2 && s.failed === 0)).toBe(true);
    } finally {
      hub.close();
      udp.socket.close();
      osc.socket.close();
      wss.close();
    }
  });

  it('refuse a remote address unless it is allowed explicitly', () => {
    const base = { scheme: 'direct', targets: [{ label: 'Yes' }, { label: 'No' }] };
    const refused = startAssistSchema.safeParse({ ...base, outputs: [{ kind: 'udp', host: '192.168.1.20', port: 9000 }] });
    expect(refused.success).toBe(false);
    expect(refused.error?.issues[0].message).toMatch(/not this machine.*allow/);
    expect(startAssistSchema.safeParse({ ...base, outputs: [{ kind: 'websocket', url: 'ws://10.0.0.2:81/' }] }).success).toBe(false);
    expect(startAssistSchema.safeParse({ ...base, outputs: [{ kind: 'udp', host: '192.168.1.20', port: 9000, allowRemote: true }] }).success).toBe(true);
    expect(startAssistSchema.parse({ ...base, outputs: [{ kind: 'udp', port: 9000 }] }).outputs[0]).toMatchObject({ host: '127.0.0.1' });
  });
});

describe('the audit log', () => {
  it('verifies, and the first changed, removed or reordered entry is named (module and `bci audit verify`)', async () => {
    const dir = tempDir();
    const path = join(dir, 'audit.jsonl');
    const log = AuditLog.create(path, { operator: 'OP', subject: 'S01', protocolId: 'P-1', modelId: 'm.json', modelSha256: 'ab'.repeat(32) });
    log.append('session-start', 0, { scheme: 'direct' });
    for (let i = 1; i <= 4; i++) log.append('selection', i * 100, { target: 'Yes', probabilities: { left: 0.9, right: 0.1 } });
    log.append('stop', 600, { source: 'escape' });
    log.close();
    const text = readFileSync(path, 'utf8');
    expect(verifyAuditText(text)).toMatchObject({ ok: true, entries: 6 });
    expect(JSON.parse(text.split('\n')[2])).toMatchObject({ seq: 3, type: 'selection', sampleIndex: 200, operator: 'OP', subject: 'S01', protocolId: 'P-1', modelId: 'm.json' });
    // one changed byte in entry 4 (0.9 → 0.8)
    const lines = text.split('\n');
    const at = text.indexOf('0.9', text.indexOf(lines[3]));
    const tampered = text.slice(0, at) + '0.8' + text.slice(at + 3);
    expect(verifyAuditText(tampered).firstBad).toMatchObject({ line: 4, reason: expect.stringMatching(/changed/) });
    // an entry removed
    expect(verifyAuditText([lines[0], lines[1], lines[3], lines[4], ''].join('\n')).firstBad).toMatchObject({ line: 3, reason: expect.stringMatching(/removed/) });
    const bad = join(dir, 'tampered.jsonl');
    writeFileSync(bad, tampered);
    const cli = await bci(['audit', 'verify', bad]);
    expect(cli.code).toBe(1);
    expect(cli.stderr).toMatch(/entry 4 does not verify/);
    const shown = await bci(['audit', 'show', path]);
    expect(shown.stdout).toMatch(/#6 .* stop \(escape\)/);
    expect(shown.stdout).toMatch(/6 entries; the chain verifies/);
  });
});

describe('assistive control on the synthetic board', () => {
  let dir: string;
  let model: string;
  beforeAll(() => {
    dir = tempDir();
    // left / right / rest: a model that knows rest can decline to select
    const recording = recordMotorImagery(dir, 'mi_eeg.bdf', 120, 7);
    model = join(dir, 'model.json');
    bciSync(['train', recording, '--decoder', 'csp-lda', '--classes', 'left,right,rest', '--window', '0.25-1.75', '--bandpass', '8-30', '--out', model]);
    // assistive sessions run under a protocol that allows them (one that does not, for the refusals)
    addProtocols(dir);
  }, 60_000);
  afterAll(() => undefined);

  it('stop halts the outputs at once while predictions go on; resume lets selections out again; all of it in the audit log', async () => {
    const udp = await udpListener();
    const engine = new Engine({ statusIntervalMs: 0 });
    try {
      await engine.connect({ board: 'synthetic', mode: 'mi', seed: 8, paced: false, durationSec: 120 });
      await engine.loadModel({ path: model });
      const audit = join(dir, 'engine-audit.jsonl');
      const base = { scheme: 'direct' as const, targets: [{ label: 'Yes' }, { label: 'No' }], dwellSec: 0.5, refractorySec: 1, thresholdProb: 0.7, outputs: [{ kind: 'udp' as const, port: udp.port }], auditPath: audit, dataDir: dir };
      // checked as an assistive session: a protocol that allows only recordings is refused in a sentence, and so is one without consent
      await expect(engine.startAssist({ ...base, session: { subject: 'S01', operator: 'OP', protocolId: 'REC-ONLY', consentObtained: true } })).rejects.toThrow(/^protocol REC-ONLY does not allow assistive sessions \(it allows recording\)$/);
      await expect(engine.startAssist({ ...base, session: { subject: 'S01', operator: 'OP', protocolId: 'ASSIST' } })).rejects.toThrow(/^no consent is recorded for subject S01 under protocol ASSIST/);
      await engine.startAssist({ ...base, session: { subject: 'S01', operator: 'OP', protocolId: 'ASSIST', consentObtained: true } });
      expect(new SiteStore(dir).ethicsLog().map((c) => [c.mode, c.protocolId, c.outcome])).toEqual([
        ['assistive', 'REC-ONLY', 'refused'],
        ['assistive', 'ASSIST', 'refused'],
        ['assistive', 'ASSIST', 'approved'],
      ]);
      let predictionsAfterStop = 0;
      let stopped = false;
      engine.on('prediction', (p) => void (stopped && (predictionsAfterStop += p.count)));
      await engine.start();
      await udp.next(2, 60_000); // two selections
      engine.stopAssist('test');
      stopped = true;
      // selections sent just before the stop may still be in flight: the stop is the boundary, as it was sent
      const kinds = (): string[] => udp.messages.map((m) => json(m.bytes).type as string);
      while (!kinds().includes('stop')) await udp.next(udp.messages.length + 1);
      const atStop = kinds().indexOf('stop');
      // keep running well past the dwell + refractory: nothing may follow the stop
      while (predictionsAfterStop < 300) await new Promise((r) => setTimeout(r, 20));
      expect(kinds().slice(atStop)).toEqual(['stop']);
      const seqs = udp.messages.map((m) => json(m.bytes).seq as number);
      expect(Math.max(...seqs.slice(0, atStop))).toBeLessThan(seqs[atStop]);
      engine.resumeAssist('test');
      await udp.next(atStop + 3, 60_000); // the resume, then a selection again
      expect(kinds().slice(atStop, atStop + 3)).toEqual(['stop', 'resume', 'selection']);
      engine.endAssist();
      await engine.stop();
      const text = readFileSync(audit, 'utf8');
      expect(verifyAuditText(text).ok).toBe(true);
      const types = text.trim().split('\n').map((l) => (JSON.parse(l) as { type: string }).type);
      expect(types[0]).toBe('session-start');
      expect(types).toContain('stop');
      expect(types).toContain('resume');
      // nothing was selected between the stop and the resume (a delivery logged there is of a message sent before the stop)
      expect(types.slice(types.indexOf('stop'), types.indexOf('resume')).filter((t) => t === 'selection')).toEqual([]);
      expect(types).toContain('delivery');
      expect(types[types.length - 1]).toBe('session-end');
      const sel = text.split('\n').map((l) => (l ? (JSON.parse(l) as Record<string, unknown>) : null)).find((e) => e?.type === 'selection')!;
      expect(sel).toMatchObject({ subject: 'S01', operator: 'OP', modelId: 'model.json', dwellSec: 0.5, thresholdProb: 0.7, window: expect.objectContaining({ lastSampleIndex: sel.sampleIndex }) });
      expect(Object.keys(sel.probabilities as object)).toEqual(['left', 'right', 'rest']);
    } finally {
      await engine.dispose();
      udp.socket.close();
    }
  }, 90_000);

  it('`bci assist` on motor imagery selects the cued targets and reports the summary; on rest it selects nothing', async () => {
    const udp = await udpListener();
    try {
      const out = join(dir, 'mi-run');
      addProtocols(out);
      const mi = await bci(['assist', '--model', model, '--board', 'synthetic', '--mode', 'mi', '--unpaced', '--seed', '8', '--duration', '48', '--targets', 'Yes,No', '--threshold', '0.8', '--dwell', '1', '--refractory', '2', '--udp', `127.0.0.1:${udp.port}`, '--out', out, '--protocol', 'ASSIST', '--consent', '--json']);
      expect(mi.stderr).toBe('');
      expect(mi.code).toBe(0);
      const s = JSON.parse(mi.stdout) as Record<string, number | string | null>;
      expect(s).toMatchObject({ scheme: 'direct', thresholdProb: 0.8, dwellSec: 1, refractorySec: 2 });
      for (const key of ['selections', 'falseSelectionsPerMin', 'correct', 'total', 'meanTimeToSelectSec', 'auditLog']) expect(s).toHaveProperty(key);
      expect(s.selections).toBeGreaterThanOrEqual(3);
      expect(Number(s.correct)).toBeGreaterThanOrEqual(0.8 * Number(s.total));
      expect(s.falseSelectionsPerMin).toBeLessThanOrEqual(3);
      expect(s.meanTimeToSelectSec).toBeGreaterThan(1);
      await udp.next(Number(s.selections));
      expect(udp.messages.filter((m) => json(m.bytes).type === 'selection')).toHaveLength(Number(s.selections));
      expect((await bci(['audit', 'verify', String(s.auditLog)])).code).toBe(0);
      expect(String(s.auditLog)).toMatch(/_assist\.jsonl$/);
      // the rest mode: with a stricter setting, no false selection in three minutes
      addProtocols(join(dir, 'rest-run'));
      const rest = await bci(['assist', '--model', model, '--board', 'synthetic', '--mode', 'rest', '--unpaced', '--seed', '9', '--duration', '180', '--threshold', '0.9', '--dwell', '2', '--out', join(dir, 'rest-run'), '--protocol', 'ASSIST', '--consent', '--json']);
      expect(rest.code).toBe(0);
      const r = JSON.parse(rest.stdout) as { selections: number; falseSelectionsPerMin: number; noControlMinutes: number };
      expect(r.noControlMinutes).toBeCloseTo(3, 1);
      expect(r.falseSelectionsPerMin).toBeLessThanOrEqual(1 / 3);
    } finally {
      udp.socket.close();
    }
  }, 120_000);

  it('refuses a session its protocol does not allow, with one sentence and exit 2, before anything is recorded', async () => {
    const out = join(dir, 'refused-run');
    addProtocols(out);
    const r = await bci(['assist', '--model', model, '--board', 'synthetic', '--duration', '1', '--out', out, '--protocol', 'REC-ONLY', '--consent']);
    expect(r.stderr).toBe('bci: protocol REC-ONLY does not allow assistive sessions (it allows recording)\n');
    expect(r.code).toBe(2);
  });

  it('refuses bad settings with one sentence and exit 2', async () => {
    addProtocols(join(dir, 'bad'));
    const r = await bci(['assist', '--model', model, '--targets', 'A,B,C', '--duration', '1', '--out', join(dir, 'bad'), '--protocol', 'ASSIST', '--consent']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^bci: the model has 2 classes to select with \(left, right\) for 3 targets/);
  });
});
