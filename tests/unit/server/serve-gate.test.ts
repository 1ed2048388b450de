// `bci serve`'s gate, in process on loopback: every HTTP request and WebSocket needs the whole
// token (not a prefix, not a longer string), a socket only on /ws and only from its own origin (or
// a client that sends none), and isLoopback tells loopback hosts from the rest.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import WebSocket from 'ws';
import { allowedHost, isLoopback, startServer, type RunningServer } from '../../../electron/server/serve.js';
import { tempDir } from '../../support/tmp.js';

const renderer = tempDir('bci-serve-gate-');
writeFileSync(join(renderer, 'index.html'), '<script src="app.js"></script><link href="app.css">');
writeFileSync(join(renderer, 'app.js'), '// app');
const TOKEN = 'tok3n-Of-the-run_0123456789';
let server: RunningServer;
let base: string;

beforeAll(async () => {
  server = await startServer({ port: 0, host: '127.0.0.1', rendererDir: renderer, token: TOKEN });
  base = `http://127.0.0.1:${server.port}`;
});
afterAll(async () => {
  await server.close();
});

/** Opens a socket; resolves 'open' once the engine has spoken on it (its snapshot), or the HTTP status it was refused with. */
function socket(path: string, headers: Record<string, string> = {}): Promise<string> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}${path}`, { headers });
    ws.on('message', (data: Buffer) => {
      const message = JSON.parse(data.toString()) as { type: string; event?: { type: string } };
      ws.close();
      resolve(message.type === 'event' && message.event?.type === 'snapshot' ? 'open' : `unexpected ${data.toString().slice(0, 80)}`);
    });
    ws.on('unexpected-response', (_req, res) => {
      resolve(String(res.statusCode));
      ws.terminate();
    });
    ws.on('error', (e) => resolve(`error: ${e.message}`));
  });
}

const near = [TOKEN.slice(0, -1), TOKEN.slice(0, 8), TOKEN.slice(1), `${TOKEN}x`, TOKEN.toUpperCase(), '', `${TOKEN.slice(0, -1)}_`];

describe('bci serve: the token', () => {
  it('serves with the whole token and refuses every prefix, suffix, extension or near miss with 401', async () => {
    expect((await fetch(`${base}/?token=${TOKEN}`)).status).toBe(200);
    expect((await fetch(`${base}/app.js?token=${TOKEN}`)).status).toBe(200);
    for (const given of near) {
      const res = await fetch(`${base}/app.js?token=${encodeURIComponent(given)}`);
      expect(res.status, JSON.stringify(given)).toBe(401);
      expect(await res.text()).toBe('unauthorized\n');
    }
    expect((await fetch(`${base}/app.js`)).status).toBe(401);
  });

  it('opens a socket with the whole token only', async () => {
    expect(await socket(`/ws?token=${TOKEN}`)).toBe('open');
    for (const given of near) expect(await socket(`/ws?token=${encodeURIComponent(given)}`), JSON.stringify(given)).toBe('401');
    expect(await socket('/ws')).toBe('401');
  });
});

describe('bci serve: the socket path and origin', () => {
  it('accepts a socket on /ws only', async () => {
    for (const path of ['/', '/index.html', '/ws/', '/ws/x', '/wss', '/app.js', '//ws']) {
      expect(await socket(`${path}?token=${TOKEN}`), path).toBe('401');
    }
  });

  it('accepts its own origin or none, and refuses any other', async () => {
    expect(await socket(`/ws?token=${TOKEN}`, { Origin: base })).toBe('open');
    for (const origin of ['http://evil.example', `https://127.0.0.1:${server.port}`, `http://127.0.0.1:${server.port + 1}`, `http://localhost:${server.port}`, 'null']) {
      expect(await socket(`/ws?token=${TOKEN}`, { Origin: origin }), origin).toBe('401');
    }
  });
});

/** A GET with a Host header of our choosing (fetch will not send one); resolves the status and body. */
function getWithHost(path: string, host: string): Promise<[number, string]> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, path, headers: { host } }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve([res.statusCode ?? 0, body]));
    });
    req.on('error', reject);
    req.end();
  });
}

