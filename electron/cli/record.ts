// `bci record`: records a board to a BDF+ (or EDF+) file with BIDS sidecars and a checksum.

import { parseArgs } from 'node:util';
import { Engine } from '../engine/engine.js';
import { UsageError } from './errors.js';
import { BOARD_FLAG_OPTIONS, boardFlagsList, boardOptionsFromFlags, endOfRun } from './board-args.js';
import { LSL_FLAGS_HELP, LSL_FLAG_OPTIONS, applyLslMarkersFlag, applyLslOutletFlag, reportLinkChanges } from './lsl-args.js';
import { parseNumber } from './filter-args.js';
import type { RecordingOptionsInput } from '../common/contract/session.js';
import { defaultDataDir } from '../engine/recording/recording.js';

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
  --protocol ID         protocol or ethics approval id
  --consent             consent was obtained (the time is stamped now)
  --notes TEXT          free notes

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
      notes: { type: 'string' },
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
      ...(values.consent && { consentTime: new Date().toISOString() }),
      notes: values.notes ?? '',
    },
    format: values.format,
    powerLineHz: board.mainsHz ?? 50,
    ...(values.out !== undefined && { path: values.out }),
    ...(values['data-dir'] !== undefined && { dataDir: values['data-dir'] }),
  };

  const engine = new Engine();
  try {
    // a recording to an explicit --out path leaves the data folder alone
    if (values.out === undefined) for (const line of engine.recoverUnfinished(values['data-dir'] ?? defaultDataDir())) process.stdout.write(line + '\n');
    engine.on('notice', (message) => process.stderr.write(`bci: ${message}\n`));
    applyLslOutletFlag(engine, values);
    await engine.connect(board);
    reportLinkChanges(engine);
    await applyLslMarkersFlag(engine, values);
    const { path } = await engine.startRecording(options);
    process.stdout.write(`recording to ${path}\n`);
    let interrupted = false;
    const stopped = new Promise<void>((resolve) => process.once('SIGINT', () => ((interrupted = true), resolve())));
    engine.on('error', (message) => process.stderr.write(`bci: ${message}\n`));
    await engine.start();
    await Promise.race([endOfRun(engine, durationSec), stopped]);
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
    process.stdout.write(lines.join('\n') + '\n');
    return result.error ? 1 : 0;
  } finally {
    await engine.dispose();
  }
}
