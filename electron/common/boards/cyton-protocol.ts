// The OpenBCI Cyton (and Cyton + Daisy) serial protocol, pure: the binary packet parser, the
// µV / g scaling, the `$$$`-framed text replies and the firmware banner, and the command builders.
// No I/O here: the driver moves the bytes (electron/engine/boards/cyton-link.ts).
//
// ── Binary stream (115200 baud 8N1, 250 packets per second while streaming) ───────────────────
//
//   byte  0      0xA0                          header
//   byte  1      sample number                 0..255, +1 per packet, wraps
//   bytes 2-25   8 channels × 3 bytes          24-bit big-endian two's complement ADS1299 counts
//   bytes 26-31  6 aux bytes                   meaning set by the footer, below
//   byte  32     footer 0xC0..0xC6
//
//   footer  aux bytes 26-31                                   what this parser does with them
//   C0      3 × int16 BE accelerometer X, Y, Z                g = raw × 0.002 / 16; all three zero
//           (non-zero at ~25 Hz, zero in between)             means "no new reading": the last
//                                                             non-zero reading is held
//   C1      6 raw aux bytes (analog / digital pins)           passed on raw (onPacket tap)
//   C2      user defined                                      passed on raw
//   C3, C4  time-stamped (C3: the packet that set the time):  bytes 26-27 = ONE accelerometer axis
//           int16 BE accel axis + uint32 BE board time (ms)   (int16, picked by sample number mod
//                                                             10: 7 → X, 8 → Y, 9 → Z, as the
//                                                             firmware sends it), held per axis;
//                                                             the board time is passed on raw
//   C5, C6  time-stamped raw aux: 2 raw aux bytes + uint32    passed on raw
//           BE board time (ms)
//   any other footer: not a packet.
//
//   µV = count × 4.5 V / gain / (2^23 − 1) × 1e6, per channel, with the gain the channel is set
//   to (24 by default: 0.02235 µV per count, full scale ±187 500 µV).
//
// ── Synchronisation ─────────────────────────────────────────────────────────────────────────────
//   A packet is accepted only at a 0xA0 byte with a valid footer (C0..C6) 32 bytes later; a
//   packet without a valid footer never yields a row. While locked (the previous packet ended
//   right where this one starts) that is enough when its sample number continues the last one's.
//   Any other number there (a lost packet, or noise framed right at a packet boundary, about once
//   in 10^4 boundaries on a noisy line) is judged as while hunting; at the stream's end, when
//   draining, it is taken. After bytes were skipped (garbage, a dropped
//   byte, start-up), the parser is hunting, and a candidate needs more than its frame, since
//   random bytes frame a packet once in ~2.4 million positions (9 MB/s of noise: ~4 a second):
//   - a candidate whose sample number is 1-4 past the last accepted packet's, at most NEAR_BYTES
//     after it, with a footer of the same kind (a damaged or dropped packet, a burst of garbage),
//     is taken provisionally: it is held, not yet a row, until the next packet judges it. A next
//     packet whose number lies between the last accepted one and the held one's (the board's own
//     stream going on) shows the held one was noise: it is dropped (a rejected candidate) and the
//     loss is counted from the last accepted packet. Otherwise it is accepted, before the next one.
//     (Noise right after real packets frames such a candidate about once in 20 000 packet
//     boundaries; without the judgement, its number would make the board's next packet read as
//     ~250 lost: a second of loss counted from noise.)
//   - otherwise only as the first of a run of RESYNC_RUN_PACKETS packets, back to back, each with
//     a valid frame and a sample number one more than the one before (two packet periods of
//     delay, only while hunting). Noise passes that about once in 10^16 positions: random bytes
//     yield no rows. Rejected candidates (a frame without the run) are counted.
//   Damaged bytes therefore cost the packets they touch (and, while hunting, a jump in the
//   counter inside the run costs the packets before it) and nothing else.
//
// ── Lost samples ────────────────────────────────────────────────────────────────────────────────
//   A jump in the sample number is reported as lost rows (listener.lost) before the next row.
//   The counter is one byte: a jump of n and of n + 256 look the same, and a repeated number reads
//   as 255 lost. The driver keeps every counter gap short by treating more than ~0.9 s without a
//   packet as a discontinuity (markDiscontinuity): the next packet then calls listener.resumed()
//   instead of counting, and the driver accounts for the span. When the board's counter went on
//   through the discontinuity (a silence, not a stop and start), resumed() is given what the
//   counter says, modulo its wrap (256 rows; 128 Daisy rows): the driver only picks how many
//   wraps host time allows.
//
// ── Daisy (16 channels) ─────────────────────────────────────────────────────────────────────────
//   Still 250 packets/s. Odd sample numbers carry channels 1-8 (the Cyton), even ones 9-16 (the
//   Daisy). Pairing rule: the Cyton packet N (odd) and the Daisy packet N + 1 (mod 256; 255 pairs
//   with 0) make one 16-channel row at 125 Hz; the row's pair number is (N − 1) / 2, 0..127.
//   When one half of a pair is lost the whole row is lost (counted as 1 lost row, never half a
//   row padded with stale values); a Daisy packet without its Cyton half is dropped the same way.
//   Gaps in pair numbers (mod 128) are lost rows. The accelerometer value of a row is the one
//   held when the row completes (either half may carry a reading).
//
// ── Text ────────────────────────────────────────────────────────────────────────────────────────
//   With the stream stopped the board answers commands in text ending in `$$$`. `v` (soft reset)
//   answers with the firmware banner; a dongle that cannot reach its board answers any command
//   with `Failure: …$$$` (board off, or on another radio channel).

