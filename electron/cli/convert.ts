// `bci info FILE` and `bci convert IN OUT`: what a recording holds, and any readable recording to
// BDF+, EDF+, CSV or the OpenBCI GUI text layout (optionally filtered, a channel subset, a span).

import { parseArgs } from 'node:util';
import { openRecording } from '../engine/files/open-recording.js';
import { convertRecording, type ConvertResult } from '../engine/files/convert.js';
import { convertEventsOnly, isEventsOutput } from '../engine/files/convert-events.js';
import { describeRates } from '../common/formats/recording.js';
import { FILTER_HELP, FILTER_OPTIONS, parseNumber, pipelineFromFlags } from './filter-args.js';
import { UsageError } from './errors.js';
import { LAYOUT_HELP, LAYOUT_OPTIONS, layoutFromFlags } from './layout-args.js';
import { unfinishedReason } from '../engine/recording/repair.js';

export const INFO_HELP = `Usage: bci info FILE [--layout cyton|cyton-daisy|ganglion]

Prints a recording's format, channels, rate, duration, start time, events and gaps. Reads BDF/BDF+,
EDF/EDF+ (EDF+D, annotation-only EDF+ too), GDF 1.x/2.x, OpenBCI GUI text (v2-v6), BrainFlow CSV
(--layout names the board that wrote it; --board is its older name), CSV with a header row, XDF and
BrainVision (.vhdr, .ahdr).`;

export const CONVERT_HELP = `Usage: bci convert IN OUT [options]

Converts any readable recording (see \`bci info --help\`) to BDF+ (.bdf), EDF+ (.edf), CSV (.csv),
the OpenBCI GUI text layout (.txt) or XDF (.xdf, as LabRecorder writes it), by OUT's extension.
Events become annotations (BDF+/EDF+), an _events.tsv beside a CSV, or a Markers stream (XDF);
the source's gaps stay gaps (annotated zeros in BDF/EDF, the true sample index and time in text),
and the summary counts events, gaps and missing values. BDF/EDF ranges come from the values
written. An OUT ending in .tsv (e.g. x_events.tsv) takes the events alone (the way out of an
annotation-only EDF+ such as a hypnogram). Channels at another rate than the rows are never left
out silently: name the ones to convert with --channels. OUT is never overwritten.

  --channels LIST       comma-separated labels or indices to keep (default: all)
  --start S, --end S    the span to keep, in seconds of the recording
  --zero-phase          filter forward and backward (as SciPy's sosfiltfilt; loads the span)
${LAYOUT_HELP} (--board: older name)

${FILTER_HELP}`;

/** Formats whose channel ranges are declared in a header (the rest: the range of the values read). */
const DECLARED_RANGE: ReadonlySet<string> = new Set(['bdf', 'edf', 'gdf', 'brainvision']);

/** A number for people: at most 6 significant digits, no exponent below 10^15, thin thousands groups for big integers. */
function readable(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const rounded = Number(x.toPrecision(6));
  const text = Math.abs(rounded) >= 1e15 ? rounded.toExponential(5) : String(rounded);
  return Number.isInteger(rounded) && Math.abs(rounded) >= 10_000 ? text.replace(/\B(?=(\d{3})+(?!\d))/g, ' ') : text;
}

