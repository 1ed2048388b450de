// `bci stream`: connects a board, runs the pipeline, prints filtered samples as they arrive and ends
// with a summary of what was measured (samples, rate, losses, worker latency).

import { parseArgs } from 'node:util';
import { Engine } from '../engine/engine.js';
import type { EngineStatus } from '../common/contract/status.js';
import { FILTER_HELP, FILTER_OPTIONS, pipelineFromFlags } from './filter-args.js';
import { SampleWriter, type SampleFormat } from './output.js';
import { eventsSidecarPath } from '../engine/files/export.js';
import { UsageError } from './errors.js';
import { BOARD_FLAG_OPTIONS, boardFlagsHelp, boardOptionsFromFlags, endOfRun } from './board-args.js';
import { LSL_FLAGS_HELP, LSL_FLAG_OPTIONS, applyLslMarkersFlag, applyLslOutletFlag, reportLinkChanges } from './lsl-args.js';

export const STREAM_HELP = `Usage: bci stream [options]

Streams filtered samples from a board as they arrive (CSV or JSON lines), then prints a summary:
samples received, effective rate, samples lost, and the worker's processing latency p50 / p99.
Without --duration it runs until Ctrl-C.

Board:
${boardFlagsHelp()}

${FILTER_HELP}

${LSL_FLAGS_HELP}

Output:
  --format csv|jsonl    sample format (default csv: sample_index,unix_time_s,<channel>_<unit>…;
                        the time is the clock model's host time of the sample, in Unix seconds)
  --out FILE|-          where samples go (default -, standard output; a FILE is never overwritten)
  --quiet               no samples, only the summary

The summary goes to standard error when samples go to standard output, else to standard output.`;

const OPTIONS = {
  ...BOARD_FLAG_OPTIONS,
  format: { type: 'string', default: 'csv' },
  out: { type: 'string', default: '-' },
  quiet: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  ...FILTER_OPTIONS,
  ...LSL_FLAG_OPTIONS,
} as const;

function fmt(x: number, digits: number): string {
  return Number.isFinite(x) ? x.toFixed(digits) : 'n/a';
}

/** The end of a run's trouble, for the summary: the link still down at the end, faults in the data. */
export function troubleLines(status: EngineStatus, faults: readonly string[]): string[] {
  const lines: string[] = [];
  if (status.link && (status.link.state === 'disconnected' || status.link.state === 'reconnecting')) lines.push(`  link lost        ${status.link.message}`);
  for (const f of faults) lines.push(`  fault            ${f}`);
  return lines;
}

/**
 * The end-of-run summary. `live` is false for data not paced by a device (a replay, `--unpaced`):
 * there the delivery rate, the clock model and the jitter describe the machine, not a board, and
 * are left out rather than printed as figures that mean nothing (a "jitter" of seconds at max speed).
 * `faults` are the run's faults in the data (a flood…), with the link still down at the end.
 */
export function summaryLines(status: EngineStatus, boardName: string, { live = true, faults = [] }: { live?: boolean; faults?: readonly string[] } = {}): string[] {
  const lost = status.deviceLostRows + status.overflowLostRows;
  return [
    `summary: ${status.rowsReceived} samples received in ${fmt(status.elapsedSec, 2)} s from ${boardName} (${status.channelCount} channels at ${status.sampleRateHz} Hz)`,
    live
      ? `  effective rate   ${fmt(status.effectiveRateHz, 2)} Hz (clock model ${fmt(status.fittedRateHz, 2)} Hz, delivery jitter ${fmt(status.clockJitterMs, 2)} ms)`
      : `  timing           not paced by a device: sample times are the recording's (${status.sampleRateHz} Hz); no clock figures`,
    `  samples lost     ${lost} (device gaps ${status.deviceLostRows}, reader overflows ${status.overflowLostRows})`,
    `  samples filtered ${status.rowsFiltered}`,
    `  worker latency   p50 ${fmt(status.latencyMs.p50, 3)} ms, p99 ${fmt(status.latencyMs.p99, 3)} ms, max ${fmt(status.latencyMs.max, 3)} ms (push to filtered output)`,
    `  processing time  p50 ${fmt(status.processingMs.p50, 3)} ms, p99 ${fmt(status.processingMs.p99, 3)} ms per chunk`,
    `  pipeline         ${status.pipeline}`,
    ...troubleLines(status, faults),
  ];
}

export async function streamCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: OPTIONS, strict: true, allowPositionals: false });
  if (values.help) {
    process.stdout.write(STREAM_HELP + '\n');
    return 0;
  }
  const format = values.format as SampleFormat;
  if (format !== 'csv' && format !== 'jsonl') throw new UsageError(`--format is csv or jsonl, got "${values.format}"`);
  const { options: boardOptions, durationSec } = boardOptionsFromFlags(values);
  const pipeline = pipelineFromFlags(values);

  const engine = new Engine();
  const stderrSummary = values.out === '-' && !values.quiet;
  try {
    await engine.setPipeline(pipeline);
    engine.on('notice', (message) => process.stderr.write(`bci: ${message}\n`));
    applyLslOutletFlag(engine, values);
    const descriptor = await engine.connect(boardOptions);
    reportLinkChanges(engine);
    await applyLslMarkersFlag(engine, values);
    const writer = values.quiet ? undefined : new SampleWriter(values.out, format, descriptor);
    engine.on('filtered', (chunk) => writer?.writeRows(chunk.firstSampleIndex, chunk.rowCount, chunk.data, (i) => engine.sampleTimeMs(i)));
    const markerCounts = new Map<string, number>();
    engine.on('marker', (m) => {
      markerCounts.set(m.label, (markerCounts.get(m.label) ?? 0) + 1);
      writer?.addMarker(m.sampleIndex, m.label);
    });
    engine.on('error', (message) => process.stderr.write(`bci: ${message}\n`));

    let interrupted = false;
    const stopped = new Promise<void>((resolve) => {
      process.once('SIGINT', () => {
        interrupted = true;
        resolve();
      });
    });
    await engine.start();
    await Promise.race([endOfRun(engine, durationSec), stopped]);
    await engine.stop();
    await writer?.close();
    const status = engine.getStatus();
    const playback = engine.listBoards().find((b) => b.id === boardOptions.board)?.kind === 'playback';
    const lines = summaryLines(status, descriptor.name, { live: !playback && (boardOptions as { paced?: boolean }).paced !== false, faults: engine.faults });
    if (interrupted) lines.unshift('stopped by Ctrl-C');
    const markerTotal = [...markerCounts.values()].reduce((sum, n) => sum + n, 0);
    if (markerTotal > 0) {
      const where = values.quiet
        ? ''
        : format === 'jsonl'
          ? ' (marker lines in the output)'
          : values.out !== '-'
            ? ` (in ${eventsSidecarPath(values.out)})`
            : ' (CSV on standard output has no place for them: --out FILE writes them beside it, --format jsonl as lines)';
      lines.splice(1, 0, `  markers          ${markerTotal}: ${[...markerCounts].map(([label, n]) => `${label} ${n}`).join(', ')}${where}`);
    }
    (stderrSummary ? process.stderr : process.stdout).write(lines.join('\n') + '\n');
    // a link lost for good or a flood: the run did not deliver what it should have
    return troubleLines(status, engine.faults).length > 0 ? 1 : 0;
  } finally {
    await engine.dispose();
  }
}
