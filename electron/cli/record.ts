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
  --montage TEXT        electrode montage
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
  --format bdf|edf      24-bit BDF+ (default) or 16-bit EDF+

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
  if (values.format !== 'bdf' && values.format !== 'edf') throw new UsageError(`--format is bdf or edf, got "${values.format}"`);
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
      montage: values.montage ?? '',
      protocolId: values.protocol ?? '',
      consentObtained: values.consent ?? false,
      ...(values.consent && { consentTime: values['consent-time'] ?? new Date().toISOString() }),
      notes: values.notes ?? '',
    },
    mode: sessionMode,
    format: values.format,
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
    await engine.connect(board);
    reportLinkChanges(engine);
    await applyLslMarkersFlag(engine, values);
    const { path } = await engine.startRecording(options);
    process.stdout.write(`recording to ${path}\n`);
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
    const lines = [
      ...(interrupted ? ['stopped by Ctrl-C'] : []),
      `recorded ${result.durationSec.toFixed(2)} s (${result.rowsWritten} samples, ${result.records} records) to ${result.path}`,
      `  samples lost   ${result.lostRows}`,
      `  annotations    ${result.annotations}`,
      `  clipped values ${result.clippedValues}`,
      `  sha256         ${result.sha256}`,
      `  sidecars       ${result.sidecars.map((p) => p.slice(p.lastIndexOf('/') + 1)).join(', ')}`,
    ];
    if (result.error) lines.push(`  stopped early: ${result.error}`);
    const trouble = troubleLines(engine.getStatus(), engine.faults);
    lines.push(...trouble);
    process.stdout.write(lines.join('\n') + '\n');
    return result.error || trouble.length > 0 ? 1 : 0;
  } finally {
    await engine.dispose();
  }
}
