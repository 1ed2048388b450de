// Lab Streaming Layer for tests: every process a test starts stays on this machine (an lsl_api.cfg
// with ResolveScope = machine, KnownPeers = {127.0.0.1} and IPv6 off, named by LSLAPICFG in this
// process's environment, which every child inherits), an independent LSL peer compiled from
// tests/support/lsl-peer.c against the same liblsl, and line-by-line waits on child output.
import { execFileSync, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { onTestFinished } from 'vitest';
import { PACKAGE_ROOT } from './bci.js';

export const LSL_PREBUILT = join(PACKAGE_ROOT, 'node_modules/lsl.js/prebuilt/liblsl64.so');

export const LSL_API_CFG = `[multicast]
ResolveScope = machine
KnownPeers = {127.0.0.1}

[ports]
IPv6 = disable
`;

/** Writes lsl_api.cfg into `dir` and points LSLAPICFG at it for this process and its children. */
export function keepLslOnThisMachine(dir: string): string {
  const path = join(dir, 'lsl_api.cfg');
  writeFileSync(path, LSL_API_CFG);
  process.env.LSLAPICFG = path;
  return path;
}

/** A stream name no other test (or engineer) on this machine uses. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

/** Compiles the peer into `dir` (cc against the prebuilt liblsl, rpath to it). */
export function buildLslPeer(dir: string): string {
  const binary = join(dir, 'lsl-peer');
  if (!existsSync(binary)) {
    const lib = dirname(LSL_PREBUILT);
    execFileSync('cc', ['-O1', '-o', binary, join(PACKAGE_ROOT, 'tests/support/lsl-peer.c'), `-L${lib}`, '-l:liblsl64.so', `-Wl,-rpath,${lib}`, '-lm']);
  }
  return binary;
}

/** A child's output as lines, with a bounded wait for a line that matches. */
export class Lines {
  readonly lines: string[] = [];
  private partial = '';
  private waiters: { re: RegExp; resolve: (line: string) => void }[] = [];

  constructor(stream: NodeJS.ReadableStream) {
    stream.setEncoding('utf8');
    stream.on('data', (text: string) => {
      const parts = (this.partial + text).split('\n');
      this.partial = parts.pop() ?? '';
      for (const line of parts) {
        this.lines.push(line);
        this.waiters = this.waiters.filter((w) => {
          if (!w.re.test(line)) return true;
          w.resolve(line);
          return false;
        });
      }
    });
  }

  get text(): string {
    return this.lines.join('\n') + '\n' + this.partial;
  }

  waitFor(re: RegExp, timeoutMs = 30_000): Promise<string> {
    const seen = this.lines.find((l) => re.test(l));
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no line matching ${re} within ${timeoutMs} ms; got:\n${this.text}`)), timeoutMs);
      this.waiters.push({
        re,
        resolve: (line) => {
          clearTimeout(timer);
          resolve(line);
        },
      });
    });
  }
}

export interface Child {
  readonly process: ChildProcessWithoutNullStreams;
  readonly out: Lines;
  readonly err: Lines;
  readonly exited: Promise<number | null>;
}

/** Starts a child (killed when the test ends if still running), its output as Lines. */
export function startChild(command: string, args: readonly string[], cwd = PACKAGE_ROOT): Child {
  const child = spawn(command, args, { cwd, env: process.env });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  onTestFinished(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  return { process: child, out: new Lines(child.stdout), err: new Lines(child.stderr), exited };
}