export async function infoCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, options: { board: { type: 'string' }, ...LAYOUT_OPTIONS, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
  if (values.help) {
    process.stdout.write(INFO_HELP + '\n');
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError('bci info takes one FILE');
  const reader = await openRecording(positionals[0], { board: layoutFromFlags(values) });
  try {
    const i = reader.info;
    const lines = [
      `${positionals[0]}`,
      `  format      ${i.format}`,
      `  rate        ${i.sampleRateHz} Hz (${i.rowChannels.length} channels at this rate)`,
      ...(new Set(i.channels.map((c) => c.sampleRateHz)).size > 1 ? [`  rates       ${describeRates(i)}`] : []),
      `  duration    ${i.durationSec.toFixed(3)} s (${i.sampleCount} samples)`,
      `  start       ${i.startTime ? i.startTime.toISOString() : 'unknown'}`,
      `  channels    ${i.channels.length}:`,
      `      #  ${'label'.padEnd(16)} ${'type'.padEnd(6)} ${'unit'.padEnd(6)} ${'rate'.padEnd(8)} ${DECLARED_RANGE.has(i.format) ? 'range (as the header declares it)' : 'range (of the values in the file)'}`,
      ...i.channels.map((c, k) => `    ${String(k).padStart(3)}  ${c.label.padEnd(16)} ${c.type.padEnd(6)} ${(c.unit || '-').padEnd(6)} ${`${readable(c.sampleRateHz)} Hz`.padEnd(8)} ${readable(c.physicalMin)} to ${readable(c.physicalMax)}`),
      `  events      ${i.events.length}${i.events.length ? ':' : ''}`,
      ...i.events.slice(0, 20).map((e) => `    ${e.onsetSec.toFixed(3).padStart(10)} s  ${e.durationSec ? `(${e.durationSec.toFixed(3)} s) ` : ''}${e.label}${e.channel ? ` [${e.channel}]` : ''}`),
      ...(i.events.length > 20 ? [`    … and ${i.events.length - 20} more`] : []),
      ...(i.missingValueCounts?.some((n) => n > 0) ? [`  missing     ${i.missingValueCounts.reduce((a, b) => a + b, 0)} empty or non-numeric values (${i.channels.map((c, k) => [c.label, i.missingValueCounts?.[k] ?? 0] as const).filter(([, n]) => n > 0).map(([l, n]) => `${l}: ${n}`).join(', ')})`] : []),
      `  gaps        ${i.discontinuities.length}${i.discontinuities.map((d) => ` [${d.onsetSec.toFixed(3)} s, ${d.missingSec.toFixed(3)} s missing]`).join('')}`,
      ...i.notes.map((n) => `  note        ${n}`),
    ];
    const unfinished = unfinishedReason(positionals[0]);
    if (unfinished) lines.push(`  unfinished  ${unfinished}: what is shown is what is on disk; run \`bci repair ${positionals[0]}\` to complete it`);
    process.stdout.write(lines.join('\n') + '\n');
    return 0;
  } finally {
    await reader.close();
  }
}

export async function convertCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      channels: { type: 'string' },
      start: { type: 'string' },
      end: { type: 'string' },
      'zero-phase': { type: 'boolean' },
      board: { type: 'string' },
      ...LAYOUT_OPTIONS,
      help: { type: 'boolean', short: 'h' },
      ...FILTER_OPTIONS,
    },
    allowPositionals: true,
    strict: true,
  });
  if (values.help) {
    process.stdout.write(CONVERT_HELP + '\n');
    return 0;
  }
  if (positionals.length !== 2) throw new UsageError('bci convert takes IN and OUT (see bci convert --help)');
  const [input, output] = positionals;
  if (isEventsOutput(output)) {
    // the events alone (an annotation-only EDF+ has nothing else)
    const events = await convertEventsOnly(input, output, { board: layoutFromFlags(values) });
    process.stdout.write(`wrote ${events.output} (events table): ${events.events} events\n`);
    return 0;
  }
  const result = await convertRecording(input, output, {
    pipeline: pipelineFromFlags(values),
    zeroPhase: values['zero-phase'],
    channels: values.channels?.split(',').map((c) => c.trim()).filter(Boolean),
    startSec: values.start === undefined ? undefined : parseNumber('start', values.start, { min: 0 }),
    endSec: values.end === undefined ? undefined : parseNumber('end', values.end, { min: 0 }),
    board: layoutFromFlags(values),
  });
  process.stdout.write(convertSummary(result).join('\n') + '\n');
  return 0;
}

/** What `bci convert` says it wrote: the rows, every event, every gap and every missing value. */
export function convertSummary(r: ConvertResult): string[] {
  const edf = r.format === 'bdf' || r.format === 'edf';
  const lines = [
    `wrote ${r.output} (${r.format}): ${r.rows} samples × ${r.channels.length} channels at ${r.sampleRateHz} Hz, ${r.events} events (${r.events === r.eventsRead ? 'all' : 'of'} ${r.eventsRead} read)` +
      (r.clippedValues ? `, ${r.clippedValues} values clipped to the format's range` : ''),
  ];
  if (r.gaps) {
    lines.push(
      edf
        ? `  ${r.gaps} gap${r.gaps > 1 ? 's' : ''} in the source (${r.gapSec.toFixed(3)} s): written as ${r.gapRows} samples of zeros with a "gap" annotation each, so every time stays true`
        : `  ${r.gaps} gap${r.gaps > 1 ? 's' : ''} in the source (${r.gapSec.toFixed(3)} s): kept in the sample index and time columns (no rows are invented)`,
    );
  }
  if (r.emptyValues) lines.push(edf ? `  ${r.emptyValues} empty or NaN values in the source: written as zeros with a "no data" annotation` : `  ${r.emptyValues} empty or NaN values in the source: written as NaN`);
  if (r.paddingRows) lines.push(`  the last second is completed with ${r.paddingRows} samples of zeros (annotated "end of data"): BDF/EDF records last one second`);
  for (const n of r.notes) lines.push(`  note: ${n}`);
  return lines;
}
