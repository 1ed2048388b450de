// Cyton benchmarks, as functions that return numbers (the harness in run.ts prints and saves them):
//   benchCytonParser   parser throughput on one core, in packets per second (target ≥ 2 million,
//                      8000× the board's 250 packets/s), fed in 4 KiB reads as from a serial port
//   benchCytonLatency  time from the emulator's write of a packet's last byte into a socat pty to
//                      the row reaching the sink through the real serialport binding and the driver
//                      (p50 / p99 / max in ms; target p99 < 2 ms). The emulator runs in a child
//                      process, as a real board does not share our event loop. Needs socat.

import { CytonParser, accelAuxBytes, encodeCytonPacket } from '../../electron/common/boards/cyton-protocol.js';
import { CytonDriver } from '../../electron/engine/boards/cyton.js';
import { Random } from '../../electron/common/random.js';
import { spawn } from 'node:child_process';
import { packageRoot } from '../../electron/engine/paths.js';
import { RecordingSink } from '../support/cyton-check.js';
import { PtyPair, socatAvailable } from '../support/socat.js';

export interface CytonParserBench {
  /** Packets per second, 8 channels (median of the repetitions). */
  readonly packetsPerSec: number;
  /** Packets per second with Daisy pairing. */
  readonly daisyPacketsPerSec: number;
  /** MB of serial data per second (8 channels). */
  readonly megabytesPerSec: number;
  readonly targetPacketsPerSec: number;
}

function buildStream(packets: number, seed: number): Uint8Array {
  const rng = new Random(seed);
  const out = new Uint8Array(packets * 33);
  const counts = new Array<number>(8);
  for (let p = 0; p < packets; p++) {
    for (let c = 0; c < 8; c++) counts[c] = Math.round(20000 * rng.nextGaussian());
    const aux = p % 10 === 0 ? accelAuxBytes(100, -200, 16000) : undefined;
    encodeCytonPacket(out, p * 33, (p + 1) & 0xff, counts, 0xc0, aux);
  }
  return out;
}

