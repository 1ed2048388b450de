// `bci record`: records a board to a BDF+ (or EDF+) file with BIDS sidecars and a checksum.

import { parseArgs } from 'node:util';
import { Engine } from '../engine/engine.js';
import { UsageError } from './errors.js';
import { BOARD_FLAG_OPTIONS, boardFlagsList, boardOptionsFromFlags, endOfRun } from './board-args.js';
import { LSL_FLAGS_HELP, LSL_FLAG_OPTIONS, applyLslMarkersFlag, applyLslOutletFlag, reportLinkChanges } from './lsl-args.js';
import { parseNumber } from './filter-args.js';
import type { RecordingOptionsInput } from '../common/contract/session.js';
import { defaultDataDir } from '../engine/recording/recording.js';
import { ensureRecordingFolder } from '../engine/recording/data-folder.js';
import { troubleLines } from './stream.js';
import { dirname, resolve } from 'node:path';
import { openExport, type Exporter } from '../engine/files/export.js';
import { MarkerQueue } from './marker-queue.js';

export const RECORD_HELP = `Usage: bci record --subject CODE [options]

Records raw samples from a board to a BDF+ file (24-bit; --format edf for 16-bit EDF+) written as
it goes, with BIDS sidecars (*_eeg.json, *_channels.tsv, *_events.tsv), the session file and a
SHA-256 (check it with \`bci verify\`). Markers and board cues are written as annotations.
Without --duration it records until Ctrl-C.

Board (as \`bci stream\`):
  ${boardFlagsList('  ')}

Session:
  --subject CODE        pseudonymous subject code, letters and digits (never a name)   [required]
  --session LABEL       session label (default 01)
  --task LABEL          task label (default rest)
  --run N               run number (default: the next free one)
  --operator NAME       who records
  --montage NAME        apply a saved montage (\`bci montage list\`) before recording: its labels,
                        types and 10-20 positions go into the file, channels.tsv, electrodes.tsv
  --protocol ID         the protocol (\`bci protocol list\`): checked before anything is recorded
                        (exists, approval current, allows --session-mode); with it, consent is required
  --consent             consent was obtained (the time is stamped now, or --consent-time)
  --consent-time ISO    when consent was obtained (e.g. 2026-03-01T09:30)
  --session-mode MODE   recording (default) or calibration: what the protocol must allow
  --notes TEXT          free notes
  --marker-port N       take markers as UDP text datagrams on 127.0.0.1:N (12350: the OpenBCI GUI's)

Output:
  --out PATH            exact file path (never overwritten); default: the data folder, BIDS-named
                        (<data>/sub-CODE/ses-LABEL/eeg/sub-CODE_ses-LABEL_task-LABEL_run-NN_eeg.bdf)
  --data-dir DIR        the data folder (default $BCI_DATA_DIR or ~/BCI-Workstation/data)
  --format bdf|edf|xdf  24-bit BDF+ (default), 16-bit EDF+, or xdf: the BDF+ as usual (the crash-safe
                        master, with its sidecars and SHA-256) and beside it an XDF of the same samples
                        (double64, each stamped with the clock model's time, Unix seconds) and markers
                        (and gaps), written as it goes

${LSL_FLAGS_HELP}`;