// ------------------------------------------------------------------------------------------------
// Constants

export const CYTON_BAUD_RATE = 115200;
export const CYTON_PACKET_BYTES = 33;
export const CYTON_HEADER = 0xa0;
export const CYTON_FOOTER_MIN = 0xc0;
export const CYTON_FOOTER_MAX = 0xc6;
/** Packets per second on the wire (with or without the Daisy). */
export const CYTON_PACKET_RATE_HZ = 250;
export const CYTON_CHANNELS = 8;
export const DAISY_CHANNELS = 16;
export const CYTON_ACCEL_CHANNELS = 3;
/** The ADS1299 reference voltage. */
export const CYTON_VREF_V = 4.5;
export const CYTON_DEFAULT_GAIN = 24;
/** g per accelerometer count (LIS3DH at ±4 g, left-aligned 12-bit data). */
export const CYTON_ACCEL_SCALE_G = 0.002 / 16;
/** The text reply terminator. */
export const CYTON_EOT = '$$$';

/** The gains the ADS1299 offers, by gain code 0..6. */
export const CYTON_GAINS: readonly number[] = Object.freeze([1, 2, 4, 6, 8, 12, 24]);
export type CytonGain = 1 | 2 | 4 | 6 | 8 | 12 | 24;

/** Input types by input code 0..7 (the ADS1299 channel MUX). */
export const CYTON_INPUT_TYPES = Object.freeze([
  'normal', // 0: the electrode
  'shorted', // 1: inputs shorted (noise floor, offset)
  'bias-meas', // 2: bias measurement
  'mvdd', // 3: supply measurement
  'temp', // 4: temperature sensor
  'test', // 5: internal test signal
  'bias-drp', // 6: positive electrode as bias driver
  'bias-drn', // 7: negative electrode as bias driver
] as const);
export type CytonInputType = (typeof CYTON_INPUT_TYPES)[number];

/** The command character of channels 1..16 (1-8 on the Cyton, 9-16 on the Daisy). */
export const CYTON_CHANNEL_CHARS = Object.freeze(['1', '2', '3', '4', '5', '6', '7', '8', 'Q', 'W', 'E', 'R', 'T', 'Y', 'U', 'I']);

/** µV per count at a gain. */
export function countScaleUv(gain: number): number {
  return (CYTON_VREF_V / gain / (2 ** 23 - 1)) * 1e6;
}

/** The largest |value| in µV a channel at this gain can produce (±187 500 µV at gain 24). */
export function fullScaleUv(gain: number): number {
  return CYTON_VREF_V / gain * 1e6;
}

/** While hunting, a resynchronisation is trusted after this many consistent packets back to back. */
export const RESYNC_RUN_PACKETS = 3;
/** ... or at once, when the candidate's counter is within this many packets of the last accepted one, */
const NEAR_COUNTER_PACKETS = 4;
/** ... and at most this many bytes were skipped since (a few damaged packets and a burst of garbage). */
const NEAR_BYTES = 4 * CYTON_PACKET_BYTES + 48;

function isFooter(byte: number): boolean {
  return byte >= CYTON_FOOTER_MIN && byte <= CYTON_FOOTER_MAX;
}

/** Footers a board in one mode sends: C0, C1 and C2 alone; C3/C4 (time-stamped accelerometer) and C5/C6 (time-stamped raw) in pairs. */
function sameFooterKind(footer: number, last: number): boolean {
  if (footer === last || last < 0) return true;
  const kind = (f: number): number => (f <= 0xc2 ? f : f <= 0xc4 ? 0xc3 : 0xc5);
  return kind(footer) === kind(last);
}

// ------------------------------------------------------------------------------------------------
// Packet parser

export interface CytonParserListener {
  /**
   * `rowCount` interleaved rows, each [EEG µV × 8 or 16, accel X, Y, Z in g]. The array is the
   * parser's own and is overwritten after the call returns: copy what you keep.
   */
  rows(rows: Float64Array, rowCount: number): void;
  /** Rows lost before the next row (a jump in the sample counter, or half a Daisy pair missing). */
  lost(rowCount: number): void;
  /**
   * The first packet after markDiscontinuity(), before its row: the caller accounts for the span.
   * `counterRows`: after markDiscontinuity({ counterContinues: true }), the rows the sample counter
   * says are missing before this packet's row, modulo `wrapRows` (256; 128 with the Daisy), which
   * the caller resolves with host time; undefined when the counter says nothing (a new stream).
   */
  resumed?(counterRows: number | undefined, wrapRows: number): void;
  /**
   * Every accepted packet, raw, before its row is built: `bytes[offset .. offset + 33)`;
   * `streamOffset` is its position in everything pushed since construction. Valid during the call.
   */
  packet?(bytes: Uint8Array, offset: number, streamOffset: number): void;
  /** Bytes skipped while looking for a packet (garbage, broken packets, stray text). */
  skipped?(byte: number): void;
}

