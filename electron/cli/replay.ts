// `bci replay FILE`: a recording through the live pipeline (the playback board), at any speed,
// bit-identical whatever the speed; writes the pipeline's output with sample indices and times.

import { parseArgs } from 'node:util';
import { Engine, type MarkerEvent } from '../engine/engine.js';
import { openExport, TEXT_PRECISION, writeEventsSidecar, type Exporter, type ExportEvent } from '../engine/files/export.js';
import { FILTER_HELP, FILTER_OPTIONS, pipelineFromFlags } from './filter-args.js';
import { UsageError } from './errors.js';
import { summaryLines } from './stream.js';

export const REPLAY_HELP = `Usage: bci replay FILE [--speed X|max] [filter options] [--out FILE.csv|FILE.bdf|FILE.edf]

Plays a recording (BDF/EDF, OpenBCI GUI text, BrainFlow CSV, XDF, BrainVision, the workstation's
own) through the live pipeline and writes its output: CSV with sample_index,time_s (recording
time) and one column per channel, or BDF+/EDF+ with the events as annotations. Events also go to
an _events.tsv beside a CSV. The output is bit-identical at every speed.

  --speed X|max        0.25 to 16 (× real time) or max (default max)
  --start S            start S seconds into the recording
  --layout ID          BrainFlow CSV board layout: cyton, cyton-daisy or ganglion
  --out FILE           where the output goes (default: standard output, CSV; never overwritten)
  --quiet              no samples, only the summary

${FILTER_HELP}`;

export async function replayCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { speed: { type: 'string', default: 'max' }, start: { type: 'string' }, layout: { type: 'string' }, out: { type: 'string' }, quiet: { type: 'boolean' }, help: { type: 'boolean', short: 'h' }, ...FILTER_OPTIONS },
    allowPositionals: true,
    strict: true,
  });
  if (values.help) {
    process.stdout.write(REPLAY_HELP + '\n');
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError('bci replay takes one FILE');
  const speed = values.speed === 'max' ? 'max' : Number(values.speed);
  if (speed !== 'max' && !(speed >= 0.25 && speed <= 16)) throw new UsageError(`--speed is 0.25 to 16, or max; got "${values.speed}"`);
  const layout = values.layout as 'cyton' | 'cyton-daisy' | 'ganglion' | undefined;
  if (layout && !['cyton', 'cyton-daisy', 'ganglion'].includes(layout)) throw new UsageError(`--layout is cyton, cyton-daisy or ganglion; got "${layout}"`);
  const pipeline = pipelineFromFlags(values);

  const engine = new Engine();
  try {
    await engine.setPipeline(pipeline);
    const descriptor = await engine.connect({ board: 'playback', file: positionals[0], speed, ...(values.start && { startSec: Number(values.start) }), ...(layout && { layout }) });
    const rate = descriptor.sampleRateHz;
    const markers: MarkerEvent[] = [];
    engine.on('marker', (m) => markers.push(m));
    const out = values.out;
    const format = out === undefined ? 'csv' : /\.bdf$/i.test(out) ? 'bdf' : /\.edf$/i.test(out) ? 'edf' : /\.csv$/i.test(out) ? 'csv' : undefined;
    if (!format) throw new UsageError('--out must end in .csv, .bdf or .edf');
    const eventOf = (m: MarkerEvent): ExportEvent => ({ onsetSec: m.sampleIndex / rate, durationSec: 0, label: m.label, sample: m.sampleIndex });
    // the output in recording time; events as annotations (BDF/EDF) or in an _events.tsv beside a CSV
    const exporter: Exporter | undefined = values.quiet
      ? undefined
      : openExport({ path: out ?? '-', format, sampleRateHz: rate, startTime: null, signals: descriptor.channels, precision: TEXT_PRECISION.replay });
    engine.on('marker', (m) => exporter?.addEvent(eventOf(m)));
    engine.on('filtered', (chunk) => exporter?.write(chunk.data, chunk.rowCount, chunk.firstSampleIndex));
    await engine.start();
    await engine.ended();
    await engine.stop();
    await exporter?.close();
    // with --quiet there are no samples, but the events still go beside the CSV that was asked for
    if (!exporter && format === 'csv' && out) writeEventsSidecar(out, markers.map(eventOf), rate);
    const status = engine.getStatus();
    const lines = summaryLines(status, descriptor.name);
    lines.push(`  replay speed     ${(status.rowsReceived / rate / Math.max(status.elapsedSec, 1e-9)).toFixed(1)} × real time, ${markers.length} events`);
    (out === undefined && !values.quiet ? process.stderr : process.stdout).write(lines.join('\n') + '\n');
    return 0;
  } finally {
    await engine.dispose();
  }
}