export async function recordCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      ...BOARD_FLAG_OPTIONS,
      subject: { type: 'string' },
      session: { type: 'string' },
      task: { type: 'string' },
      run: { type: 'string' },
      operator: { type: 'string' },
      montage: { type: 'string' },
      protocol: { type: 'string' },
      consent: { type: 'boolean' },
      'consent-time': { type: 'string' },
      'session-mode': { type: 'string', default: 'recording' },
      notes: { type: 'string' },
      'marker-port': { type: 'string' },
      out: { type: 'string' },
      'data-dir': { type: 'string' },
      format: { type: 'string', default: 'bdf' },
      help: { type: 'boolean', short: 'h' },
      ...LSL_FLAG_OPTIONS,
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) {
    process.stdout.write(RECORD_HELP + '\n');
    return 0;
  }
  if (!values.subject) throw new UsageError('--subject CODE is required (a pseudonymous code such as S01, never a name)');
  if (values.format !== 'bdf' && values.format !== 'edf' && values.format !== 'xdf') throw new UsageError(`--format is bdf, edf or xdf, got "${values.format}"`);
  const alsoXdf = values.format === 'xdf';
  const sessionMode = values['session-mode'];
  if (sessionMode !== 'recording' && sessionMode !== 'calibration') throw new UsageError(`--session-mode is recording or calibration, got "${sessionMode}"`);
  if (values['consent-time'] !== undefined && !values.consent) throw new UsageError('--consent-time needs --consent');
  const { options: board, durationSec } = boardOptionsFromFlags(values);
  const options: RecordingOptionsInput = {
    session: {
      subject: values.subject,
      ...(values.session !== undefined && { session: values.session }),
      ...(values.task !== undefined && { task: values.task }),
      ...(values.run !== undefined && { run: parseNumber('run', values.run, { integer: true, min: 1 }) }),
      operator: values.operator ?? '',
      montage: '',
      protocolId: values.protocol ?? '',
      consentObtained: values.consent ?? false,
      ...(values.consent && { consentTime: values['consent-time'] ?? new Date().toISOString() }),
      notes: values.notes ?? '',
    },
    mode: sessionMode,
    format: values.format === 'xdf' ? 'bdf' : values.format,
    powerLineHz: board.mainsHz ?? 50,
    ...(values.out !== undefined && { path: values.out }),
    ...(values['data-dir'] !== undefined && { dataDir: values['data-dir'] }),
  };

  // the folder first, before any work: a pseudo file system (/proc) or a read-only disk is a sentence
  if (values.out !== undefined) ensureRecordingFolder(dirname(resolve(values.out)), 'the folder of');
  else ensureRecordingFolder(values['data-dir'] ?? defaultDataDir());
  const engine = new Engine();
  try {
    // a recording to an explicit --out path leaves the data folder alone
    if (values.out === undefined) for (const line of engine.recoverUnfinished(values['data-dir'] ?? defaultDataDir())) process.stdout.write(line + '\n');
    engine.on('notice', (message) => process.stderr.write(`bci: ${message}\n`));
    applyLslOutletFlag(engine, values);
    // alerts (railed or flat channels, artefacts, losses, the link, disk, session length) on standard error as they come
    engine.on('alert', (alert) => {
      if (!alert.acknowledged) process.stderr.write(`bci: alert #${alert.id} (${alert.severity}, ${alert.rule}) at sample ${alert.sampleIndex}: ${alert.message}\n`);
    });
    // a montage that does not exist is refused before the board is opened
    if (values.montage !== undefined) engine.montageStore(values['data-dir'] ?? defaultDataDir()).get(values.montage);
    await engine.connect(board);
    if (values.montage !== undefined) {
      engine.applyMontage(values.montage, values['data-dir'] ?? defaultDataDir());
      process.stdout.write(`montage ${engine.appliedMontage?.name ?? values.montage} applied\n`);
    }
    reportLinkChanges(engine);
    await applyLslMarkersFlag(engine, values);
    const { path } = await engine.startRecording(options);
    process.stdout.write(`recording to ${path}\n`);
    const xdf = alsoXdf ? xdfCompanion(engine, path) : undefined;
    if (xdf) process.stdout.write(`and to ${xdf.path}\n`);
    if (values['marker-port'] !== undefined) {
      const info = await engine.openMarkerPort(parseNumber('marker-port', values['marker-port'], { integer: true, min: 0 }));
      process.stdout.write(`markers: UDP text on ${info.host}:${info.port}\n`);
    }
    let interrupted = false;
    let recordingFailed!: () => void;
    const failed = new Promise<void>((resolve) => (recordingFailed = resolve));
    const stopped = new Promise<void>((resolve) => process.once('SIGINT', () => ((interrupted = true), resolve())));
    engine.on('error', (message) => {
      process.stderr.write(`bci: ${message}\n`);
      // the recorder stopped by itself (a full disk): the command stops too, it does not run on until --duration
      if (engine.recordingError) recordingFailed();
    });
    await engine.start();
    await Promise.race([endOfRun(engine, durationSec), stopped, failed]);
    await engine.stop();
    const result = await engine.stopRecording();
    const xdfSamples = xdf ? await xdf.close() : 0;
    const lines = [
      ...(interrupted ? ['stopped by Ctrl-C'] : []),
      `recorded ${result.durationSec.toFixed(2)} s (${result.rowsWritten} samples, ${result.records} records) to ${result.path}`,
      `  samples lost   ${result.lostRows}`,
      `  annotations    ${result.annotations}`,
      `  clipped values ${result.clippedValues}`,
      `  sha256         ${result.sha256}`,
      `  sidecars       ${result.sidecars.map((p) => p.slice(p.lastIndexOf('/') + 1)).join(', ')}`,
      ...(xdf ? [`  xdf            ${xdf.path} (${xdfSamples} samples, ${xdf.events} markers and gaps)${xdf.failure ? `: stopped early, ${xdf.failure}` : ''}`] : []),
    ];
    if (result.error) lines.push(`  stopped early: ${result.error}`);
    const trouble = troubleLines(engine.getStatus(), engine.faults);
    lines.push(...trouble);
    process.stdout.write(lines.join('\n') + '\n');
    return result.error || trouble.length > 0 || xdf?.failure ? 1 : 0;
  } finally {
    await engine.dispose();
  }
}

