// Second-order sections at run time: the steady-state start (sosfilt_zi), cascading, and the
// streaming multi-channel filter (direct form II transposed, exactly scipy.signal.sosfilt's
// arithmetic, so results match SciPy's to the last bit or so).
//
// Speed: processChannel runs over the buffer in place, one pass per block of up to four
// sections. Within a block the sections' coefficients and states sit in local variables and
// each sample goes through all of the block's sections in turn; the per-sample dependency
// chains of neighbouring sections then overlap in the CPU, which is about twice as fast as one
// section per pass. Nothing is allocated per call.

const ROW = 6;

/** Checks an SOS array (n×6 rows [b0 b1 b2 a0 a1 a2], a0 = 1); returns the section count. */
export function validateSos(sos: Float64Array): number {
  if (!(sos instanceof Float64Array) || sos.length === 0 || sos.length % ROW !== 0) {
    throw new RangeError(`SOS coefficients must be a non-empty Float64Array of n×6 numbers; got length ${sos?.length}.`);
  }
  const sectionCount = sos.length / ROW;
  for (let s = 0; s < sectionCount; s++) {
    if (sos[s * ROW + 3] !== 1) {
      throw new RangeError(`SOS section ${s} has a0 = ${sos[s * ROW + 3]}; every section's a0 must be 1 (as in scipy.signal).`);
    }
    for (let k = 0; k < ROW; k++) {
      if (!Number.isFinite(sos[s * ROW + k])) {
        throw new RangeError(`SOS section ${s} has a non-finite coefficient (${sos[s * ROW + k]}).`);
      }
    }
  }
  return sectionCount;
}

/** SciPy's sosfilt_zi: n×2 initial state for a unit step (steady state). */
export function sosfiltZi(sos: Float64Array): Float64Array {
  const sectionCount = validateSos(sos);
  const zi = new Float64Array(sectionCount * 2);
  let scale = 1;
  for (let s = 0; s < sectionCount; s++) {
    const r = s * ROW;
    const b0 = sos[r];
    const b1 = sos[r + 1];
    const b2 = sos[r + 2];
    const a1 = sos[r + 4];
    const a2 = sos[r + 5];
    // lfilter_zi for one section: solve zi = A·zi + B with A the transposed companion matrix.
    const rhs0 = b1 - a1 * b0;
    const rhs1 = b2 - a2 * b0;
    const zi0 = (rhs0 + rhs1) / (1 + a1 + a2);
    const zi1 = (1 + a1) * zi0 - rhs0;
    zi[2 * s] = scale * zi0;
    zi[2 * s + 1] = scale * zi1;
    // This section's DC gain H(1) is the step level seen by the next section.
    scale *= (b0 + b1 + b2) / (1 + a1 + a2);
  }
  return zi;
}