export interface CytonParserOptions {
  /** Cyton + Daisy: pair packets into 16-channel rows at 125 Hz. */
  readonly daisy: boolean;
  /** Rows buffered before a forced flush (default 256). Rows are also flushed at the end of each push. */
  readonly maxRowsPerFlush?: number;
}

/** Running totals; `bytesIn = 33 × packets + skippedBytes + pendingBytes` always holds (pendingBytes includes a held candidate). */
export interface CytonParserStats {
  readonly bytesIn: number;
  readonly packets: number;
  readonly skippedBytes: number;
  readonly pendingBytes: number;
  readonly rows: number;
  readonly lostRows: number;
  /** Packets per footer code C0..C6. */
  readonly footers: readonly number[];
  /** Framed candidates refused while hunting (no run of consistent packets behind them, or judged noise by the next packet). */
  readonly rejectedCandidates: number;
}

/** Bytes kept between pushes when input arrives in pieces. Larger pushes are processed in slices. */
const WORK_BYTES = 16384;

/**
 * The streaming packet parser. Feed it bytes in any split with push(); it calls the listener with
 * rows (batched, preallocated: no allocation per sample or per packet), lost-row counts and the
 * optional taps. Never throws on any input.
 */
export class CytonParser {
  readonly daisy: boolean;
  /** Values per row: EEG channels + 3 accelerometer axes. */
  readonly rowWidth: number;
  readonly eegChannels: number;

  private readonly work = new Uint8Array(WORK_BYTES);
  private workLen = 0;
  private readonly scale: Float64Array;
  private readonly out: Float64Array;
  private readonly maxRows: number;
  private outRows = 0;
  private readonly accel = new Float64Array(3);
  private readonly daisyHalf = new Float64Array(CYTON_CHANNELS);

  private locked = false;
  private lastSample = -1; // sample number of the last accepted packet, -1: none yet
  private lastPair = -1; // Daisy: pair number of the last row emitted or counted lost
  private pendingPair = -1; // Daisy: pair number whose Cyton half is held in daisyHalf
  private discontinuity = false;
  private draining = false;
  private readonly footerCounts = new Float64Array(7);
  private lastFooter = -1;

  private bytesInTotal = 0;
  private consumedTotal = 0; // bytes before work[0] in the whole stream
  private packetCount = 0;
  private skippedCount = 0;
  private rowCount = 0;
  private lostCount = 0;
  private rejectedCount = 0;
  /** Bytes skipped since the last accepted packet (a continuing sample number is trusted only close by). */
  private skippedSinceAccept = 0;
  /** A candidate taken provisionally while hunting (see Synchronisation), judged by the next packet. */
  private readonly held = new Uint8Array(CYTON_PACKET_BYTES);
  private heldOffset = -1; // its position in the stream; -1: nothing held
  /** markDiscontinuity({ counterContinues: true }): the next packet's counter is compared with the last one. */
  private counterContinues = false;

  constructor(
    options: CytonParserOptions,
    private readonly listener: CytonParserListener,
  ) {
    this.daisy = options.daisy;
    this.eegChannels = this.daisy ? DAISY_CHANNELS : CYTON_CHANNELS;
    this.rowWidth = this.eegChannels + CYTON_ACCEL_CHANNELS;
    this.maxRows = Math.max(1, Math.floor(options.maxRowsPerFlush ?? 256));
    this.out = new Float64Array(this.maxRows * this.rowWidth);
    this.scale = new Float64Array(this.eegChannels).fill(countScaleUv(CYTON_DEFAULT_GAIN));
  }

  /** Sets the gain of channel `channel` (0-based) so that its µV follow the board's setting. */
  setGain(channel: number, gain: number): void {
    if (!Number.isInteger(channel) || channel < 0 || channel >= this.eegChannels) {
      throw new RangeError(`channel index must be 0..${this.eegChannels - 1} (got ${String(channel)})`);
    }
    if (!CYTON_GAINS.includes(gain)) throw new RangeError(`gain must be one of ${CYTON_GAINS.join(', ')} (got ${String(gain)})`);
    this.scale[channel] = countScaleUv(gain);
  }

  /** The held accelerometer reading (g), X Y Z. */
  get accelG(): readonly number[] {
    return Array.from(this.accel);
  }

  get stats(): CytonParserStats {
    return {
      bytesIn: this.bytesInTotal,
      packets: this.packetCount,
      skippedBytes: this.skippedCount,
      pendingBytes: this.workLen + (this.heldOffset >= 0 ? CYTON_PACKET_BYTES : 0),
      rows: this.rowCount,
      lostRows: this.lostCount,
      footers: Array.from(this.footerCounts),
      rejectedCandidates: this.rejectedCount,
    };
  }

