// A Cyton emulator for tests and benchmarks. CytonModel is the board itself, independent of the
// transport: it answers the text commands (v, d, b, s, x…X, z…Z, ?, c, C) as firmware 3 does,
// and while streaming produces 250 packets per second of KNOWN data, so that a test can check
// every value that arrives:
//
//   packet j (j = 0, 1, 2 … from the board's clock, 250 per second, also while not streaming)
//   carries sample number (j + 1) & 255. Without the Daisy, row k = j; with the Daisy, row
//   k = floor(j / 2), j even = the Cyton half (channels 1-8), j odd = the Daisy half (9-16).
//   count(k, ch) = the 24-bit two's complement value of (k·7919 + ch·1234567 + 99991) mod 2^24,
//   so channel 0 gives k back (testRowFromCount) and every channel of every row is known.
//   Every 10th packet (j % 10 = 0) carries an accelerometer reading testAccel(j) (never zero);
//   the others carry zeros (footer C0 throughout).
//   Lead-off on a channel (z CH 0 1 Z) replaces its counts by a 31.25 Hz tone whose amplitude is
//   what an electrode of impedanceKOhm[ch] gives with the 6 nA test current, plus a DC offset.
//
// Faults: garbage bytes (never 0xA0, so a garbage burst cannot fake a header), bytes dropped
// inside a packet, whole packets dropped, stalls (nothing in or out), and with the pty transport
// the port vanishing (socat killed) and coming back. The model logs what became of every packet.
//
// Transports: CytonEmulator puts the model on one end of a socat pty pair and writes with
// writeSync (the write time is the moment the bytes are in the tty); mockCytonBinding() puts it
// behind @serialport/binding-mock for unit tests.

import { writeSync } from 'node:fs';
import { SerialPort, SerialPortMock } from 'serialport';
import {
  CYTON_CHANNEL_CHARS,
  CYTON_DEFAULT_CHANNEL,
  CYTON_GAINS,
  CYTON_INPUT_TYPES,
  accelAuxBytes,
  countScaleUv,
  encodeCytonPacket,
  type CytonChannelSettings,
  type CytonGain,
} from '../../electron/common/boards/cyton-protocol.js';
import { amplitudeUvForImpedance } from '../../electron/common/boards/cyton-impedance.js';
import { Random } from '../../electron/common/random.js';
import { SyntheticEeg, type SyntheticMode } from '../../electron/common/boards/synthetic.js';
import type { SerialBinding, SerialBindingPort, SerialOpenOptions } from '../../electron/engine/serial/binding.js';
import { PtyPair } from './socat.js';

// ------------------------------------------------------------------------------------------------
// Known data

const TWO24 = 16777216;
const MUL = 7919;
const CH_STEP = 1234567;
const OFFSET = 99991;

function modInverse(a: number, m: number): number {
  let [r0, r1] = [a % m, m];
  let [s0, s1] = [1, 0];
  while (r1 !== 0) {
    const q = Math.floor(r0 / r1);
    [r0, r1] = [r1, r0 - q * r1];
    [s0, s1] = [s1, s0 - q * s1];
  }
  return ((s0 % m) + m) % m;
}
const MUL_INV = modInverse(MUL, TWO24);

function signed24(u: number): number {
  return u >= 0x800000 ? u - TWO24 : u;
}

/** The count the emulator sends for row k, channel ch (0-based, 0..15). */
export function testCount(k: number, ch: number): number {
  return signed24((((k % TWO24) * MUL + ch * CH_STEP + OFFSET) % TWO24 + TWO24) % TWO24);
}

/** Row k (mod 2^24) from channel 0's count. */
export function testRowFromCount(count0: number): number {
  const u = ((Math.round(count0) - OFFSET) % TWO24 + TWO24) % TWO24;
  // u * MUL_INV can reach 2^48: exact in doubles
  return Number((BigInt(u) * BigInt(MUL_INV)) % BigInt(TWO24));
}

/** The raw accelerometer reading (int16 counts, never zero) in packet j (j % 10 = 0). */
export function testAccel(j: number, axis: number): number {
  const v = ((Math.floor(j / 10) * 37 + axis * 1000) % 3000) - 1500;
  return v === 0 ? 1 : v;
}