// (found by mutation testing: npm run mutate -- server)
describe('bci serve: the Host header (DNS rebinding)', () => {
  it('answers a request naming a loopback host, and refuses any other name with 421 before the token', async () => {
    for (const host of [`127.0.0.1:${server.port}`, `localhost:${server.port}`, `[::1]:${server.port}`]) {
      expect((await getWithHost(`/app.js?token=${TOKEN}`, host))[0], host).toBe(200);
    }
    for (const host of [`evil.example:${server.port}`, 'evil.example', `127.0.0.1.evil.example:${server.port}`]) {
      expect(await getWithHost(`/app.js?token=${TOKEN}`, host), host).toEqual([421, 'this server answers to its loopback address only\n']);
    }
    expect((await getWithHost('/app.js', `evil.example:${server.port}`))[0]).toBe(421);
  });

  it('opens a socket only for a loopback Host, whatever the Origin says', async () => {
    expect(await socket(`/ws?token=${TOKEN}`, { Host: `localhost:${server.port}`, Origin: `http://localhost:${server.port}` })).toBe('open');
    expect(await socket(`/ws?token=${TOKEN}`, { Host: `evil.example:${server.port}`, Origin: `http://evil.example:${server.port}` })).toBe('401');
    expect(await socket(`/ws?token=${TOKEN}`, { Host: `evil.example:${server.port}` })).toBe('401');
  });

  it('allowedHost: a loopback name or the configured host, with or without a port; never the wildcard addresses', () => {
    const yes: [string, string][] = [
      ['127.0.0.1:8080', '127.0.0.1'],
      ['localhost', '127.0.0.1'],
      ['LOCALHOST:80', '127.0.0.1'],
      [' 127.0.0.1:80 ', '127.0.0.1'],
      ['[::1]:8080', '127.0.0.1'],
      ['[::1]', '0.0.0.0'],
      ['127.5.6.7:1', '::'],
      ['box.lan:8080', 'box.lan'],
      ['BOX.LAN', 'Box.Lan'],
      ['[fe80::1]:80', '[fe80::1]'],
      ['[fe80::1]', 'fe80::1'],
      ['192.168.1.2:8080', '192.168.1.2'],
    ];
    const no: [string | undefined, string][] = [
      [undefined, '127.0.0.1'],
      ['', '127.0.0.1'],
      ['evil.example:8080', '127.0.0.1'],
      ['evil.example', '0.0.0.0'],
      ['0.0.0.0:8080', '0.0.0.0'],
      ['0.0.0.0', '0.0.0.0'],
      ['[::]:8080', '::'],
      ['[::]', '[::]'],
      ['box.lan.evil.example', 'box.lan'],
      ['xbox.lan', 'box.lan'],
      ['127.0.0.1:abc', '127.0.0.1'],
      ['box.lan:', 'box.lan'],
      ['a:b:c', 'a'],
      ['127.0.0.1.evil.example:80', '127.0.0.1'],
      ['192.168.1.3', '192.168.1.2'],
      ['evil.example:localhost', '127.0.0.1'], // the whole header is host[:port], not a tail of it
      // brackets are stripped only around the whole name, on either side
      ['a[b', 'ab'],
      ['a]b', 'ab'],
      ['ab', 'a[b'],
      ['ab', 'a]b'],
    ];
    for (const [header, configured] of yes) expect(allowedHost(header, configured), `${header} for ${configured}`).toBe(true);
    for (const [header, configured] of no) expect(allowedHost(header, configured), `${header} for ${configured}`).toBe(false);
  });
});

describe('isLoopback', () => {
  it('tells loopback hosts from the rest', () => {
    for (const host of ['localhost', '127.0.0.1', '127.1.2.3', '127.10.200.33', '::1', '[::1]']) expect(isLoopback(host), host).toBe(true);
    for (const host of ['0.0.0.0', '192.168.1.2', '::', 'example.com', '127.0.0.1.example.com', 'x127.0.0.1', '128.0.0.1', 'localhost.example']) expect(isLoopback(host), host).toBe(false);
  });
});