  /**
   * The stream was interrupted (stopped, stalled, port reopened): the next packet's sample number
   * is not counted as a jump; listener.resumed() is called before its row instead. With
   * `counterContinues` (the board's counter went on: a silence, not a stop and start) resumed()
   * is told what the counter says; otherwise a pending Daisy half is dropped (it belongs to the
   * span the caller accounts for). Bytes of a partial packet are discarded (counted as skipped).
   */
  markDiscontinuity(options: { readonly counterContinues?: boolean } = {}): void {
    this.settleHeld(-1);
    this.flush();
    this.discontinuity = true;
    this.counterContinues = options.counterContinues === true && this.lastSample >= 0;
    if (this.counterContinues) {
      this.locked = false;
      this.discardWork();
    } else {
      this.restartSequence();
    }
  }

  /** Bytes held for an incomplete packet. */
  get pendingBytes(): number {
    return this.workLen;
  }

  /** markDiscontinuity() was called and no packet has arrived since. */
  get discontinuityPending(): boolean {
    return this.discontinuity;
  }

  /** Like markDiscontinuity() but silent: the next packet starts a new sequence with no callback. */
  resetSequence(): void {
    this.dropHeld();
    this.flush();
    this.discontinuity = false;
    this.counterContinues = false;
    this.restartSequence();
  }

  private restartSequence(): void {
    this.lastSample = -1;
    this.lastPair = -1;
    this.pendingPair = -1;
    this.locked = false;
    this.discardWork();
  }

  private discardWork(): void {
    if (this.workLen > 0) {
      if (this.listener.skipped) for (let i = 0; i < this.workLen; i++) this.listener.skipped(this.work[i]);
      this.skippedCount += this.workLen;
      this.consumedTotal += this.workLen;
      this.workLen = 0;
    }
  }

  /**
   * Gives up on the bytes held for an incomplete packet (they go to `skipped`) and scans what
   * follows them again. For a caller that knows no more packet bytes are coming (the line went
   * quiet while text is awaited): a stray 0xA0 must not hold the text after it back.
   */
  skipPending(): void {
    if (this.workLen === 0) return;
    this.skip(0);
    this.work.copyWithin(0, 1, this.workLen);
    this.workLen--;
    this.consumedTotal++;
    const used = this.scan();
    if (used > 0) {
      this.work.copyWithin(0, used, this.workLen);
      this.workLen -= used;
      this.consumedTotal += used;
    }
    this.flush();
  }

  /**
   * The line went quiet (the stream was stopped): packets held while hunting for a run can no
   * longer get one. Those that continue the board's counter (within a few packets of the last
   * accepted one) and follow each other are accepted; the rest is skipped.
   */
  drainPending(): void {
    if (this.workLen === 0 && this.heldOffset < 0) return;
    this.draining = true;
    try {
      const used = this.scan();
      if (used > 0) {
        this.work.copyWithin(0, used, this.workLen);
        this.workLen -= used;
        this.consumedTotal += used;
      }
    } finally {
      this.draining = false;
    }
    this.settleHeld(-1); // no next packet will come to judge it: it continued the counter close by
    this.flush();
  }

  /** Feeds bytes (any split). Rows found are delivered before push returns. */
  push(bytes: Uint8Array): void {
    const n = bytes.length;
    this.bytesInTotal += n;
    let offset = 0;
    while (offset < n) {
      const take = Math.min(WORK_BYTES - this.workLen, n - offset);
      this.work.set(take === n && offset === 0 ? bytes : bytes.subarray(offset, offset + take), this.workLen);
      this.workLen += take;
      offset += take;
      const used = this.scan();
      if (used > 0) {
        this.work.copyWithin(0, used, this.workLen);
        this.workLen -= used;
        this.consumedTotal += used;
      }
    }
    this.flush();
  }

  /** Delivers buffered rows now. */
  flush(): void {
    if (this.outRows > 0) {
      const rows = this.outRows;
      this.outRows = 0;
      this.listener.rows(this.out, rows);
    }
  }

  /** Scans work[0 .. workLen); returns how many bytes were consumed (packets and skipped bytes). */
  private scan(): number {
    const buf = this.work;
    const len = this.workLen;
    let i = 0;
    while (i < len) {
      if (buf[i] !== CYTON_HEADER) {
        this.skip(i++);
        continue;
      }
      if (len - i < CYTON_PACKET_BYTES) break; // wait for the rest
      if (!isFooter(buf[i + 32])) {
        this.skip(i++);
        continue;
      }
      // locked, a frame right where the last one ended is taken at once only when it continues the
      // counter: any other number (a lost packet, or noise framed at a packet boundary) is judged as
      // while hunting, so noise never passes for a jump of the counter (at the stream's end, when
      // draining, it is taken: no packet will come to judge it)
      const trusted = this.locked && (this.draining || ((buf[i + 1] - this.lastSampleSeen() - 1) & 0xff) === 0);
      if (!trusted) {
        // hunting: a candidate continuing the counter close to the last packet is held for the next
        // packet to judge; one further off is taken only as the first of a run of consistent packets
        const ahead = this.lastSampleSeen() >= 0 ? (buf[i + 1] - this.lastSampleSeen() - 1) & 0xff : 256;
        const nearCounter = this.draining && this.lastSample >= 0 && ((buf[i + 1] - this.lastSample - 1) & 0xff) < RESYNC_RUN_PACKETS + 1;
        if (!nearCounter) {
          if (ahead < NEAR_COUNTER_PACKETS && this.skippedSinceAccept <= NEAR_BYTES && sameFooterKind(buf[i + 32], this.lastFooter)) {
            this.hold(buf, i);
            i += CYTON_PACKET_BYTES;
            this.locked = true;
            continue;
          }
          if (len - i < RESYNC_RUN_PACKETS * CYTON_PACKET_BYTES) {
            if (!this.draining) break; // wait for the run
            // the stream's end: a tail of two back-to-back packets with consecutive numbers is
            // taken (no more will come to make a run of three); anything shorter is skipped
            const tail = Math.floor((len - i) / CYTON_PACKET_BYTES);
            if (tail < 2 || !this.runFollows(buf, i, tail)) {
              this.skip(i++);
              continue;
            }
          } else if (!this.runFollows(buf, i)) {
            this.rejectedCount++;
            this.skip(i++);
            continue;
          }
        }
      }
      this.settleHeld(buf[i + 1]);
      this.accept(buf, i, this.consumedTotal + i);
      i += CYTON_PACKET_BYTES;
      this.locked = true;
    }
    return i;
  }