// ------------------------------------------------------------------------------------------------
// The board

export type CytonPersonality =
  | 'cyton' // a working board behind its dongle
  | 'unreachable' // the dongle alone: the board is off (every command → Failure: …)
  | 'not-cyton' // some other device: answers, never with $$$
  | 'silent'; // never answers

export interface CytonModelOptions {
  /** A Daisy module is fitted. */
  readonly daisy?: boolean;
  readonly firmware?: string;
  readonly personality?: CytonPersonality;
  /** Electrode impedance per channel (kΩ) shown in lead-off mode; default 5 + 3·ch. */
  readonly impedanceKOhm?: readonly number[];
  /** Seed of the random faults. */
  readonly seed?: number;
  /** Clock (ms). */
  readonly now?: () => number;
  /**
   * What the 8 channels carry (without the Daisy): the known test counts (default), or EEG from
   * the synthetic board's generator (its montage's 8 labels at 250 Hz, in the given mode and seed:
   * plausible amplitudes, motor imagery in 'mi' mode) at each channel's gain.
   */
  readonly signal?: { readonly kind: 'synthetic'; readonly mode: SyntheticMode; readonly seed: number };
}

/** Per-packet fault probabilities. */
export interface RandomFaults {
  readonly garbage?: number;
  readonly dropByte?: number;
  readonly dropPacket?: number;
}

/** What became of a packet. */
export const PacketFate = Object.freeze({
  NotStreaming: 0,
  Sent: 1,
  Dropped: 2, // a dropped packet
  Corrupted: 3, // bytes removed from it
  Unsent: 4, // stalled, unplugged, or the tty refused it
});

export interface LeadOffState {
  p: boolean;
  n: boolean;
}

const PACKET_RATE = 250;

/** The emulated board. `output` carries its bytes to the host; return false when they could not go. */
export class CytonModel {
  readonly hasDaisy: boolean;
  readonly firmware: string;
  personality: CytonPersonality;
  readonly impedanceKOhm: number[];
  readonly now: () => number;
  output: (bytes: Uint8Array) => boolean = () => true;
  /** Called after each packet write with its index and the time the write returned. */
  onPacketWritten: ((j: number, atMs: number) => void) | undefined;

  streaming = false;
  daisyAttached: boolean;
  settings: CytonChannelSettings[] = Array.from({ length: 16 }, () => CYTON_DEFAULT_CHANNEL);
  readonly leadOff: LeadOffState[] = Array.from({ length: 16 }, () => ({ p: false, n: false }));
  /** Commands received, in order (whole commands: "v", "x1060110X", …). */
  readonly commands: string[] = [];

  private readonly t0: number;
  private nextPacket = 0;
  private stalledUntilMs = 0;
  connected = true;
  private pendingGarbage = 0;
  private pendingDropBytes = 0;
  private pendingDropPackets = 0;
  randomFaults: RandomFaults = {};
  private readonly rng: Random;
  private commandBuffer = '';
  /** The fate of every packet j (PacketFate), and when it was written. */
  fates = new Uint8Array(1 << 16);
  writtenAtMs = new Float64Array(1 << 16);
  /** Gains in force for each packet (index into history), for value checks after gain changes. */
  readonly gainHistory: { fromPacket: number; gains: number[]; leadOff: boolean[] }[] = [];
  garbageBytes = 0;

  constructor(options: CytonModelOptions = {}) {
    this.hasDaisy = options.daisy ?? false;
    this.daisyAttached = this.hasDaisy;
    this.firmware = options.firmware ?? '3.1.2';
    this.personality = options.personality ?? 'cyton';
    this.impedanceKOhm = Array.from({ length: 16 }, (_, c) => options.impedanceKOhm?.[c] ?? 5 + 3 * c);
    this.now = options.now ?? (() => performance.timeOrigin + performance.now());
    this.rng = new Random(options.seed ?? 1);
    if (options.signal) {
      if (this.hasDaisy) throw new RangeError('the synthetic EEG signal is for a Cyton without the Daisy');
      this.eeg = new SyntheticEeg({ channelCount: 8, sampleRateHz: PACKET_RATE, seed: options.signal.seed, mode: options.signal.mode, mainsHz: 50 });
    }
    this.t0 = this.now();
    this.nextPacket = 0;
    this.recordSettings();
  }

