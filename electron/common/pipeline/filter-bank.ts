// The filter bank: every filter stage of a pipeline, fused per channel into one cascade of
// second-order sections. A channel's chain is the concatenation of the sections of the stages
// that apply to it, with one state array, so a sample goes through up to four sections per pass
// (see dsp/sos.ts) instead of one pass per stage. Stage boundaries are kept (which sections belong
// to which stage), so that:
//  - each stage starts a channel from its own steady state for its first input sample (SciPy's
//    sosfilt_zi × x0), also when a stage is added while data flows;
//  - an update keeps the state of every (stage, channel) whose design did not change;
//  - and a kept stage whose input changes with the update (a stage before it was added, removed or
//    changed, or the reference switched) does not ring: by superposition its output is its old
//    path's response (its kept state) plus the response to the change in its input, and that change
//    (mostly a removed DC offset: a high-pass added in front of a notch is a step of thousands of µV
//    into the notch) is started from its own steady state, as a new stage is. The old path's input
//    for the first sample after the update is computed by running the previous bank's stages before
//    it on that sample, so the step is measured, not guessed.

import type { Block } from './block.js';
import type { StageDescription } from '../contract/pipeline.js';
import { processSections, sosfiltZi } from '../dsp/sos.js';
import { stageKey, stageSos, type Stage } from './stages.js';

/** Samples per pass over a channel: 16 KiB of float64, well inside L1. */
const TILE_ROWS = 2048;

interface StagePart {
  readonly key: string;
  readonly sos: Float64Array;
  /** sosfilt_zi of this stage alone: its steady state for a unit input. */
  readonly zi: Float64Array;
  readonly sectionCount: number;
  readonly channelMask: Uint8Array;
}

interface ChannelChain {
  /** Indices into parts of the stages on this channel, in order. */
  readonly stages: number[];
  /** First section of each of those stages within the chain. */
  readonly firstSection: number[];
  readonly sos: Float64Array;
  readonly sectionCount: number;
  readonly state: Float64Array;
  /** 1 once a stage has started on this channel; the fast path runs when all have. */
  readonly primed: Uint8Array;
  allPrimed: boolean;
  /**
   * After an update, per stage: the index in `previous` of the stage whose state it took over while
   * its input changed (-1: its input did not change, or it is new). Used for the first sample only.
   */
  readonly carried: Int32Array;
  previous: ChannelChain | null;
  /** The previous bank's input for the first sample after the update, when it differs (the reference switched); else NaN. */
  previousInput: number;
}

export class FilterBank implements Stage {
  readonly key = 'filters';
  private readonly parts: StagePart[];
  private readonly chains: ChannelChain[];

  /**
   * `defaultMask`: the channels a stage without its own `channels` list applies to (the ExG ones:
   * contract/pipeline.ts, exgMaskOf); a channel no stage applies to is copied bit for bit.
   */
  constructor(stages: readonly StageDescription[], sampleRateHz: number, channelCount: number, defaultMask: Uint8Array) {
    if (defaultMask.length !== channelCount) throw new RangeError(`the filters' channel mask has ${defaultMask.length} entries for ${channelCount} channels`);
    this.parts = stages.map((s) => {
      const sos = stageSos(s, sampleRateHz);
      const channelMask = new Uint8Array(channelCount);
      if (s.channels) for (const c of s.channels) channelMask[c] = 1;
      else channelMask.set(defaultMask);
      return { key: stageKey(s), sos, zi: sosfiltZi(sos), sectionCount: sos.length / 6, channelMask };
    });
    this.chains = [];
    const shared = new Map<string, Float64Array>();
    for (let c = 0; c < channelCount; c++) {
      const on: number[] = [];
      const firstSection: number[] = [];
      let sections = 0;
      for (let i = 0; i < this.parts.length; i++) {
        if (!this.parts[i].channelMask[c]) continue;
        on.push(i);
        firstSection.push(sections);
        sections += this.parts[i].sectionCount;
      }
      const signature = on.join(',');
      let sos = shared.get(signature);
      if (!sos) {
        sos = new Float64Array(sections * 6);
        for (let k = 0; k < on.length; k++) sos.set(this.parts[on[k]].sos, firstSection[k] * 6);
        shared.set(signature, sos);
      }
      this.chains.push({
        stages: on,
        firstSection,
        sos,
        sectionCount: sections,
        state: new Float64Array(sections * 2),
        primed: new Uint8Array(on.length),
        allPrimed: on.length === 0,
        carried: new Int32Array(on.length).fill(-1),
        previous: null,
        previousInput: Number.NaN,
      });
    }
  }

  /** Second-order sections per sample, summed over channels' chains, divided by channels. */
  get sectionsPerChannel(): number {
    let total = 0;
    for (const chain of this.chains) total += chain.sectionCount;
    return this.chains.length ? total / this.chains.length : 0;
  }