  /** The sample number of the held candidate, else of the last accepted packet (-1: none). */
  private lastSampleSeen(): number {
    return this.heldOffset >= 0 ? this.held[1] : this.lastSample;
  }

  /** Takes a candidate provisionally (see Synchronisation); a candidate held before is judged by it. */
  private hold(buf: Uint8Array, at: number): void {
    this.settleHeld(buf[at + 1]);
    this.held.set(buf.subarray(at, at + CYTON_PACKET_BYTES));
    this.heldOffset = this.consumedTotal + at;
    this.skippedSinceAccept = 0;
  }

  /**
   * Judges the held candidate by the sample number of the packet that follows it (-1: none will):
   * a number between the last accepted packet's and the held one's means the board's stream went
   * on without it: it was noise. Otherwise it is accepted now.
   */
  private settleHeld(nextSample: number): void {
    if (this.heldOffset < 0) return;
    const heldAhead = (this.held[1] - this.lastSample) & 0xff;
    const nextAhead = nextSample < 0 ? 0 : (nextSample - this.lastSample) & 0xff;
    if (nextAhead >= 1 && nextAhead <= heldAhead) {
      this.dropHeld();
      return;
    }
    const offset = this.heldOffset;
    this.heldOffset = -1;
    this.accept(this.held, 0, offset);
  }

  /** The held candidate is not a packet: its bytes count as skipped. */
  private dropHeld(): void {
    if (this.heldOffset < 0) return;
    this.heldOffset = -1;
    this.rejectedCount++;
    this.skippedCount += CYTON_PACKET_BYTES;
    if (this.listener.skipped) for (let k = 0; k < CYTON_PACKET_BYTES; k++) this.listener.skipped(this.held[k]);
  }

  /** RESYNC_RUN_PACKETS packets from `at`, back to back, framed, each sample number one more. */
  private runFollows(buf: Uint8Array, at: number, packets = RESYNC_RUN_PACKETS): boolean {
    const first = buf[at + 1];
    for (let k = 1; k < packets; k++) {
      const p = at + k * CYTON_PACKET_BYTES;
      if (buf[p] !== CYTON_HEADER || !isFooter(buf[p + 32]) || buf[p + 1] !== ((first + k) & 0xff)) return false;
    }
    return true;
  }

  private skip(index: number): void {
    this.locked = false;
    this.skippedCount++;
    this.skippedSinceAccept++;
    this.listener.skipped?.(this.work[index]);
  }