  /** Packets the board clock has produced by now (streaming or not). */
  packetIndexAt(ms: number): number {
    return Math.floor(((ms - this.t0) * PACKET_RATE) / 1000);
  }

  get packetsDue(): number {
    return this.packetIndexAt(this.now());
  }

  /** Row of packet j. */
  rowOfPacket(j: number): number {
    return this.daisyAttached ? Math.floor(j / 2) : j;
  }

  // faults -----------------------------------------------------------------------------------------

  injectGarbage(bytes: number): void {
    this.pendingGarbage += bytes;
  }

  /** The next packet loses `bytes` bytes (from its middle). */
  dropBytes(bytes = 1): void {
    this.pendingDropBytes = bytes;
  }

  dropPackets(count: number): void {
    this.pendingDropPackets += count;
  }

  /**
   * Packets first … first + count − 1 will not be sent, whenever they fall due: the same packets
   * in every run, however the transport's timer batches them (`dropPackets` from
   * `onPacketWritten` acts on the next batch, which on a loaded machine may start later).
   */
  dropPacketsAt(first: number, count: number): void {
    this.scheduledDrops.push([first, first + count]);
  }

  private readonly scheduledDrops: [number, number][] = [];

  /** `bytes` bytes of garbage go out just before packet j, whenever it falls due. */
  injectGarbageAt(j: number, bytes: number): void {
    this.scheduledGarbage.set(j, (this.scheduledGarbage.get(j) ?? 0) + bytes);
  }

  private readonly scheduledGarbage = new Map<number, number>();

  /** Nothing goes out and commands are ignored for `ms` (a radio dropout); the clock runs on. */
  stall(ms: number): void {
    this.stalledUntilMs = this.now() + ms;
  }

  get stalled(): boolean {
    return this.now() < this.stalledUntilMs;
  }

  // host → board -----------------------------------------------------------------------------------

  receive(bytes: Uint8Array): void {
    if (this.stalled || !this.connected) return;
    for (const b of bytes) this.receiveChar(String.fromCharCode(b));
  }

  private receiveChar(ch: string): void {
    switch (this.personality) {
      case 'silent':
        return;
      case 'not-cyton':
        this.reply('AT\r\nOK\r\n', true);
        return;
      case 'unreachable':
        if (ch.trim()) this.reply('Failure: Communications timeout - Device failed to poll Host$$$', true);
        return;
      default:
        break;
    }
    if (this.commandBuffer.length > 0) {
      this.commandBuffer += ch;
      const kind = this.commandBuffer[0];
      const end = kind === 'x' ? 'X' : 'Z';
      const full = kind === 'x' ? 9 : 5;
      if (ch === end || this.commandBuffer.length >= full) {
        const cmd = this.commandBuffer;
        this.commandBuffer = '';
        this.commands.push(cmd);
        if (kind === 'x') this.channelCommand(cmd);
        else this.leadOffCommand(cmd);
      }
      return;
    }
    if (ch === 'x' || ch === 'z') {
      this.commandBuffer = ch;
      return;
    }
    if (!ch.trim()) return;
    this.commands.push(ch);
    switch (ch) {
      case 'v':
        this.streaming = false;
        this.daisyAttached = this.hasDaisy;
        this.resetSettings();
        this.reply(
          'OpenBCI V3 8-16 channel\nOn Board ADS1299 Device ID: 0x3E\n' +
            (this.hasDaisy ? 'On Daisy ADS1299 Device ID: 0x3E\n' : '') +
            `LIS3DH Device ID: 0x33\nFirmware: v${this.firmware}\n$$$`,
        );
        return;
      case 'd':
        this.resetSettings();
        this.reply('updating channel settings to default$$$');
        return;
      case 'b':
        if (!this.streaming) {
          this.streaming = true;
          this.nextPacket = Math.max(this.nextPacket, this.packetsDue);
        }
        return;
      case 's':
        this.streaming = false;
        return;
      case 'c':
        this.daisyAttached = false;
        this.reply('daisy removed$$$');
        return;
      case 'C':
        if (this.hasDaisy) {
          this.daisyAttached = true;
          this.reply('daisy attached16$$$');
        } else this.reply('no daisy to attach!8$$$');
        return;
      case '?':
        this.reply(this.registerDump());
        return;
      default:
        return;
    }
  }

