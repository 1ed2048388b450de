// `bci serve`: a loopback HTTP + WebSocket host of the engine. It serves the built renderer and
// bridges it to the same CommandHost the desktop app uses: JSON commands and events as text
// messages, sample frames as binary messages. Every run makes a random token; a request or socket
// without it gets 401 and nothing else.

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync, existsSync } from 'node:fs';
import { join, relative, resolve, isAbsolute } from 'node:path';
import { defaultDataDir } from '../engine/recording/recording.js';
import type { Duplex } from 'node:stream';
import { PerformanceObserver, constants as perfConstants, type PerformanceEntry } from 'node:perf_hooks';
import { WebSocketServer, type WebSocket } from 'ws';
import { releaseFreeMemory } from '../../native/memory-trim.js';
import { Engine } from '../engine/engine.js';
import { CommandHost, type ClientSink } from '../engine/command-host.js';
import { packageRoot } from '../engine/paths.js';
import { wsRequestSchema, type EngineEvent, type WsServerMessage } from '../common/contract/commands.js';
import { EngineError, failureOf, type Failure } from '../common/contract/failure.js';

/** A message that is not a command at all: refused as an invalid request. */
const refusal = (error: string): Failure => failureOf(new EngineError('invalid-request', error));

export interface ServeOptions {
  readonly port: number;
  readonly host: string;
  /** An engine to host (default: a new one, disposed on close). */
  readonly engine?: Engine;
  /** Folder of the built renderer (default: dist/renderer). */
  readonly rendererDir?: string;
  /** Fixed token (tests); default: 32 random bytes. */
  readonly token?: string;
  /** The data folder (default $BCI_DATA_DIR or ~/BCI-Workstation/data): playback failures outside it are not described to clients. */
  readonly dataDir?: string;
  /** Close a client over its buffer cap for this long (default STALLED_CLIENT_MS; tests shorten it). */
  readonly stalledClientMs?: number;
}

export interface RunningServer {
  readonly url: string;
  readonly port: number;
  readonly token: string;
  readonly engine: Engine;
  /** The server's own accounting: sockets open, and bytes queued for them all (what slow clients hold). */
  stats(): { readonly clients: number; readonly bufferedBytes: number };
  close(): Promise<void>;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

/** A slow browser tab gets frames dropped (and is told so) rather than growing the host's memory. */
export const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;
/** All clients together: frames are dropped for the slowest once their sum reaches this. */
export const MAX_TOTAL_BUFFERED_BYTES = 32 * 1024 * 1024;
/** Sockets at once (a display or two, a script, a test): more are refused with 503. */
export const MAX_CLIENTS = 8;
/** A client over its buffer cap this long reads nothing: it is closed and its memory given back. */
export const STALLED_CLIENT_MS = 10_000;
/** After a client with a large queue closes, free memory is given back to the OS for this long (at each full GC). */
const TRIM_WATCH_MS = 10_000;
/** Commands are small; anything larger is not ours. */
const MAX_MESSAGE_BYTES = 256 * 1024;

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** The host name of a Host header ("127.0.0.1:8080" → "127.0.0.1", "[::1]:80" → "::1"). */
function hostNameOf(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const m = /^(\[[^\]]+\]|[^:]+)(?::\d+)?$/.exec(header.trim().toLowerCase());
  return m ? m[1].replace(/^\[|\]$/g, '') : undefined;
}

/**
 * DNS rebinding guard (as Jupyter's and VS Code's servers do): a request must name this server by
 * a loopback name or the host it was told to listen on, never a name a foreign page controls.
 */
export function allowedHost(header: string | undefined, configuredHost: string): boolean {
  const name = hostNameOf(header);
  if (name === undefined) return false;
  if (isLoopback(name)) return true;
  const configured = configuredHost.toLowerCase().replace(/^\[|\]$/g, '');
  return configured !== '0.0.0.0' && configured !== '::' && name === configured;
}

