// The pipeline: a declared list of stages (re-reference, then filters) run in order over planar
// blocks, in place. `update` swaps in a new description between blocks without losing samples:
// a stage whose design is unchanged keeps each channel's state, so changing one filter (or one
// channel's filter) leaves everything else exactly as it was.

import type { Block } from './block.js';
import { pipelineProblems, type PipelineDescription } from '../contract/pipeline.js';
import { CommonAverageStage, type Stage } from './stages.js';
import { FilterBank } from './filter-bank.js';

export interface PipelineShape {
  readonly sampleRateHz: number;
  readonly channelCount: number;
  /** Channels that take part in the common average (default: all). */
  readonly eegMask?: Uint8Array;
  /** Largest block the pipeline will see (rows), for scratch buffers. */
  readonly maxBlockRows: number;
}

export class Pipeline {
  private stages: Stage[] = [];
  private current: PipelineDescription;

  constructor(
    description: PipelineDescription,
    private readonly shape: PipelineShape,
  ) {
    this.current = description;
    this.stages = this.build(description, []);
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
    for (const stage of this.stages) stage.process(block, block);
  }

  update(description: PipelineDescription): void {
    this.stages = this.build(description, this.stages);
    this.current = description;
  }

  reset(): void {
    for (const stage of this.stages) stage.reset();
  }

  private build(description: PipelineDescription, previous: Stage[]): Stage[] {
    const { sampleRateHz, channelCount } = this.shape;
    const problems = pipelineProblems(description, sampleRateHz, channelCount);
    if (problems.length > 0) throw new RangeError(problems.join('; '));
    const stages: Stage[] = [];
    if (description.reference === 'car') {
      const mask = this.shape.eegMask ?? new Uint8Array(channelCount).fill(1);
      stages.push(new CommonAverageStage(mask, this.shape.maxBlockRows));
    }
    if (description.stages.length > 0) {
      const bank = new FilterBank(description.stages, sampleRateHz, channelCount);
      const old = previous.find((s): s is FilterBank => s instanceof FilterBank);
      if (old) bank.adoptState(old);
      stages.push(bank);
    }
    return stages;
  }
}