  private channelCommand(cmd: string): void {
    const m = /^x([1-8QWERTYUI])([01])([0-6])([0-7])([01])([01])([01])X$/.exec(cmd);
    if (!m) {
      this.reply('Failure: too few chars$$$');
      return;
    }
    const ch = CYTON_CHANNEL_CHARS.indexOf(m[1]);
    if (ch >= 8 && !this.daisyAttached) {
      this.reply('Failure: no daisy attached$$$');
      return;
    }
    this.settings[ch] = {
      powerOn: m[2] === '0',
      gain: CYTON_GAINS[Number(m[3])] as CytonGain,
      input: CYTON_INPUT_TYPES[Number(m[4])],
      bias: m[5] === '1',
      srb2: m[6] === '1',
      srb1: m[7] === '1',
    };
    this.recordSettings();
    this.reply(`Success: Channel set for ${ch + 1}$$$`);
  }

  private leadOffCommand(cmd: string): void {
    const m = /^z([1-8QWERTYUI])([01])([01])Z$/.exec(cmd);
    if (!m) {
      this.reply('Failure: too few chars$$$');
      return;
    }
    const ch = CYTON_CHANNEL_CHARS.indexOf(m[1]);
    this.leadOff[ch] = { p: m[2] === '1', n: m[3] === '1' };
    this.recordSettings();
    this.reply(`Success: Lead off set for ${ch + 1}$$$`);
  }

  private resetSettings(): void {
    this.settings = Array.from({ length: 16 }, () => CYTON_DEFAULT_CHANNEL);
    for (const l of this.leadOff) l.p = l.n = false;
    this.recordSettings();
  }

  private recordSettings(): void {
    this.gainHistory.push({
      fromPacket: this.packetsDue,
      gains: this.settings.map((s) => s.gain),
      leadOff: this.leadOff.map((l) => l.p || l.n),
    });
  }

  /** Gains and lead-off in force when packet j was made. */
  settingsAtPacket(j: number): { gains: number[]; leadOff: boolean[] } {
    let found = this.gainHistory[0];
    for (const h of this.gainHistory) {
      if (h.fromPacket <= j) found = h;
      else break;
    }
    return found;
  }

  registerDump(): string {
    const hex = (n: number) => n.toString(16).toUpperCase().padStart(2, '0');
    const lines = ['Board ADS Registers', 'ADS_ID, 00, 3E, 0, 0, 1, 1, 1, 1, 1, 0'];
    for (let c = 0; c < 8; c++) {
      const s = this.settings[c];
      const value = (s.powerOn ? 0 : 0x80) | (CYTON_GAINS.indexOf(s.gain) << 4) | (s.srb2 ? 0x08 : 0) | CYTON_INPUT_TYPES.indexOf(s.input);
      lines.push(`CH${c + 1}SET, ${hex(5 + c)}, ${hex(value)}`);
    }
    lines.push('LIS3DH Registers', 'STATUS_REG_AUX, 07, 00');
    return `${lines.join('\n')}\n$$$`;
  }

  private reply(text: string, always = false): void {
    if (this.streaming && !always) return; // firmware 3 stays quiet while streaming
    this.output(Uint8Array.from(text, (c) => c.charCodeAt(0) & 0xff));
  }

  // board → host -----------------------------------------------------------------------------------

  private readonly eeg: SyntheticEeg | undefined;
  private readonly eegRow = new Float64Array(8);
  /** Rows of synthetic EEG generated so far (row eegRows − 1 is in eegRow). */
  private eegRows = 0;