  private accept(buf: Uint8Array, at: number, streamOffset: number): void {
    this.packetCount++;
    this.skippedSinceAccept = 0;
    const footer = buf[at + 32];
    this.lastFooter = footer;
    this.footerCounts[footer - CYTON_FOOTER_MIN]++;
    this.listener.packet?.(buf, at, streamOffset);
    const sample = buf[at + 1];
    this.updateAccel(buf, at, footer, sample);

    if (this.discontinuity) {
      this.discontinuity = false;
      this.flush();
      this.listener.resumed?.(this.counterContinues ? this.counterGapBefore(sample) : undefined, this.daisy ? 128 : 256);
      this.counterContinues = false;
    }

    if (!this.daisy) {
      if (this.lastSample >= 0) {
        const missing = (sample - this.lastSample - 1) & 0xff;
        if (missing > 0) this.reportLost(missing);
      }
      this.lastSample = sample;
      const row = this.beginRow();
      this.decodeChannels(buf, at, row, 0);
      this.endRow(row);
      return;
    }

    // Daisy: odd = Cyton half (channels 1-8), even = Daisy half (9-16) of pair (N - 1) / 2
    this.lastSample = sample;
    const isCyton = (sample & 1) === 1;
    const pair = isCyton ? (sample - 1) >> 1 : ((sample + 254) >> 1) & 0x7f;
    if (this.pendingPair >= 0 && pair !== this.pendingPair) {
      // the held Cyton half never got its Daisy half
      this.countPairLost(this.pendingPair);
      this.pendingPair = -1;
    }
    if (this.lastPair >= 0 && pair === this.lastPair) return; // a repeat of a finished pair: ignore
    if (this.lastPair >= 0 && this.pendingPair < 0) {
      const missing = (pair - this.lastPair - 1) & 0x7f;
      if (missing > 0) {
        this.reportLost(missing);
        this.lastPair = (pair - 1) & 0x7f;
      }
    }
    if (isCyton) {
      const scratch = this.daisyHalf;
      for (let c = 0; c < CYTON_CHANNELS; c++) {
        const p = at + 2 + c * 3;
        scratch[c] = (((buf[p] << 24) | (buf[p + 1] << 16) | (buf[p + 2] << 8)) >> 8) * this.scale[c];
      }
      this.pendingPair = pair;
      return;
    }
    if (this.pendingPair === pair) {
      const row = this.beginRow();
      const out = this.out;
      for (let c = 0; c < CYTON_CHANNELS; c++) out[row + c] = this.daisyHalf[c];
      this.decodeChannels(buf, at, row, CYTON_CHANNELS);
      this.endRow(row);
      this.pendingPair = -1;
      this.lastPair = pair;
      return;
    }
    // a Daisy half without its Cyton half: the row is lost (at the very start of a sequence it
    // is the tail of a pair sent before we listened: it only starts the sequence)
    if (this.lastPair < 0) this.lastPair = pair;
    else this.countPairLost(pair);
  }

  /**
   * After a silence the board's counter went on through: the rows missing before this packet's
   * row by the counter (modulo its wrap), which are then not counted again as a jump. Daisy: the
   * pairs after the last finished one and before this packet's (a held Cyton half whose Daisy half
   * is not this packet: its row is among them); a Daisy half arriving alone is then counted as its lost row.
   */
  private counterGapBefore(sample: number): number {
    if (!this.daisy) {
      const missing = (sample - this.lastSample - 1) & 0xff;
      this.lastSample = (sample - 1) & 0xff;
      return missing;
    }
    const pair = (sample & 1) === 1 ? (sample - 1) >> 1 : ((sample + 254) >> 1) & 0x7f;
    if ((sample & 1) === 0 && pair === this.pendingPair) return 0; // the Daisy half of the held Cyton half: the row completes
    const from = this.lastPair >= 0 ? this.lastPair : this.pendingPair >= 0 ? (this.pendingPair - 1) & 0x7f : -1;
    this.pendingPair = -1;
    if (from < 0) return 0;
    const missing = (pair - from - 1) & 0x7f;
    this.lastPair = (pair - 1) & 0x7f;
    return missing;
  }

  private countPairLost(pair: number): void {
    if (this.lastPair >= 0) {
      const missing = (pair - this.lastPair - 1) & 0x7f;
      if (missing > 0) this.reportLost(missing);
    }
    this.reportLost(1);
    this.lastPair = pair;
  }

  private reportLost(rows: number): void {
    this.flush();
    this.lostCount += rows;
    this.listener.lost(rows);
  }

  private beginRow(): number {
    if (this.outRows === this.maxRows) this.flush();
    return this.outRows * this.rowWidth;
  }

  private endRow(row: number): void {
    const a = row + this.eegChannels;
    this.out[a] = this.accel[0];
    this.out[a + 1] = this.accel[1];
    this.out[a + 2] = this.accel[2];
    this.outRows++;
    this.rowCount++;
  }

  private decodeChannels(buf: Uint8Array, at: number, row: number, firstChannel: number): void {
    const out = this.out;
    const scale = this.scale;
    for (let c = 0; c < CYTON_CHANNELS; c++) {
      const p = at + 2 + c * 3;
      out[row + firstChannel + c] = (((buf[p] << 24) | (buf[p + 1] << 16) | (buf[p + 2] << 8)) >> 8) * scale[firstChannel + c];
    }
  }

  private updateAccel(buf: Uint8Array, at: number, footer: number, sample: number): void {
    const p = at + 26;
    if (footer === 0xc0) {
      const x = ((buf[p] << 24) | (buf[p + 1] << 16)) >> 16;
      const y = ((buf[p + 2] << 24) | (buf[p + 3] << 16)) >> 16;
      const z = ((buf[p + 4] << 24) | (buf[p + 5] << 16)) >> 16;
      if (x !== 0 || y !== 0 || z !== 0) {
        this.accel[0] = x * CYTON_ACCEL_SCALE_G;
        this.accel[1] = y * CYTON_ACCEL_SCALE_G;
        this.accel[2] = z * CYTON_ACCEL_SCALE_G;
      }
    } else if (footer === 0xc3 || footer === 0xc4) {
      const axis = (sample % 10) - 7;
      if (axis >= 0) this.accel[axis] = (((buf[p] << 24) | (buf[p + 1] << 16)) >> 16) * CYTON_ACCEL_SCALE_G;
    }
  }
}

