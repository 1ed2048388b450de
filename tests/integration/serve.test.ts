// `bci serve` for real: HTTP and WebSocket on loopback, the token, the contract, binary frames.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startServer, type RunningServer } from '../../electron/server/serve.js';
import { decodeFrame, type SampleFrame } from '../../electron/common/contract/frames.js';
import type { EngineEvent, WsServerMessage } from '../../electron/common/contract/commands.js';
import { spawnBci } from '../support/bci.js';
import { tempDir } from '../support/tmp.js';

let server: RunningServer;
let base: string;

beforeAll(async () => {
  server = await startServer({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${server.port}`;
});
afterAll(async () => {
  await server.close();
});

/** A WebSocket client speaking the contract, collecting events and frames. */
class TestClient {
  readonly events: EngineEvent[] = [];
  readonly frames: SampleFrame[] = [];
  readonly errors: string[] = [];
  private nextId = 1;
  private readonly pending = new Map<number, (m: WsServerMessage) => void>();
  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data: Buffer, binary: boolean) => {
      if (binary) {
        this.frames.push(decodeFrame(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer));
        return;
      }
      const m = JSON.parse(data.toString()) as WsServerMessage;
      if (m.type === 'event') this.events.push(m.event);
      else if (this.pending.has(m.id)) this.pending.get(m.id)!(m);
      else if (!m.ok) this.errors.push(m.error);
    });
  }
  static open(url: string, headers: Record<string, string> = {}): Promise<TestClient> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { headers });
      ws.once('open', () => resolve(new TestClient(ws)));
      ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
      ws.once('error', reject);
    });
  }
  call(command: string, payload?: unknown): Promise<WsServerMessage> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.ws.send(JSON.stringify({ id, command, payload }));
    });
  }
}

describe('bci serve', () => {
  it('refuses every HTTP request without the token, with 401 and nothing else', async () => {
    for (const path of ['/', '/index.html', '/app.js', '/app.css', '/?token=wrong', '/app.js?token=' + server.token.slice(1)]) {
      const res = await fetch(base + path);
      expect(res.status, path).toBe(401);
      expect(await res.text()).toBe('unauthorized\n');
    }
  });

  it('serves the renderer with the token carried into its asset URLs', async () => {
    const res = await fetch(server.url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
    const html = await res.text();
    expect(html).toContain(`src="app.js?token=${server.token}"`);
    expect(html).toContain(`href="app.css?token=${server.token}"`);
    const js = await fetch(`${base}/app.js?token=${server.token}`);
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toMatch(/javascript/);
    expect((await fetch(`${base}/../package.json?token=${server.token}`)).status).toBe(404);
    expect((await fetch(`${base}/?token=${server.token}`, { method: 'POST' })).status).toBe(405);
  });

  it('refuses a socket without the token, or from a foreign origin', async () => {
    await expect(TestClient.open(`ws://127.0.0.1:${server.port}/ws`)).rejects.toThrow(/401/);
    await expect(TestClient.open(`ws://127.0.0.1:${server.port}/ws?token=nope`)).rejects.toThrow(/401/);
    await expect(TestClient.open(`ws://127.0.0.1:${server.port}/ws?token=${server.token}`, { Origin: 'http://evil.example' })).rejects.toThrow(/401/);
  });

  it('speaks the contract: session on attach, commands, events and binary frames', async () => {
    const client = await TestClient.open(`ws://127.0.0.1:${server.port}/ws?token=${server.token}`, { Origin: base });
    await expect.poll(() => client.events.length, { timeout: 5000, interval: 10 }).toBeGreaterThan(0);
    expect(client.events[0]).toMatchObject({ type: 'snapshot', snapshot: { state: 'idle' } });
    const boards = await client.call('listBoards');
    expect(boards).toMatchObject({ type: 'response', ok: true });
    expect(await client.call('setPipeline', { stages: [{ kind: 'notch', frequencyHz: 50 }] })).toMatchObject({ ok: true });
    const connected = await client.call('connect', { board: 'synthetic', channelCount: 4, sampleRateHz: 250 });
    expect(connected).toMatchObject({ ok: true, result: { id: 'synthetic', sampleRateHz: 250 } });
    expect(await client.call('setStreams', { raw: true, filtered: true })).toMatchObject({ ok: true });
    expect(await client.call('start')).toMatchObject({ ok: true });
    // data flowing (event-driven: frames counted as they come, bounded)
    await expect.poll(() => client.frames.filter((f) => f.kind === 'filtered').length, { timeout: 10_000, interval: 20 }).toBeGreaterThan(10);
    await expect.poll(() => client.frames.filter((f) => f.kind === 'raw').length, { timeout: 10_000, interval: 20 }).toBeGreaterThan(5);
    expect(await client.call('addMarker', { label: 'blink' })).toMatchObject({ ok: true, result: { label: 'blink', source: 'user' } });
    expect(await client.call('stop')).toMatchObject({ ok: true });
    await expect.poll(() => client.events.some((e) => e.type === 'marker' && e.marker.label === 'blink'), { timeout: 5000, interval: 10 }).toBe(true);
    const filtered = client.frames.filter((f) => f.kind === 'filtered');
    const raw = client.frames.filter((f) => f.kind === 'raw');
    expect(filtered.length).toBeGreaterThan(10);
    expect(raw.length).toBeGreaterThan(5);
    let next = filtered[0].firstSampleIndex;
    for (const f of filtered) {
      expect(f.channelCount).toBe(4);
      expect(f.firstSampleIndex).toBe(next);
      next += f.sampleCount;
    }
    expect(client.events.some((e) => e.type === 'status')).toBe(true);
    expect(client.events.some((e) => e.type === 'marker' && e.marker.label === 'blink')).toBe(true);
    const status = await client.call('getStatus');
    expect(status).toMatchObject({ ok: true, result: { state: 'connected', deviceLostRows: 0, overflowLostRows: 0 } });
    expect(await client.call('disconnect')).toMatchObject({ ok: true });
    client.ws.close();
  });

  it('answers malformed messages with a sentence and keeps the socket open', async () => {
    const client = await TestClient.open(`ws://127.0.0.1:${server.port}/ws?token=${server.token}`);
    client.ws.send('this is not json');
    client.ws.send(JSON.stringify({ hello: 'world' }));
    client.ws.send(Buffer.from([1, 2, 3]));
    await expect.poll(() => client.errors.length, { timeout: 5000, interval: 10 }).toBe(3);
    expect(client.errors).toEqual([
      'a message was not JSON: send {"id":N,"command":"…","payload":…}',
      'a message was not a command: send {"id":N,"command":"…","payload":…}',
      'binary messages are not accepted from clients',
    ]);
    expect(await client.call('frobnicate')).toMatchObject({ ok: false, error: 'unknown command "frobnicate"' });
    expect(await client.call('connect', { board: 'synthetic', channelCount: -3 })).toMatchObject({ ok: false, error: expect.stringMatching(/invalid connect request: channelCount/) });
    expect(await client.call('__proto__')).toMatchObject({ ok: false, error: 'unknown command "__proto__"' });
    expect(client.ws.readyState).toBe(WebSocket.OPEN);
    client.ws.close();
  });

  it('runs as `bci serve`, printing a tokened URL, and warns when not on loopback', async () => {
    const child = spawnBci(['serve', '--port', '0', '--host', '0.0.0.0']);
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    await new Promise<void>((resolve) => {
      const t = setInterval(() => {
        if (/token=/.test(out)) {
          clearInterval(t);
          resolve();
        }
      }, 50);
    });
    const url = /http:\/\/\S+/.exec(out)![0].replace('0.0.0.0', '127.0.0.1');
    expect((await fetch(url)).status).toBe(200);
    expect(err).toMatch(/warning: listening on 0\.0\.0\.0, not loopback/);
    child.kill('SIGINT');
    const code = await new Promise((r) => child.on('exit', r));
    expect(code).toBe(0);
  });
});