/**
 * `--format xdf`: an XDF beside the BDF+ (same stem), fed from the engine's raw rows as they come,
 * each row stamped with the clock model's time of its sample (Unix seconds), the markers and the
 * gaps as a marker stream at their samples' times. A gap leaves its rows out (XDF carries every
 * sample's time) and is also a "gap: N samples lost" marker, as in the BDF+'s annotations.
 */
function xdfCompanion(engine: Engine, bdfPath: string): { path: string; readonly events: number; readonly failure: string | null; close(): Promise<number> } {
  const path = bdfPath.replace(/(_eeg)?\.bdf$/i, '') + '_eeg.xdf';
  const descriptor = engine.descriptor;
  if (!descriptor) throw new Error('no board is connected');
  const timeSecOf = (sampleIndex: number) => engine.sampleTimeMs(sampleIndex) / 1000;
  // the exporter's rows are the board's sample indices: its row numbers and the clock model's agree
  const exporter: Exporter = openExport({ path, format: 'xdf', sampleRateHz: descriptor.sampleRateHz, signals: descriptor.channels, startTime: new Date(), timeSecOf });
  let samples = 0;
  let events = 0;
  // markers and gaps wait for their sample's row, so that they are timed by the clock model the
  // rows around them were stamped with (a marker can come before its row: the first cue)
  const markers = new MarkerQueue((sampleIndex, label) => {
    exporter.addEvent({ onsetSec: timeSecOf(sampleIndex), durationSec: 0, label, sample: sampleIndex });
    events++;
  });
  // a write that fails (a full disk) stops the XDF, said once; the BDF+ recording goes on
  let failure: string | null = null;
  const guarded = (write: () => void) => {
    if (failure !== null) return;
    try {
      write();
    } catch (error) {
      failure = xdfFailure(error, samples / descriptor.sampleRateHz);
      for (const s of subscriptions) s.dispose();
      process.stderr.write(`bci: ${failure}\n`);
    }
  };
  const onRaw = (chunk: { firstSampleIndex: number; rowCount: number; data: Float64Array }) => {
    if (chunk.rowCount === 0) return;
    guarded(() => {
      exporter.write(chunk.data, chunk.rowCount, chunk.firstSampleIndex);
      samples += chunk.rowCount;
      markers.rowsWritten(chunk.firstSampleIndex + chunk.rowCount);
    });
  };
  const event = (sampleIndex: number, label: string) => guarded(() => markers.add(sampleIndex, label));
  const subscriptions = [engine.on('raw', onRaw), engine.on('marker', (m) => event(m.sampleIndex, m.label)), engine.on('gap', (g) => event(g.sampleIndex, `gap: ${g.lostRows} samples lost`))];
  return {
    path,
    get events() {
      return events;
    },
    get failure() {
      return failure;
    },
    async close() {
      for (const s of subscriptions) s.dispose();
      if (failure === null) markers.flush(); // what came after the last row: at the final clock model's time
      try {
        await exporter.close();
      } catch (error) {
        // its footer or its sync failed: the file holds what was written before, as a cut-off XDF
        failure ??= xdfFailure(error, samples / descriptor.sampleRateHz);
      }
      return samples;
    },
  };
}

/** One sentence for an XDF copy that could not be written on. */
function xdfFailure(error: unknown, atSec: number): string {
  const code = (error as { code?: string } | null)?.code;
  const why = code === 'ENOSPC' || code === 'EDQUOT' ? 'the disk is full' : code === 'EFBIG' ? 'the file size limit was reached' : error instanceof Error ? error.message : String(error);
  return `the XDF copy stopped after ${atSec.toFixed(1)} s: ${why}; the BDF+ recording goes on (the XDF keeps what was written, readable as a cut-off file)`;
}