function runParser(stream: Uint8Array, daisy: boolean, seconds: number): number {
  let rows = 0;
  const parser = new CytonParser({ daisy }, { rows: (_r, n) => (rows += n), lost: () => {} });
  const chunk = 4096;
  const packetsPerPass = stream.length / 33;
  let packets = 0;
  const t0 = performance.now();
  let elapsed = 0;
  do {
    for (let i = 0; i < stream.length; i += chunk) parser.push(stream.subarray(i, i + chunk));
    packets += packetsPerPass;
    elapsed = (performance.now() - t0) / 1000;
  } while (elapsed < seconds);
  if (rows === 0) throw new Error('the parser produced no rows');
  return packets / elapsed;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Parser throughput on this thread. `seconds` per repetition (3 repetitions, median). */
export function benchCytonParser(options: { seconds?: number } = {}): CytonParserBench {
  const seconds = options.seconds ?? 1;
  const stream = buildStream(25_000, 1);
  runParser(stream, false, 0.2); // warm up
  const plain = [0, 1, 2].map(() => runParser(stream, false, seconds));
  runParser(stream, true, 0.2);
  const daisy = [0, 1, 2].map(() => runParser(stream, true, seconds));
  const packetsPerSec = median(plain);
  return { packetsPerSec, daisyPacketsPerSec: median(daisy), megabytesPerSec: (packetsPerSec * 33) / 1e6, targetPacketsPerSec: 2_000_000 };
}

export interface CytonLatencyBench {
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  readonly rows: number;
  readonly targetP99Ms: number;
}

/**
 * A minimal Cyton in its own process (like the real board, it does not share our event loop):
 * answers v / d / b / s, streams 250 packets/s whose channel 1 carries the packet index, writes
 * each packet with writeSync when it falls due, and reports when each write returned on the
 * monotonic clock (process.hrtime, the same clock in every process) over IPC.
 */
const CHILD_EMULATOR = `
const { SerialPort } = require('serialport');
const { writeSync } = require('node:fs');
const path = process.argv[1];
(async () => {
  const port = await SerialPort.binding.open({ path, baudRate: 115200, lock: false });
  let streaming = false, next = 0, startNs = 0n;
  let stamps = [];
  const packet = Buffer.alloc(33);
  const reply = (t) => writeSync(port.fd, Buffer.from(t, 'latin1'));
  (async () => {
    const buf = Buffer.alloc(64);
    for (;;) {
      let n;
      try { ({ bytesRead: n } = await port.read(buf, 0, 64)); } catch { return; }
      for (const c of buf.subarray(0, n).toString('latin1')) {
        if (c === 'v') { streaming = false; reply('OpenBCI V3 8-16 channel\\nOn Board ADS1299 Device ID: 0x3E\\nLIS3DH Device ID: 0x33\\nFirmware: v3.1.2\\n$$$'); }
        else if (c === 'd') reply('updating channel settings to default$$$');
        else if (c === 'b' && !streaming) { streaming = true; next = 0; startNs = process.hrtime.bigint(); }
        else if (c === 's') streaming = false;
      }
    }
  })();
  const tick = () => {
    if (streaming) {
      const due = Number((process.hrtime.bigint() - startNs) / 4000000n) + 1;
      while (next < due) {
        packet.fill(0);
        packet[0] = 0xa0; packet[1] = next & 255;
        packet[2] = (next >> 16) & 0x7f; packet[3] = (next >> 8) & 255; packet[4] = next & 255;
        packet[32] = 0xc0;
        writeSync(port.fd, packet);
        stamps.push(next, Number(process.hrtime.bigint()));
        next++;
      }
      if (stamps.length >= 64) { process.send(stamps); stamps = []; }
    }
    setTimeout(tick, 1);
  };
  tick();
  process.on('message', (m) => { if (m === 'stop') { if (stamps.length) process.send(stamps); setTimeout(() => process.exit(0), 20); } });
  process.send('ready');
})().catch((e) => { console.error(e); process.exit(1); });
`;

/**
 * Emulator write → sink latency on a socat pty through the real binding and the driver. The
 * emulator runs in a child process; both ends stamp times on the monotonic clock. Returns
 * undefined when socat is missing.
 */
export async function benchCytonLatency(options: { seconds?: number } = {}): Promise<CytonLatencyBench | undefined> {
  if (!socatAvailable()) return undefined;
  const seconds = options.seconds ?? 3;
  const pty = await PtyPair.create();
  const child = spawn(process.execPath, ['-e', CHILD_EMULATOR, pty.devicePath], { cwd: packageRoot(), stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const written = new Map<number, number>();
  const arrived = new Map<number, number>();
  const ready = new Promise<void>((resolve, reject) => {
    child.on('message', (m: unknown) => {
      if (m === 'ready') resolve();
      else if (Array.isArray(m)) for (let i = 0; i < m.length; i += 2) written.set(m[i] as number, m[i + 1] as number);
    });
    child.once('exit', (code) => reject(new Error(`the emulator process exited (${String(code)})`)));
  });
  const driver = new CytonDriver({ board: 'cyton', port: pty.hostPath, latencyTimer: false });
  const width = driver.descriptor.channels.length;
  const scale0 = (4.5 / 24 / (2 ** 23 - 1)) * 1e6;
  let warm = false;
  const sink = new RecordingSink(width);
  sink.onRows = (_first, rows, n) => {
    const nowNs = Number(process.hrtime.bigint());
    if (!warm) return;
    for (let r = 0; r < n; r++) arrived.set(Math.round(rows[r * width] / scale0), nowNs);
  };
  try {
    await ready;
    await driver.prepare();
    await driver.start(sink);
    await new Promise((r) => setTimeout(r, 300));
    warm = true;
    await new Promise((r) => setTimeout(r, seconds * 1000));
    warm = false;
    await driver.stop();
    const exited = new Promise((r) => child.once('exit', r));
    child.send('stop');
    await exited;
  } finally {
    child.kill();
    await driver.release();
    await pty.dispose();
  }
  const latencies: number[] = [];
  for (const [k, at] of arrived) {
    const w = written.get(k);
    if (w !== undefined) latencies.push((at - w) / 1e6);
  }
  if (latencies.length === 0) throw new Error('no rows matched the emulator\'s writes');
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))];
  return { p50Ms: pct(50), p99Ms: pct(99), maxMs: latencies[latencies.length - 1], rows: latencies.length, targetP99Ms: 2 };
}