/** The board time (ms) of a time-stamped packet (footer C3..C6), or undefined for other footers. */
export function packetBoardTimeMs(bytes: Uint8Array, offset: number): number | undefined {
  const footer = bytes[offset + 32];
  if (footer < 0xc3 || footer > 0xc6) return undefined;
  const p = offset + 28;
  return ((bytes[p] << 24) | (bytes[p + 1] << 16) | (bytes[p + 2] << 8) | bytes[p + 3]) >>> 0;
}

// ------------------------------------------------------------------------------------------------
// Packet encoding (the emulator, tests and benchmarks build streams with it)

/** Writes one packet at `out[offset]`; counts are clamped to the 24-bit range. */
export function encodeCytonPacket(
  out: Uint8Array,
  offset: number,
  sampleNumber: number,
  counts: ArrayLike<number>,
  footer = 0xc0,
  aux?: ArrayLike<number>,
): void {
  out[offset] = CYTON_HEADER;
  out[offset + 1] = sampleNumber & 0xff;
  for (let c = 0; c < CYTON_CHANNELS; c++) {
    const v = Math.max(-0x800000, Math.min(0x7fffff, Math.round(counts[c] ?? 0))) & 0xffffff;
    const p = offset + 2 + c * 3;
    out[p] = v >> 16;
    out[p + 1] = (v >> 8) & 0xff;
    out[p + 2] = v & 0xff;
  }
  for (let i = 0; i < 6; i++) out[offset + 26 + i] = aux ? aux[i] & 0xff : 0;
  out[offset + 32] = footer;
}

/** The six C0 aux bytes for an accelerometer reading in raw int16 counts. */
export function accelAuxBytes(x: number, y: number, z: number): number[] {
  const b: number[] = [];
  for (const v of [x, y, z]) {
    const u = v & 0xffff;
    b.push(u >> 8, u & 0xff);
  }
  return b;
}

// ------------------------------------------------------------------------------------------------
// Text replies and the banner

/** Latin-1 decoding without TextDecoder (electron/common has no DOM or Node types). */
export function bytesToText(bytes: Uint8Array, start = 0, end = bytes.length): string {
  let s = '';
  for (let i = start; i < end; i += 4096) {
    s += String.fromCharCode(...bytes.subarray(i, Math.min(end, i + 4096)));
  }
  return s;
}

/**
 * Collects text until `$$$`. push() returns the replies completed by these bytes (usually none or
 * one), each without the terminator. Text beyond `maxChars` without a terminator is dropped from
 * the front (a board streaming binary data into a text reader cannot exhaust memory).
 */
export class CytonReplyReader {
  private text = '';
  private received = 0;

  constructor(private readonly maxChars = 65536) {}

  /** Characters received since construction or the last reset. */
  get receivedChars(): number {
    return this.received;
  }

  /** What has arrived after the last complete reply. */
  get partial(): string {
    return this.text;
  }

  reset(): void {
    this.text = '';
    this.received = 0;
  }

  push(bytes: Uint8Array): string[] {
    this.received += bytes.length;
    this.text += bytesToText(bytes);
    const replies: string[] = [];
    for (;;) {
      const end = this.text.indexOf(CYTON_EOT);
      if (end < 0) break;
      replies.push(this.text.slice(0, end));
      this.text = this.text.slice(end + CYTON_EOT.length);
    }
    if (this.text.length > this.maxChars) this.text = this.text.slice(this.text.length - this.maxChars);
    return replies;
  }
}

/** Printable form of a reply (binary bytes and control characters removed, whitespace folded). */
export function cleanReply(text: string): string {
  return text
    .replace(/[^\x20-\x7e\n]/g, '')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.length > 0)
    .join('\n');
}

/** The `Failure: …` message in a reply (the dongle or the board refusing), or undefined. */
export function replyFailure(text: string): string | undefined {
  const m = /Failure:?[^\n$]*/i.exec(text);
  return m ? cleanReply(m[0]) : undefined;
}

/** A failure that means the dongle did not reach the board (off, out of range, other radio channel). */
export function isBoardUnreachable(failure: string): boolean {
  return /timeout|failed to poll|no response|not.*reach|communications/i.test(failure);
}

export interface CytonBanner {
  /** The text looks like a Cyton's banner (mentions OpenBCI or the ADS1299). */
  readonly isCyton: boolean;
  /** Firmware version as printed (`3.1.2`), or undefined when the banner does not say. */
  readonly firmware: string | undefined;
  /** Major firmware version (1, 2, 3), or undefined. */
  readonly firmwareMajor: number | undefined;
  /** A Daisy module answered at start-up. */
  readonly daisy: boolean;
  /** The dongle's `Failure: …` text when it could not reach the board. */
  readonly failure: string | undefined;
  /** The banner, cleaned. */
  readonly text: string;
}

/**
 * Parses the reply to `v`. Firmware 3 prints, for example:
 *
 *   OpenBCI V3 8-16 channel
 *   On Board ADS1299 Device ID: 0x3E
 *   On Daisy ADS1299 Device ID: 0x3E      (only with a Daisy)
 *   LIS3DH Device ID: 0x33
 *   Firmware: v3.1.2
 */