  /** The counts of packet j's 8 channels into `counts`. */
  packetCounts(j: number, counts: Int32Array | number[]): void {
    const daisy = this.daisyAttached;
    const k = daisy ? Math.floor(j / 2) : j;
    const first = daisy && j % 2 === 1 ? 8 : 0;
    if (this.eeg) {
      // rows are asked for in order (skipped ones while unplugged are generated and dropped)
      while (this.eegRows <= k) {
        this.eeg.generate(this.eegRow, 1, () => undefined);
        this.eegRows++;
      }
    }
    for (let c = 0; c < 8; c++) {
      const ch = first + c;
      if (this.leadOff[ch].n || this.leadOff[ch].p) {
        const rowRate = daisy ? PACKET_RATE / 2 : PACKET_RATE;
        const amplitudeUv = amplitudeUvForImpedance(this.impedanceKOhm[ch]);
        const scale = countScaleUv(this.settings[ch].gain);
        counts[c] = Math.round((3000 + amplitudeUv * Math.sin((2 * Math.PI * 31.25 * k) / rowRate + 0.3) + 2 * Math.sin(0.7 * k)) / scale);
      } else if (this.eeg) {
        counts[c] = Math.round(this.eegRow[c] / countScaleUv(this.settings[ch].gain));
      } else {
        counts[c] = testCount(k, ch);
      }
    }
  }

  private readonly packet = new Uint8Array(33);
  private readonly counts = new Int32Array(8);
  private readonly zeroAux = [0, 0, 0, 0, 0, 0];

  /** Writes one packet j into this.packet. */
  buildPacket(j: number): Uint8Array {
    this.packetCounts(j, this.counts);
    const aux = j % 10 === 0 ? accelAuxBytes(testAccel(j, 0), testAccel(j, 1), testAccel(j, 2)) : this.zeroAux;
    encodeCytonPacket(this.packet, 0, (j + 1) & 0xff, this.counts, 0xc0, aux);
    return this.packet;
  }

  /** Sends every packet due by now (called by the transport's timer). */
  pump(): void {
    const due = this.packetsDue;
    if (!this.streaming || this.personality !== 'cyton') {
      this.nextPacket = Math.max(this.nextPacket, due);
      return;
    }
    if (due <= this.nextPacket) return;
    const pieces: Uint8Array[] = [];
    const sent: number[] = [];
    for (let j = this.nextPacket; j < due; j++) {
      this.ensureLog(j);
      if (this.stalled || !this.connected) {
        this.fates[j] = PacketFate.Unsent;
        continue;
      }
      const f = this.randomFaults;
      if (f.garbage && this.rng.nextFloat() < f.garbage) this.pendingGarbage += 1 + this.rng.nextInt(40);
      if (f.dropPacket && this.rng.nextFloat() < f.dropPacket) this.pendingDropPackets++;
      if (f.dropByte && this.rng.nextFloat() < f.dropByte) this.pendingDropBytes = 1 + this.rng.nextInt(3);
      this.pendingGarbage += this.scheduledGarbage.get(j) ?? 0;
      if (this.pendingGarbage > 0) {
        const garbage = new Uint8Array(this.pendingGarbage);
        for (let g = 0; g < garbage.length; g++) {
          const b = this.rng.nextInt(256);
          garbage[g] = b === 0xa0 ? 0x5a : b;
        }
        pieces.push(garbage);
        this.garbageBytes += garbage.length;
        this.pendingGarbage = 0;
      }
      if (this.pendingDropPackets > 0 || this.scheduledDrops.some(([from, to]) => j >= from && j < to)) {
        if (this.pendingDropPackets > 0) this.pendingDropPackets--;
        this.fates[j] = PacketFate.Dropped;
        continue;
      }
      const packet = this.buildPacket(j).slice();
      if (this.pendingDropBytes > 0) {
        const drop = Math.min(this.pendingDropBytes, 20);
        this.pendingDropBytes = 0;
        const at = 5 + this.rng.nextInt(20);
        pieces.push(packet.subarray(0, at), packet.subarray(at + drop));
        this.fates[j] = PacketFate.Corrupted;
        continue;
      }
      pieces.push(packet);
      sent.push(j);
    }
    this.nextPacket = due;
    let total = 0;
    for (const p of pieces) total += p.length;
    const out = new Uint8Array(total);
    let at = 0;
    for (const p of pieces) {
      out.set(p, at);
      at += p.length;
    }
    this.send(out, sent);
  }

