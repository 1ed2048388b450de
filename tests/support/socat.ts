// A pseudo-terminal pair made by socat (`socat pty,raw,echo=0,link=A pty,raw,echo=0,link=B`):
// whatever is written to one link comes out of the other, through the kernel's real tty layer, so
// the real serialport binding can open it like a USB serial port. kill() makes both links vanish
// (as an unplugged dongle); restart() brings them back under the same names.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Whether socat is installed. In CI a missing socat is a failure, never a skip (.ci/run installs it). */
export function socatAvailable(): boolean {
  let found = false;
  try {
    found = spawnSync('socat', ['-V'], { stdio: 'ignore' }).status === 0;
  } catch {
    found = false;
  }
  if (!found && process.env.CI) throw new Error('socat is missing: .ci/run must install it (Debian socat)');
  return found;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export class PtyPair {
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();
  private readonly dir: string;
  /** The end the code under test opens (the "dongle"). */
  readonly hostPath: string;
  /** The end the emulator opens (the "board"). */
  readonly devicePath: string;

  private constructor(dir: string) {
    this.dir = dir;
    this.hostPath = join(dir, 'ttyHOST');
    this.devicePath = join(dir, 'ttyDEVICE');
  }

  static async create(): Promise<PtyPair> {
    const pair = new PtyPair(mkdtempSync(join(tmpdir(), 'cyton-pty-')));
    await pair.restart();
    return pair;
  }

  get running(): boolean {
    return this.child !== undefined;
  }

  /** Starts socat (again) and waits until both links exist and it relays. */
  async restart(): Promise<void> {
    if (this.child) return;
    for (const p of [this.hostPath, this.devicePath]) if (existsSync(p)) unlinkSync(p);
    const child = spawn('socat', ['-d', '-d', `pty,raw,echo=0,link=${this.hostPath}`, `pty,raw,echo=0,link=${this.devicePath}`], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    this.child = child;
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    let log = '';
    let ready = false;
    child.stderr?.on('data', (d: Buffer) => {
      log += d.toString();
      if (log.includes('starting data transfer loop')) ready = true;
    });
    const deadline = Date.now() + 5000;
    while (!(ready && existsSync(this.hostPath) && existsSync(this.devicePath))) {
      if (child.exitCode !== null) throw new Error(`socat exited: ${log}`);
      if (Date.now() > deadline) throw new Error(`socat did not make its ptys within 5 s: ${log}`);
      await sleep(5);
    }
  }

  /** Stops socat: both links vanish and open ports on them fail. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.child = undefined;
    child.kill('SIGTERM');
    await this.exited;
  }

  async dispose(): Promise<void> {
    await this.kill();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
