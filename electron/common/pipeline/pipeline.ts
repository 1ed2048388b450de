// The pipeline: a declared list of stages (re-reference, then filters) run in order over planar
// blocks, in place. `update` swaps in a new description between blocks without losing samples:
// a stage whose design is unchanged keeps each channel's state, so changing one filter (or one
// channel's filter) leaves everything else exactly as it was; a kept filter whose input changes
// (a filter added before it, the reference switched) takes the change from its steady state, so a
// change never sends a transient through the traces (filter-bank.ts, adoptState).

import type { Block } from './block.js';
import { exgMaskOf, pipelineProblems, type PipelineDescription } from '../contract/pipeline.js';
import { CommonAverageStage, type Stage } from './stages.js';
import { FilterBank } from './filter-bank.js';

export interface PipelineShape {
  readonly sampleRateHz: number;
  readonly channelCount: number;
  /**
   * Each channel's type (a board descriptor's or a recording's: 'eeg', 'accel', 'aux', 'misc', …).
   * The common average is over the 'eeg' channels; a filter stage without its own `channels` list
   * applies to the ExG channels only (EXG_CHANNEL_TYPES), the others pass through bit for bit.
   */
  readonly channelTypes: readonly string[];
  /** Largest block the pipeline will see (rows), for scratch buffers. */
  readonly maxBlockRows: number;
}

export class Pipeline {
  private stages: Stage[] = [];
  private current: PipelineDescription;
  /** After an update that switched the reference: the previous reference, for the filters' first sample. */
  private previousReference: PipelineDescription['reference'] | null = null;
  private readonly previousInput: Float64Array;
  /** Channels in the common average. */
  private readonly eegMask: Uint8Array;
  /** Channels a filter stage without a `channels` list applies to. */
  private readonly exgMask: Uint8Array;

  constructor(
    description: PipelineDescription,
    private readonly shape: PipelineShape,
  ) {
    if (shape.channelTypes.length !== shape.channelCount) throw new RangeError(`the pipeline has ${shape.channelTypes.length} channel types for ${shape.channelCount} channels`);
    this.eegMask = Uint8Array.from(shape.channelTypes, (t) => (t === 'eeg' ? 1 : 0));
    this.exgMask = exgMaskOf(shape.channelTypes);
    this.current = description;
    this.previousInput = new Float64Array(shape.channelCount);
    this.stages = this.build(description, [], false);
  }

  get description(): PipelineDescription {
    return this.current;
  }

  /** Second-order sections per sample, averaged over channels (for throughput figures). */
  get sectionCount(): number {
    let n = 0;
    for (const s of this.stages) if (s instanceof FilterBank) n += s.sectionsPerChannel;
    return n;
  }

  process(block: Block): void {
    if (this.previousReference !== null && block.rowCount > 0) {
      // what the filters' input was under the previous reference, for the first row
      const bank = this.stages.find((s): s is FilterBank => s instanceof FilterBank);
      if (bank) {
        referenceFirstRow(block, this.previousReference, this.eegMask, this.previousInput);
        bank.setPreviousInput(this.previousInput);
      }
      this.previousReference = null;
    }
    for (const stage of this.stages) stage.process(block, block);
  }

  /**
   * New channel types (a montage changed them), from the next block on: the common average follows
   * the EEG channels; the filters follow the ExG ones, a channel newly filtered starting from its
   * steady state and every other channel keeping its state.
   */
  setChannelTypes(channelTypes: readonly string[]): void {
    if (channelTypes.length !== this.shape.channelCount) throw new RangeError(`${channelTypes.length} channel types were given for ${this.shape.channelCount} channels`);
    // the common average stage holds this very array
    for (let c = 0; c < channelTypes.length; c++) this.eegMask[c] = channelTypes[c] === 'eeg' ? 1 : 0;
    const exg = exgMaskOf(channelTypes);
    if (exg.every((v, c) => v === this.exgMask[c])) return;
    this.exgMask.set(exg);
    this.stages = this.build(this.current, this.stages, false);
  }

  update(description: PipelineDescription): void {
    const referenceChanged = description.reference !== this.current.reference;
    this.stages = this.build(description, this.stages, referenceChanged);
    if (referenceChanged) this.previousReference ??= this.current.reference;
    this.current = description;
  }

  reset(): void {
    for (const stage of this.stages) stage.reset();
    this.previousReference = null;
  }

  private build(description: PipelineDescription, previous: Stage[], referenceChanged: boolean): Stage[] {
    const { sampleRateHz, channelCount } = this.shape;
    const problems = pipelineProblems(description, sampleRateHz, channelCount);
    if (problems.length > 0) throw new RangeError(problems.join('; '));
    const stages: Stage[] = [];
    if (description.reference === 'car') stages.push(new CommonAverageStage(this.eegMask, this.shape.maxBlockRows));
    if (description.stages.length > 0) {
      const bank = new FilterBank(description.stages, sampleRateHz, channelCount, this.exgMask);
      const old = previous.find((s): s is FilterBank => s instanceof FilterBank);
      if (old) bank.adoptState(old, referenceChanged);
      stages.push(bank);
    }
    return stages;
  }
}

/** Row 0 of `block` under `reference`, per channel (the common average over the EEG channels, or as is). */
function referenceFirstRow(block: Block, reference: PipelineDescription['reference'], eegMask: Uint8Array, out: Float64Array): void {
  const channels = block.channelCount;
  let mean = 0;
  let n = 0;
  if (reference === 'car') {
    for (let c = 0; c < channels; c++) {
      if (!eegMask[c]) continue;
      mean += block.data[c * block.stride];
      n++;
    }
    if (n > 0) mean /= n;
  }
  for (let c = 0; c < channels; c++) {
    const x = block.data[c * block.stride];
    out[c] = reference === 'car' && n > 0 && eegMask[c] ? x - mean : x;
  }
}