  private send(bytes: Uint8Array, sent: number[]): void {
    if (bytes.length === 0) return;
    const ok = this.output(bytes);
    const at = this.now();
    for (const j of sent) {
      this.fates[j] = ok ? PacketFate.Sent : PacketFate.Unsent;
      this.writtenAtMs[j] = at;
      if (ok) this.onPacketWritten?.(j, at);
    }
  }

  private ensureLog(j: number): void {
    if (j < this.fates.length) return;
    let size = this.fates.length;
    while (size <= j) size *= 2;
    const fates = new Uint8Array(size);
    fates.set(this.fates);
    this.fates = fates;
    const at = new Float64Array(size);
    at.set(this.writtenAtMs);
    this.writtenAtMs = at;
  }

  /** Packet indices with fate Sent in [from, to). */
  sentPackets(from = 0, to = this.nextPacket): number[] {
    const out: number[] = [];
    for (let j = from; j < Math.min(to, this.fates.length); j++) if (this.fates[j] === PacketFate.Sent) out.push(j);
    return out;
  }

  get packetsMade(): number {
    return this.nextPacket;
  }
}

// ------------------------------------------------------------------------------------------------
// Transport 1: a socat pty pair and the real serialport binding

interface FdPort {
  readonly fd: number | null;
  readonly isOpen: boolean;
  read(buffer: Buffer, offset: number, length: number): Promise<{ bytesRead: number }>;
  close(): Promise<void>;
}

export interface CytonEmulatorOptions extends CytonModelOptions {
  /** Timer period of the packet clock (ms, default 1). */
  readonly tickMs?: number;
}

export class CytonEmulator {
  readonly model: CytonModel;
  private port: FdPort | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;
  private readonly tickMs: number;

  private constructor(
    readonly pty: PtyPair,
    options: CytonEmulatorOptions,
  ) {
    this.model = new CytonModel(options);
    this.tickMs = options.tickMs ?? 1;
    this.model.output = (bytes) => this.write(bytes);
  }

  /** Makes the pty pair, opens the board's end and starts the packet clock. */
  static async start(options: CytonEmulatorOptions = {}): Promise<CytonEmulator> {
    const emulator = new CytonEmulator(await PtyPair.create(), options);
    await emulator.attach();
    emulator.tick();
    return emulator;
  }

  /** The path the driver opens. */
  get hostPath(): string {
    return this.pty.hostPath;
  }

  private async attach(): Promise<void> {
    const port = (await SerialPort.binding.open({ path: this.pty.devicePath, baudRate: 115200, lock: false })) as unknown as FdPort;
    this.port = port;
    this.model.connected = true;
    void this.readLoop(port);
  }

  private async readLoop(port: FdPort): Promise<void> {
    const buffer = Buffer.alloc(256);
    for (;;) {
      try {
        const { bytesRead } = await port.read(buffer, 0, buffer.length);
        this.model.receive(buffer.subarray(0, bytesRead));
      } catch {
        if (this.port === port) {
          this.port = undefined;
          this.model.connected = false;
        }
        return;
      }
    }
  }

  /** Raw bytes onto the line from the board's side (noise, a flood), outside the model's packets. */
  inject(bytes: Uint8Array): boolean {
    return this.write(bytes);
  }

  private write(bytes: Uint8Array): boolean {
    const fd = this.port?.fd;
    if (fd === null || fd === undefined || !this.port?.isOpen) return false;
    try {
      let done = 0;
      while (done < bytes.length) done += writeSync(fd, bytes, done, bytes.length - done);
      return true;
    } catch {
      return false;
    }
  }

  private tick(): void {
    if (this.stopped) return;
    this.model.pump();
    this.timer = setTimeout(() => this.tick(), this.tickMs);
  }

  /** The dongle is pulled out: socat goes, both links vanish. The board's clock runs on. */
  async unplug(): Promise<void> {
    this.model.connected = false;
    const port = this.port;
    this.port = undefined;
    await this.pty.kill();
    if (port?.isOpen) await port.close().catch(() => {});
  }