/** Concatenate SOS arrays (cascade). */
export function cascadeSos(...parts: Float64Array[]): Float64Array {
  let length = 0;
  for (const part of parts) {
    validateSos(part);
    length += part.length;
  }
  const out = new Float64Array(length);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

// Kernels: filter buf[start, end) in place through 1, 2, 3 or 4 consecutive sections starting
// at row `section`, state at state[stateAt ...]. Same arithmetic as SciPy's sosfilt:
//   y = b0·x + z0;  z0 = b1·x − a1·y + z1;  z1 = b2·x − a2·y.

function run1(sos: Float64Array, section: number, state: Float64Array, stateAt: number, buf: Float64Array, start: number, end: number): void {
  const r = section * ROW;
  const b0 = sos[r], b1 = sos[r + 1], b2 = sos[r + 2], a1 = sos[r + 4], a2 = sos[r + 5];
  let z0 = state[stateAt], z1 = state[stateAt + 1];
  for (let i = start; i < end; i++) {
    const x = buf[i];
    const y = b0 * x + z0;
    z0 = b1 * x - a1 * y + z1;
    z1 = b2 * x - a2 * y;
    buf[i] = y;
  }
  state[stateAt] = z0;
  state[stateAt + 1] = z1;
}

function run2(sos: Float64Array, section: number, state: Float64Array, stateAt: number, buf: Float64Array, start: number, end: number): void {
  const r = section * ROW;
  const b0 = sos[r], b1 = sos[r + 1], b2 = sos[r + 2], a1 = sos[r + 4], a2 = sos[r + 5];
  const c0 = sos[r + 6], c1 = sos[r + 7], c2 = sos[r + 8], d1 = sos[r + 10], d2 = sos[r + 11];
  let z0 = state[stateAt], z1 = state[stateAt + 1];
  let w0 = state[stateAt + 2], w1 = state[stateAt + 3];
  for (let i = start; i < end; i++) {
    const x = buf[i];
    const y = b0 * x + z0;
    z0 = b1 * x - a1 * y + z1;
    z1 = b2 * x - a2 * y;
    const v = c0 * y + w0;
    w0 = c1 * y - d1 * v + w1;
    w1 = c2 * y - d2 * v;
    buf[i] = v;
  }
  state[stateAt] = z0;
  state[stateAt + 1] = z1;
  state[stateAt + 2] = w0;
  state[stateAt + 3] = w1;
}

function run3(sos: Float64Array, section: number, state: Float64Array, stateAt: number, buf: Float64Array, start: number, end: number): void {
  const r = section * ROW;
  const b0 = sos[r], b1 = sos[r + 1], b2 = sos[r + 2], a1 = sos[r + 4], a2 = sos[r + 5];
  const c0 = sos[r + 6], c1 = sos[r + 7], c2 = sos[r + 8], d1 = sos[r + 10], d2 = sos[r + 11];
  const e0 = sos[r + 12], e1 = sos[r + 13], e2 = sos[r + 14], f1 = sos[r + 16], f2 = sos[r + 17];
  let z0 = state[stateAt], z1 = state[stateAt + 1];
  let w0 = state[stateAt + 2], w1 = state[stateAt + 3];
  let u0 = state[stateAt + 4], u1 = state[stateAt + 5];
  for (let i = start; i < end; i++) {
    const x = buf[i];
    const y = b0 * x + z0;
    z0 = b1 * x - a1 * y + z1;
    z1 = b2 * x - a2 * y;
    const v = c0 * y + w0;
    w0 = c1 * y - d1 * v + w1;
    w1 = c2 * y - d2 * v;
    const t = e0 * v + u0;
    u0 = e1 * v - f1 * t + u1;
    u1 = e2 * v - f2 * t;
    buf[i] = t;
  }
  state[stateAt] = z0;
  state[stateAt + 1] = z1;
  state[stateAt + 2] = w0;
  state[stateAt + 3] = w1;
  state[stateAt + 4] = u0;
  state[stateAt + 5] = u1;
}

function run4(sos: Float64Array, section: number, state: Float64Array, stateAt: number, buf: Float64Array, start: number, end: number): void {
  const r = section * ROW;
  const b0 = sos[r], b1 = sos[r + 1], b2 = sos[r + 2], a1 = sos[r + 4], a2 = sos[r + 5];
  const c0 = sos[r + 6], c1 = sos[r + 7], c2 = sos[r + 8], d1 = sos[r + 10], d2 = sos[r + 11];
  const e0 = sos[r + 12], e1 = sos[r + 13], e2 = sos[r + 14], f1 = sos[r + 16], f2 = sos[r + 17];
  const g0 = sos[r + 18], g1 = sos[r + 19], g2 = sos[r + 20], h1 = sos[r + 22], h2 = sos[r + 23];
  let z0 = state[stateAt], z1 = state[stateAt + 1];
  let w0 = state[stateAt + 2], w1 = state[stateAt + 3];
  let u0 = state[stateAt + 4], u1 = state[stateAt + 5];
  let q0 = state[stateAt + 6], q1 = state[stateAt + 7];
  for (let i = start; i < end; i++) {
    const x = buf[i];
    const y = b0 * x + z0;
    z0 = b1 * x - a1 * y + z1;
    z1 = b2 * x - a2 * y;
    const v = c0 * y + w0;
    w0 = c1 * y - d1 * v + w1;
    w1 = c2 * y - d2 * v;
    const t = e0 * v + u0;
    u0 = e1 * v - f1 * t + u1;
    u1 = e2 * v - f2 * t;
    const o = g0 * t + q0;
    q0 = g1 * t - h1 * o + q1;
    q1 = g2 * t - h2 * o;
    buf[i] = o;
  }
  state[stateAt] = z0;
  state[stateAt + 1] = z1;
  state[stateAt + 2] = w0;
  state[stateAt + 3] = w1;
  state[stateAt + 4] = u0;
  state[stateAt + 5] = u1;
  state[stateAt + 6] = q0;
  state[stateAt + 7] = q1;
}

/**
 * Runs buf[start, end) in place through sections [firstSection, firstSection + count) of `sos`,
 * with their states at state[stateAt …] (two numbers a section). Blocks of up to four sections go
 * in one pass. The building block of SosFilter and of the pipeline's fused filter chains.
 */
export function processSections(
  sos: Float64Array,
  firstSection: number,
  count: number,
  state: Float64Array,
  stateAt: number,
  buf: Float64Array,
  start: number,
  end: number,
): void {
  // passes of equal size (6 → 3 + 3, not 4 + 2): a pass costs about as long as its slowest
  // dependency chain, so balanced passes finish the cascade soonest
  const passes = Math.ceil(count / 4);
  let s = 0;
  for (let p = 0; p < passes; p++) {
    const size = Math.ceil((count - s) / (passes - p));
    const at = stateAt + 2 * s;
    if (size === 4) run4(sos, firstSection + s, state, at, buf, start, end);
    else if (size === 3) run3(sos, firstSection + s, state, at, buf, start, end);
    else if (size === 2) run2(sos, firstSection + s, state, at, buf, start, end);
    else run1(sos, firstSection + s, state, at, buf, start, end);
    s += size;
  }
}

/**
 * Streaming SOS filter over several channels, each with its own state (direct form II
 * transposed, as scipy.signal.sosfilt). State layout: channel-major, then section, then [z0, z1].
 */
export class SosFilter {
  readonly sectionCount: number;
  readonly channelCount: number;
  private readonly sos: Float64Array;
  private readonly stepState: Float64Array;
  private readonly state: Float64Array;
  private readonly stride: number;

  constructor(sos: Float64Array, channelCount: number) {
    this.sectionCount = validateSos(sos);
    if (!Number.isInteger(channelCount) || channelCount < 1) {
      throw new RangeError(`SosFilter needs a whole number of channels (1 or more); got ${channelCount}.`);
    }
    this.channelCount = channelCount;
    this.sos = Float64Array.from(sos);
    this.stepState = sosfiltZi(this.sos);
    this.stride = this.sectionCount * 2;
    this.state = new Float64Array(channelCount * this.stride);
  }

  /** Zero state for every channel. */
  reset(): void {
    this.state.fill(0);
  }

  /** Zero state for one channel. */
  resetChannel(channel: number): void {
    const at = this.stateOffset(channel);
    this.state.fill(0, at, at + this.stride);
  }

  /** Steady-state start for one channel: state = sosfilt_zi(sos) * x0 (SciPy's live start, so a DC offset does not ring). */
  setSteadyState(channel: number, x0: number): void {
    const at = this.stateOffset(channel);
    const zi = this.stepState;
    for (let k = 0; k < this.stride; k++) this.state[at + k] = zi[k] * x0;
  }

  /** Filters buf[offset .. offset+length) of one channel in place, continuing that channel's state. */
  processChannel(channel: number, buf: Float64Array, offset: number, length: number): void {
    const at = this.stateOffset(channel);
    if (!(offset >= 0 && length >= 0 && offset + length <= buf.length) || !Number.isInteger(offset) || !Number.isInteger(length)) {
      throw new RangeError(`processChannel: range [${offset}, ${offset + length}) is outside a buffer of ${buf.length} samples.`);
    }
    processSections(this.sos, 0, this.sectionCount, this.state, at, buf, offset, offset + length);
  }

  /** Copy another filter's state for a channel (same sos shape) — used when a pipeline is rebuilt and a stage is unchanged. */
  copyChannelStateFrom(other: SosFilter, channel: number, otherChannel: number = channel): void {
    if (other.sectionCount !== this.sectionCount) {
      throw new RangeError(`Cannot copy filter state: ${other.sectionCount} sections into ${this.sectionCount}.`);
    }
    const from = other.stateOffset(otherChannel);
    const to = this.stateOffset(channel);
    const source = other.state;
    const target = this.state;
    for (let k = 0; k < this.stride; k++) target[to + k] = source[from + k];
  }

  private stateOffset(channel: number): number {
    if (!Number.isInteger(channel) || channel < 0 || channel >= this.channelCount) {
      throw new RangeError(`Channel ${channel} does not exist: this filter has channels 0..${this.channelCount - 1}.`);
    }
    return channel * this.stride;
  }
}