  process(input: Block, output: Block): void {
    const rowCount = input.rowCount;
    for (let c = 0; c < this.chains.length; c++) {
      const chain = this.chains[c];
      const base = c * output.stride;
      if (input !== output) output.data.set(input.data.subarray(c * input.stride, c * input.stride + rowCount), base);
      if (chain.sectionCount === 0 || rowCount === 0) continue;
      let from = 0;
      if (!chain.allPrimed) {
        // the first sample goes stage by stage, so each new stage starts from its own input
        this.primeWithFirstSample(chain, output.data, base);
        from = 1;
      }
      // then the fused chain, in tiles that stay in the L1 cache across its passes
      for (let t = from; t < rowCount; t += TILE_ROWS) {
        processSections(chain.sos, 0, chain.sectionCount, chain.state, 0, output.data, base + t, base + Math.min(rowCount, t + TILE_ROWS));
      }
    }
    output.rowCount = rowCount;
  }

  /**
   * Filters one sample stage by stage, starting each unprimed stage from the steady state for its
   * input, and adding to each carried stage's state the steady state for the change in its input.
   */
  private primeWithFirstSample(chain: ChannelChain, data: Float64Array, at: number): void {
    const previous = chain.previous;
    // the previous path, run on this same sample up to each carried stage
    const old = this.scalar;
    old[0] = Number.isNaN(chain.previousInput) ? data[at] : chain.previousInput;
    let oldSection = 0;
    for (let k = 0; k < chain.stages.length; k++) {
      const part = this.parts[chain.stages[k]];
      const first = chain.firstSection[k];
      const m = chain.carried[k];
      if (!chain.primed[k]) {
        const x0 = data[at];
        for (let j = 0; j < part.zi.length; j++) chain.state[2 * first + j] = part.zi[j] * x0;
        chain.primed[k] = 1;
      } else if (m >= 0 && previous !== null) {
        const upTo = previous.firstSection[m];
        if (upTo > oldSection) processSections(previous.sos, oldSection, upTo - oldSection, previous.state, 2 * oldSection, old, 0, 1);
        oldSection = upTo;
        const step = data[at] - old[0];
        for (let j = 0; j < part.zi.length; j++) chain.state[2 * first + j] += part.zi[j] * step;
      }
      chain.carried[k] = -1;
      processSections(chain.sos, first, part.sectionCount, chain.state, 2 * first, data, at, at + 1);
    }
    chain.previous = null;
    chain.previousInput = Number.NaN;
    chain.allPrimed = true;
  }

  /** One sample of the previous path (scratch for primeWithFirstSample). */
  private readonly scalar = new Float64Array(1);

  /**
   * Says what the previous bank's input is for the first sample after an update, per channel, when
   * it is not this bank's (the reference before the filters switched); see adoptState.
   */
  setPreviousInput(values: Float64Array): void {
    for (let c = 0; c < this.chains.length; c++) {
      const chain = this.chains[c];
      if (chain.previous === null) continue;
      chain.previousInput = values[c];
    }
  }

  /**
   * Takes over the state of every (stage, channel) that `previous` was already running unchanged.
   * A stage whose input changes (the stages before it on its channel differ, or `inputChanged`: the
   * reference before the bank switched) is carried: its state is corrected on the first sample (see
   * primeWithFirstSample), so that it does not ring.
   */
  adoptState(previous: FilterBank, inputChanged = false): void {
    const used = new Set<number>();
    const match = new Int32Array(this.parts.length).fill(-1);
    for (let i = 0; i < this.parts.length; i++) {
      // the first unused stage of the same design in the previous bank
      const j = previous.parts.findIndex((p, index) => !used.has(index) && p.key === this.parts[i].key);
      if (j < 0) continue;
      used.add(j);
      match[i] = j;
    }
    for (let c = 0; c < this.chains.length && c < previous.chains.length; c++) {
      const to = this.chains[c];
      const from = previous.chains[c];
      // a chain still waiting for its first sample holds corrections of its own: its stages restart
      if (!from.allPrimed) continue;
      let samePath = !inputChanged;
      let lastCarried = -1;
      for (let k = 0; k < to.stages.length; k++) {
        const i = to.stages[k];
        const m = match[i] < 0 ? -1 : from.stages.indexOf(match[i]);
        // the input is unchanged while every stage so far is the previous chain's, in the same places
        samePath = samePath && m === k;
        if (m < 0 || !from.primed[m]) {
          samePath = false;
          continue;
        }
        // the previous path is replayed forwards only: a stage moved before another one restarts
        if (!samePath && m < lastCarried) continue;
        const n = 2 * this.parts[i].sectionCount;
        to.state.set(from.state.subarray(2 * from.firstSection[m], 2 * from.firstSection[m] + n), 2 * to.firstSection[k]);
        to.primed[k] = 1;
        if (!samePath) {
          to.carried[k] = m;
          to.previous = from;
          lastCarried = m;
        }
      }
    }
    for (const chain of this.chains) chain.allPrimed = chain.primed.every((p) => p === 1) && chain.previous === null;
  }

  reset(): void {
    for (const chain of this.chains) {
      chain.state.fill(0);
      chain.primed.fill(0);
      chain.carried.fill(-1);
      chain.previous = null;
      chain.previousInput = Number.NaN;
      chain.allPrimed = chain.stages.length === 0;
    }
  }
}