/** Whether `path` lies inside `folder` (or is it). */
function inside(path: string, folder: string): boolean {
  const rel = relative(resolve(folder), resolve(path));
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/**
 * A network client learns nothing about files outside the data folder from a failed playback:
 * whether the path exists, is a folder, is unreadable or is not a recording all get one answer.
 * (The operator at the machine, CLI or desktop, keeps the precise reasons.)
 */
export function guardPlaybackFailure(command: string, payload: unknown, failure: Failure, dataDir: string): Failure {
  if (command !== 'connect' || typeof payload !== 'object' || payload === null) return failure;
  const file = (payload as { file?: unknown }).file;
  if (typeof file !== 'string' || inside(file, dataDir)) return failure;
  const error = `cannot play ${file}: it could not be opened as a recording (reasons are given for files in the data folder ${dataDir} only)`;
  return { ok: false, kind: 'invalid-request', error, issues: [{ path: 'file', message: error }] };
}

function sameToken(given: string | null, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const rendererDir = options.rendererDir ?? join(packageRoot(), 'dist', 'renderer');
  if (!existsSync(join(rendererDir, 'index.html'))) {
    throw new Error(`the renderer is not built (${rendererDir}/index.html is missing): run \`npm run build\``);
  }
  const token = options.token ?? randomBytes(32).toString('base64url');
  const ownsEngine = !options.engine;
  const engine = options.engine ?? new Engine();
  const host = new CommandHost(engine);

  // the files a browser may fetch, read once: the renderer is small
  const files = new Map<string, Buffer>();
  for (const name of ['index.html', 'app.js', 'app.css', 'app.js.map', 'app.css.map']) {
    const path = join(rendererDir, name);
    if (existsSync(path)) files.set(`/${name}`, readFileSync(path));
  }
  const index = files
    .get('/index.html')!
    .toString('utf8')
    .replace(/(href|src)="(app\.(?:js|css))"/g, (_m, attr: string, file: string) => `${attr}="${file}?token=${encodeURIComponent(token)}"`);
  files.set('/', Buffer.from(index));
  files.set('/index.html', Buffer.from(index));

  const refuse = (res: ServerResponse, status: number, text: string) => {
    res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
    res.end(text);
  };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (!allowedHost(req.headers.host, options.host)) return refuse(res, 421, 'this server answers to its loopback address only\n');
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (!sameToken(url.searchParams.get('token'), token)) return refuse(res, 401, 'unauthorized\n');
    if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 405, 'method not allowed\n');
    const body = files.get(url.pathname);
    if (!body) return refuse(res, 404, 'not found\n');
    const ext = url.pathname === '/' ? '.html' : url.pathname.slice(url.pathname.lastIndexOf('.'));
    res.writeHead(200, {
      'content-type': CONTENT_TYPES[ext] ?? 'application/octet-stream',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cross-origin-opener-policy': 'same-origin',
      'content-security-policy':
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const origin = req.headers.origin;
    const hostHeader = req.headers.host;
    // the Host must be ours (loopback or the configured host), and a browser's Origin that same host
    const originOk = origin === undefined || origin === `http://${hostHeader}`;
    if (url.pathname !== '/ws' || !sameToken(url.searchParams.get('token'), token) || !allowedHost(hostHeader, options.host) || !originOk) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    if (wss.clients.size >= MAX_CLIENTS) {
      socket.end(`HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: 0\r\nX-Reason: ${MAX_CLIENTS} clients at most\r\n\r\n`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => serveClient(ws));
  });

  /** Bytes queued for every client together. */
  const totalBuffered = (): number => {
    let sum = 0;
    for (const c of wss.clients) sum += c.bufferedAmount;
    return sum;
  };

  /**
   * A client that had a large queue is gone: its frames become free as the garbage collector gets
   * to them, but the allocator keeps their memory unless asked to give it back
   * (native/memory-trim.ts). So for TRIM_WATCH_MS after such a close, free memory is given back
   * after each full collection, and once more at the end.
   */
  let trimWatch: { observer: PerformanceObserver; timer: ReturnType<typeof setTimeout> } | undefined;
  const endTrimWatch = (): void => {
    if (!trimWatch) return;
    trimWatch.observer.disconnect();
    clearTimeout(trimWatch.timer);
    trimWatch = undefined;
  };
  const giveMemoryBack = (): void => {
    endTrimWatch();
    const observer = new PerformanceObserver((list) => {
      const major = list.getEntries().some((e) => (e as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind === perfConstants.NODE_PERFORMANCE_GC_MAJOR);
      if (major) releaseFreeMemory();
    });
    observer.observe({ entryTypes: ['gc'] });
    const timer = setTimeout(() => {
      endTrimWatch();
      releaseFreeMemory();
    }, TRIM_WATCH_MS);
    timer.unref?.();
    trimWatch = { observer, timer };
  };

  function serveClient(ws: WebSocket): void {
    let droppedFrames = 0;
    /** The most this client ever had queued: a large queue freed is memory to give back. */
    let peakBufferedBytes = 0;
    /** Since when this client has been over its cap (0: it is keeping up). */
    let behindSinceMs = 0;
    const send = (message: WsServerMessage) => ws.send(JSON.stringify(message));
    const sink: ClientSink = {
      // a client that reads nothing gets no more events queued (its memory is bounded); answers to its commands still go
      sendEvent: (event: EngineEvent) => {
        if (ws.bufferedAmount <= MAX_BUFFERED_BYTES) send({ type: 'event', event });
      },
      sendFrame: (frame) => {
        // over its own cap, or the clients together over theirs while this one is behind too: dropped
        const behind = ws.bufferedAmount > MAX_BUFFERED_BYTES || (ws.bufferedAmount > MAX_BUFFERED_BYTES / 16 && totalBuffered() > MAX_TOTAL_BUFFERED_BYTES);
        if (behind) {
          const now = Date.now();
          if (behindSinceMs === 0) behindSinceMs = now;
          else if (now - behindSinceMs > (options.stalledClientMs ?? STALLED_CLIENT_MS) && ws.bufferedAmount > MAX_BUFFERED_BYTES) {
            // stalled: close it, which gives its queued frames' memory back
            ws.terminate();
            return;
          }
          if (droppedFrames++ % 100 === 0 && ws.bufferedAmount <= MAX_BUFFERED_BYTES) {
            ws.send(JSON.stringify({ type: 'event', event: { type: 'error', message: `this display is not keeping up: ${droppedFrames} frame(s) not sent (recording and processing are unaffected)` } } satisfies WsServerMessage));
          }
          return;
        }
        behindSinceMs = 0;
        ws.send(frame, { binary: true });
        if (ws.bufferedAmount > peakBufferedBytes) peakBufferedBytes = ws.bufferedAmount;
      },
    };
    const attachment = host.attach(sink);
    ws.on('message', (data, isBinary) => {
      if (isBinary) {
        send({ type: 'response', id: -1, ...refusal('binary messages are not accepted from clients') });
        return;
      }
      let request;
      try {
        request = wsRequestSchema.safeParse(JSON.parse(data.toString()));
      } catch {
        send({ type: 'response', id: -1, ...refusal('a message was not JSON: send {"id":N,"command":"…","payload":…}') });
        return;
      }
      if (!request.success) {
        send({ type: 'response', id: -1, ...refusal('a message was not a command: send {"id":N,"command":"…","payload":…}') });
        return;
      }
      const { id, command, payload } = request.data;
      void host.handle(sink, command, payload).then((outcome) => {
        const answer = outcome.ok ? outcome : guardPlaybackFailure(command, payload, outcome, options.dataDir ?? defaultDataDir());
        if (ws.readyState === ws.OPEN) send({ type: 'response', id, ...answer });
      });
    });
    ws.on('close', () => {
      attachment.dispose();
      if (peakBufferedBytes > MAX_BUFFERED_BYTES / 4) giveMemoryBack();
    });
    ws.on('error', () => attachment.dispose());
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const urlHost = options.host.includes(':') && !options.host.startsWith('[') ? `[${options.host}]` : options.host;
  return {
    url: `http://${urlHost}:${port}/?token=${token}`,
    port,
    token,
    engine,
    stats: () => ({ clients: wss.clients.size, bufferedBytes: totalBuffered() }),
    async close() {
      endTrimWatch();
      for (const ws of wss.clients) ws.terminate();
      wss.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      host.dispose();
      if (ownsEngine) await engine.dispose();
    },
  };
}