export function parseBanner(reply: string): CytonBanner {
  const text = cleanReply(reply);
  const failure = replyFailure(text);
  const fw = /Firmware:?\s*v?(\d+)(?:\.(\d+))?(?:\.(\d+))?/i.exec(text);
  const old = /OpenBCI\s+V(\d)/i.exec(text);
  const firmware = fw ? [fw[1], fw[2], fw[3]].filter((x) => x !== undefined).join('.') : undefined;
  const firmwareMajor = fw ? Number(fw[1]) : old ? Number(old[1]) : undefined;
  return {
    isCyton: failure === undefined && /OpenBCI|ADS1299/i.test(text),
    firmware,
    firmwareMajor,
    daisy: /Daisy\s+ADS|Daisy.*Device ID/i.test(text),
    failure,
    text,
  };
}

// ------------------------------------------------------------------------------------------------
// Channel settings and commands

export interface CytonChannelSettings {
  /** Powered (on) or powered down. */
  readonly powerOn: boolean;
  readonly gain: CytonGain;
  readonly input: CytonInputType;
  /** Included in the bias (driven-right-leg) derivation. */
  readonly bias: boolean;
  /** The N input connected to SRB2 (the common reference of the default montage). */
  readonly srb2: boolean;
  /** All N inputs connected to SRB1 (a board-wide setting, sent with every channel). */
  readonly srb1: boolean;
}

/** The board's power-on defaults: `x N 0 6 0 1 1 0 X`. */
export const CYTON_DEFAULT_CHANNEL: CytonChannelSettings = Object.freeze({
  powerOn: true,
  gain: 24,
  input: 'normal',
  bias: true,
  srb2: true,
  srb1: false,
});

/** The command character of a 1-based channel (1..16). */
export function channelChar(channel: number): string {
  if (!Number.isInteger(channel) || channel < 1 || channel > DAISY_CHANNELS) {
    throw new RangeError(`channel must be 1..16 (got ${String(channel)})`);
  }
  return CYTON_CHANNEL_CHARS[channel - 1];
}

/** The 1-based channel of a command character, or undefined. */
export function channelOfChar(char: string): number | undefined {
  const i = CYTON_CHANNEL_CHARS.indexOf(char);
  return i < 0 ? undefined : i + 1;
}

export function gainCode(gain: number): number {
  const code = CYTON_GAINS.indexOf(gain);
  if (code < 0) throw new RangeError(`gain must be one of ${CYTON_GAINS.join(', ')} (got ${String(gain)})`);
  return code;
}

export function inputCode(input: string): number {
  const code = (CYTON_INPUT_TYPES as readonly string[]).indexOf(input);
  if (code < 0) throw new RangeError(`input type must be one of ${CYTON_INPUT_TYPES.join(', ')} (got ${String(input)})`);
  return code;
}

/** `x CH POWER GAIN INPUT BIAS SRB2 SRB1 X` (no spaces on the wire); POWER 0 = on, 1 = powered down. */
export function channelSettingsCommand(channel: number, s: CytonChannelSettings): string {
  const bit = (b: boolean) => (b ? '1' : '0');
  return `x${channelChar(channel)}${s.powerOn ? '0' : '1'}${gainCode(s.gain)}${inputCode(s.input)}${bit(s.bias)}${bit(s.srb2)}${bit(s.srb1)}X`;
}

const CHANNEL_COMMAND = /x([1-8QWERTYUI])([01])([0-6])([0-7])([01])([01])([01])X/g;

/** The channel settings commands inside a command string, in order. */
export function parseChannelSettingsCommands(command: string): { channel: number; settings: CytonChannelSettings }[] {
  const found: { channel: number; settings: CytonChannelSettings }[] = [];
  for (const m of command.matchAll(CHANNEL_COMMAND)) {
    found.push({
      channel: channelOfChar(m[1])!,
      settings: {
        powerOn: m[2] === '0',
        gain: CYTON_GAINS[Number(m[3])] as CytonGain,
        input: CYTON_INPUT_TYPES[Number(m[4])],
        bias: m[5] === '1',
        srb2: m[6] === '1',
        srb1: m[7] === '1',
      },
    });
  }
  return found;
}

/** Reset every channel to its defaults. */
export const CYTON_CMD_DEFAULTS = 'd';
/** Print the ADS1299 (and accelerometer) registers. */
export const CYTON_CMD_REGISTERS = '?';
/** Soft reset; answers with the banner. */
export const CYTON_CMD_VERSION = 'v';
export const CYTON_CMD_START = 'b';
export const CYTON_CMD_STOP = 's';
/** Use 8 channels only (detach the Daisy). */
export const CYTON_CMD_DAISY_OFF = 'c';
/** Use 16 channels (attach the Daisy). */
export const CYTON_CMD_DAISY_ON = 'C';

/**
 * Lead-off impedance: `z CH P N Z` drives 6 nA at 31.25 Hz into the P and/or N input of a channel
 * (P N: 0 0 off; 0 1 the N input, where the Cyton's electrodes sit by default).
 */
export function impedanceCommand(channel: number, pInput: boolean, nInput: boolean): string {
  return `z${channelChar(channel)}${pInput ? '1' : '0'}${nInput ? '1' : '0'}Z`;
}