describe('bci serve, recording over the contract', () => {
  it('starts and stops a recording from a client, with the session form validated', async () => {
    const { existsSync } = await import('node:fs');
    const dataDir = tempDir('bci-serve-rec-');
    const client = await TestClient.open(`ws://127.0.0.1:${server.port}/ws?token=${server.token}`);
    expect(await client.call('connect', { board: 'synthetic' })).toMatchObject({ ok: true });
    expect(await client.call('startRecording', { session: { subject: 'Jane Doe' }, dataDir })).toMatchObject({ ok: false, error: expect.stringMatching(/subject code must be letters and digits/) });
    const started = await client.call('startRecording', { session: { subject: 'S05', task: 'eyes' }, dataDir });
    expect(started).toMatchObject({ ok: true, result: { path: expect.stringMatching(/sub-S05_ses-01_task-eyes_run-01_eeg\.bdf$/) } });
    expect(await client.call('start')).toMatchObject({ ok: true });
    // a second of data recorded before the marker (event-driven: the engine's count, bounded)
    await expect.poll(async () => ((await client.call('getStatus')) as { result?: { rowsReceived?: number } }).result?.rowsReceived ?? 0, { timeout: 10_000, interval: 50 }).toBeGreaterThan(250);
    expect(await client.call('addMarker', { label: 'eyes closed' })).toMatchObject({ ok: true });
    const status = await client.call('getStatus');
    expect(status).toMatchObject({ ok: true, result: { recording: { path: expect.any(String) } } });
    expect(await client.call('stop')).toMatchObject({ ok: true });
    const stopped = await client.call('stopRecording');
    expect(stopped).toMatchObject({ ok: true, result: { error: null, annotations: expect.any(Number), sha256: expect.stringMatching(/^[0-9a-f]{64}$/) } });
    const path = (started as { result: { path: string } }).result.path;
    expect(existsSync(path)).toBe(true);
    expect(await client.call('disconnect')).toMatchObject({ ok: true });
    client.ws.close();
  });
});