  /** The dongle is back under the same name. */
  async replug(): Promise<void> {
    await this.pty.restart();
    await this.attach();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    const port = this.port;
    this.port = undefined;
    if (port?.isOpen) await port.close().catch(() => {});
    await this.pty.dispose();
  }
}

// ------------------------------------------------------------------------------------------------
// Transport 2: @serialport/binding-mock

type MockPort = SerialBindingPort & { emitData(data: Buffer): void };

/** The parts of @serialport/binding-mock's MockBinding used here (its own typings do not resolve under NodeNext). */
interface MockBindingLike {
  createPort(path: string, options: { echo?: boolean; record?: boolean; maxReadSize?: number; vendorId?: string; productId?: string; manufacturer?: string }): void;
  list(): Promise<{ path: string; vendorId?: string; productId?: string; manufacturer?: string }[]>;
  open(options: SerialOpenOptions): Promise<unknown>;
  reset(): void;
}

/** MockBinding from @serialport/binding-mock (the same object serialport's SerialPortMock uses). */
export const MockBinding = SerialPortMock.binding as unknown as MockBindingLike;

export interface MockCyton {
  readonly binding: SerialBinding;
  readonly model: CytonModel;
  readonly path: string;
  /** Bytes the host wrote, in order. */
  readonly written: string[];
  /** The port vanishes (reads fail; opening fails with ENOENT) until replug(). */
  unplug(): Promise<void>;
  replug(): void;
  /** Opening fails with this message (permission, busy …) until cleared with undefined. */
  failOpenWith(message: string | undefined): void;
  dispose(): void;
}

let mockCount = 0;

/**
 * A CytonModel behind MockBinding: what the host writes reaches the model, what the model sends
 * is emitted on the port. The packet clock ticks every `tickMs` (default 2) while a port is open.
 */
export function mockCytonBinding(options: CytonModelOptions & { tickMs?: number; maxReadSize?: number; vendorId?: string; productId?: string } = {}): MockCyton {
  const path = `/dev/ttyMOCK${mockCount++}`;
  MockBinding.createPort(path, {
    echo: false,
    record: false,
    maxReadSize: options.maxReadSize ?? 1024,
    vendorId: options.vendorId ?? '0403',
    productId: options.productId ?? '6015',
    manufacturer: 'FTDI',
  });
  const model = new CytonModel(options);
  const written: string[] = [];
  let current: MockPort | undefined;
  let unplugged = false;
  let openError: string | undefined;
  let timer: ReturnType<typeof setInterval> | undefined;
  model.output = (bytes) => {
    if (!current || !current.isOpen) return false;
    current.emitData(Buffer.from(bytes));
    return true;
  };

  const binding: SerialBinding = {
    list: () => MockBinding.list(),
    async open(openOptions: SerialOpenOptions) {
      if (openOptions.path === path && unplugged) throw new Error(`Error: No such file or directory, cannot open ${path}`);
      if (openOptions.path === path && openError) throw new Error(openError);
      const port = (await MockBinding.open({ ...openOptions })) as unknown as MockPort;
      if (openOptions.path !== path) return port;
      current = port;
      model.connected = true;
      const wrapped: SerialBindingPort = {
        get isOpen() {
          return port.isOpen;
        },
        read: (b, o, l) => port.read(b, o, l),
        flush: () => port.flush(),
        close: async () => {
          if (timer) clearInterval(timer);
          timer = undefined;
          await port.close();
        },
        write: async (buffer) => {
          await port.write(buffer);
          written.push(buffer.toString('latin1'));
          queueMicrotask(() => model.receive(buffer));
        },
      };
      if (timer) clearInterval(timer);
      timer = setInterval(() => model.pump(), options.tickMs ?? 2);
      return wrapped;
    },
  };

  return {
    binding,
    model,
    path,
    written,
    async unplug() {
      unplugged = true;
      model.connected = false;
      if (timer) clearInterval(timer);
      timer = undefined;
      const port = current;
      current = undefined;
      if (port?.isOpen) await port.close();
    },
    replug() {
      unplugged = false;
    },
    failOpenWith(message) {
      openError = message;
    },
    dispose() {
      if (timer) clearInterval(timer);
      timer = undefined;
      if (current?.isOpen) void current.close().catch(() => {});
    },
  };
}
