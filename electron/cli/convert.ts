// `bci info FILE` and `bci convert IN OUT`: what a recording holds, and any readable recording to
// BDF+, EDF+, CSV or the OpenBCI GUI text layout (optionally filtered, a channel subset, a span).

import { parseArgs } from 'node:util';
import { openRecording } from '../engine/files/open-recording.js';
import { convertRecording, type ConvertResult } from '../engine/files/convert.js';
import { FILTER_HELP, FILTER_OPTIONS, parseNumber, pipelineFromFlags } from './filter-args.js';
import { UsageError } from './errors.js';
import { LAYOUT_HELP, LAYOUT_OPTIONS, layoutFromFlags } from './layout-args.js';

export const INFO_HELP = `Usage: bci info FILE [--layout cyton|cyton-daisy|ganglion]

Prints a recording's format, channels, rate, duration, start time, events and gaps. Reads BDF/BDF+,
EDF/EDF+ (EDF+D too), OpenBCI GUI text (v4-v6), BrainFlow CSV (--layout names the board that wrote it; --board is its older name), CSV with a
header row, XDF and BrainVision (.vhdr).`;

export const CONVERT_HELP = `Usage: bci convert IN OUT [options]

Converts any readable recording (see \`bci info --help\`) to BDF+ (.bdf), EDF+ (.edf), CSV (.csv),
the OpenBCI GUI text layout (.txt) or XDF (.xdf, as LabRecorder writes it), by OUT's extension.
Events become annotations (BDF+/EDF+), an _events.tsv beside a CSV, or a Markers stream (XDF);
the source's gaps stay gaps (annotated zeros in BDF/EDF, the true sample index and time in text),
and the summary counts events, gaps and missing values. BDF/EDF ranges come from the values
written. OUT is never overwritten.

  --channels LIST       comma-separated labels or indices to keep (default: all)
  --start S, --end S    the span to keep, in seconds of the recording
  --zero-phase          filter forward and backward (as SciPy's sosfiltfilt; loads the span)
${LAYOUT_HELP} (--board: older name)

${FILTER_HELP}`;

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
      `  duration    ${i.durationSec.toFixed(3)} s (${i.sampleCount} samples)`,
      `  start       ${i.startTime ? i.startTime.toISOString() : 'unknown'}`,
      `  channels    ${i.channels.length}:`,
      ...i.channels.map((c, k) => `    ${String(k).padStart(3)}  ${c.label.padEnd(16)} ${c.type.padEnd(6)} ${(c.unit || '-').padEnd(6)} ${c.sampleRateHz} Hz  [${c.physicalMin}, ${c.physicalMax}]`),
      `  events      ${i.events.length}${i.events.length ? ':' : ''}`,
      ...i.events.slice(0, 20).map((e) => `    ${e.onsetSec.toFixed(3).padStart(10)} s  ${e.durationSec ? `(${e.durationSec.toFixed(3)} s) ` : ''}${e.label}`),
      ...(i.events.length > 20 ? [`    … and ${i.events.length - 20} more`] : []),
      `  gaps        ${i.discontinuities.length}${i.discontinuities.map((d) => ` [${d.onsetSec.toFixed(3)} s, ${d.missingSec.toFixed(3)} s missing]`).join('')}`,
      ...i.notes.map((n) => `  note        ${n}`),
    ];
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
