// The filter bank: every filter stage of a pipeline, fused per channel into one cascade of
// second-order sections. A channel's chain is the concatenation of the sections of the stages
// that apply to it, with one state array, so a sample goes through up to four sections per pass
// (see dsp/sos.ts) instead of one pass per stage. Stage boundaries are kept (which sections belong
// to which stage), so that:
//  - each stage starts a channel from its own steady state for its first input sample (SciPy's
//    sosfilt_zi × x0), also when a stage is added while data flows;
//  - an update keeps the state of every (stage, channel) whose design did not change.

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
}

export class FilterBank implements Stage {
  readonly key = 'filters';
  private readonly parts: StagePart[];
  private readonly chains: ChannelChain[];

  constructor(stages: readonly StageDescription[], sampleRateHz: number, channelCount: number) {
    this.parts = stages.map((s) => {
      const sos = stageSos(s, sampleRateHz);
      const channelMask = new Uint8Array(channelCount);
      if (s.channels) for (const c of s.channels) channelMask[c] = 1;
      else channelMask.fill(1);
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
      this.chains.push({ stages: on, firstSection, sos, sectionCount: sections, state: new Float64Array(sections * 2), primed: new Uint8Array(on.length), allPrimed: on.length === 0 });
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

  /** Filters one sample stage by stage, starting each unprimed stage from the steady state for its input. */
  private primeWithFirstSample(chain: ChannelChain, data: Float64Array, at: number): void {
    for (let k = 0; k < chain.stages.length; k++) {
      const part = this.parts[chain.stages[k]];
      const first = chain.firstSection[k];
      if (!chain.primed[k]) {
        const x0 = data[at];
        for (let j = 0; j < part.zi.length; j++) chain.state[2 * first + j] = part.zi[j] * x0;
        chain.primed[k] = 1;
      }
      processSections(chain.sos, first, part.sectionCount, chain.state, 2 * first, data, at, at + 1);
    }
    chain.allPrimed = true;
  }

  /** Takes over the state of every (stage, channel) that `previous` was already running unchanged. */
  adoptState(previous: FilterBank): void {
    const used = new Set<number>();
    for (let i = 0; i < this.parts.length; i++) {
      // the first unused stage of the same design in the previous bank
      const j = previous.parts.findIndex((p, index) => !used.has(index) && p.key === this.parts[i].key);
      if (j < 0) continue;
      used.add(j);
      for (let c = 0; c < this.chains.length && c < previous.chains.length; c++) {
        const to = this.chains[c];
        const from = previous.chains[c];
        const k = to.stages.indexOf(i);
        const m = from.stages.indexOf(j);
        if (k < 0 || m < 0 || !from.primed[m]) continue;
        const n = 2 * this.parts[i].sectionCount;
        to.state.set(from.state.subarray(2 * from.firstSection[m], 2 * from.firstSection[m] + n), 2 * to.firstSection[k]);
        to.primed[k] = 1;
      }
    }
    for (const chain of this.chains) chain.allPrimed = chain.primed.every((p) => p === 1);
  }

  reset(): void {
    for (const chain of this.chains) {
      chain.state.fill(0);
      chain.primed.fill(0);
      chain.allPrimed = chain.stages.length === 0;
    }
  }
}
