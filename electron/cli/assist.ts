// `bci assist`: assistive control without a screen, for evaluation and automation. A model runs
// online on a board (or a recording played back) and drives the same engine-side selection logic
// as the assistive screen, with the outputs to devices and the audit log; every selection is
// printed, and the summary scores them against the board's or file's cues (false selections per
// minute of rest, correct / total, time to select). `bci assist calibrate` proposes a threshold
// and dwell for a target false-selection rate from labelled recordings.

import { parseArgs } from 'node:util';
import { mkdirSync } from 'node:fs';
import { Engine, type MarkerEvent, type PredictionEvent } from '../engine/engine.js';
import { readModel } from '../engine/decoding/onnx.js';
import { BOARD_FLAG_OPTIONS, boardFlagsList, boardOptionsFromFlags, endOfRun } from './board-args.js';
import { parseNumber } from './filter-args.js';
import { parseSmoothing } from './decoding-args.js';
import { UsageError } from './errors.js';
import { DEFAULT_STEP_SEC } from '../common/contract/decoding.js';
import { TARGET_PRESETS, startAssistSchema, type OutputEndpoint, type StartAssistRequest } from '../common/contract/assistive.js';
import { explainIssues } from '../common/contract/failure.js';
import { NO_CONTROL_LABEL, proposeSettings, scoreSelections, type CueMarker, type ScoredSelection } from '../common/assistive/evaluation.js';
import { selectorConfigFor, type SelectionRecord } from '../engine/assistive/session.js';
import { fixed } from './decoding-report.js';

export const ASSIST_HELP = `Usage: bci assist --model MODEL.json [board flags] --scheme direct|scanning|ssvep --targets Yes,No
                  [--threshold P] [--dwell S] [--refractory S] [--udp HOST:PORT] [--duration S] [--out DIR] [--json]
       bci assist calibrate --model MODEL.json FILE... [--target-rate PER_MIN] [--json]

Runs assistive control without a screen: the model decodes the board online and the selection logic
of the assistive screen picks targets (probability at or above --threshold for --dwell seconds, then
--refractory seconds without selections). Each selection is printed, sent to the outputs and written
into a hash-chained audit log (\`bci audit verify\`) beside the session's recording. Ctrl-C sends a
stop to every output, then ends the session.

Board (as \`bci stream\`; a recording with --board playback --file F):
  ${boardFlagsList('  ')}

Selection:
  --model MODEL.json     the model (trained by \`bci train\`)
  --scheme KIND          direct (a class per target; default), scanning (targets highlighted in turn;
                         the select class picks) or ssvep (a flicker class per target)
  --targets A,B,…        2-8 labels, or a preset: ${Object.keys(TARGET_PRESETS).join(', ')} (default yes-no);
                         a label ending in * is critical (needs a confirming second dwell)
  --target-classes C,…   the model class of each target (default: the model's classes but rest)
  --select-class C       scanning: the class that selects (default: the first but rest)
  --threshold P          probability to reach, 0-1 (default 0.8)
  --dwell S              seconds the probability must hold (default 1)
  --refractory S         seconds without selections after one (default 2)
  --confirm S            seconds a critical target waits for its confirmation (default 5)
  --scan-step S          scanning: seconds per highlighted target (default 2.5)
  --step S               seconds between predictions (default ${DEFAULT_STEP_SEC})
  --smoothing KIND       none (default), exp:SECONDS or majority:N

Outputs (loopback unless --allow-remote; repeat a flag for several endpoints):
  --udp HOST:PORT        one JSON datagram per selection, stop and resume
  --osc HOST:PORT        OSC messages /bci/selection "label" index seq, /bci/stop, /bci/resume
  --ws URL               a WebSocket the workstation connects to (ws://127.0.0.1:PORT/…)
  --allow-remote         allow outputs to other machines

Session and files:
  --out DIR              the recording and the audit log go in DIR (default: the data folder)
  --subject CODE         subject code (default NA), --operator NAME
  --protocol ID          the protocol (\`bci protocol list\`, in the --out folder): it must allow
                         assistive sessions; checked before anything starts
  --consent              the subject's consent was obtained (stamped now, or --consent-time ISO)
  --json                 one JSON summary on standard output: selections, falseSelectionsPerMin,
                         correct, total, meanTimeToSelectSec, auditLog, …

Calibration (\`bci assist calibrate\`): replays labelled recordings through the model and the
selector for thresholds 0.5-0.99 and dwells 0.25-3 s, and proposes the setting that selects the most
cues, quickest, with at most --target-rate false selections per minute of rest (default 0.1).`;

function parseEndpoint(kind: 'udp' | 'osc', text: string, allowRemote: boolean): OutputEndpoint {
  const m = /^\[?([^\]]*?)\]?:(\d{1,5})$/.exec(text.trim());
  if (!m) throw new UsageError(`--${kind} is HOST:PORT (e.g. 127.0.0.1:9000), got "${text}"`);
  return parseOutput({ kind, host: m[1] || '127.0.0.1', port: Number(m[2]), allowRemote }, `--${kind}`);
}

function parseOutput(input: unknown, flag: string): OutputEndpoint {
  const parsed = startAssistSchema.safeParse({ scheme: 'direct', targets: [{ label: 'a' }, { label: 'b' }], outputs: [input] });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UsageError(`${flag}: ${issue.message}`);
  }
  return parsed.data.outputs[0];
}

export function parseTargets(text: string): { label: string; critical: boolean }[] {
  const preset = TARGET_PRESETS[text.trim().toLowerCase()];
  const labels = preset ?? text.split(',').map((t) => t.trim()).filter((t) => t.length > 0);
  if (labels.length < 2 || labels.length > 8) throw new UsageError(`--targets needs 2 to 8 labels (or a preset: ${Object.keys(TARGET_PRESETS).join(', ')}), got "${text}"`);
  return labels.map((l) => ({ label: l.replace(/\*$/, '').trim(), critical: l.endsWith('*') }));
}

const OPTIONS = {
  ...BOARD_FLAG_OPTIONS,
  model: { type: 'string' },
  scheme: { type: 'string', default: 'direct' },
  targets: { type: 'string', default: 'yes-no' },
  'target-classes': { type: 'string' },
  'select-class': { type: 'string' },
  threshold: { type: 'string' },
  dwell: { type: 'string' },
  refractory: { type: 'string' },
  confirm: { type: 'string' },
  'scan-step': { type: 'string' },
  step: { type: 'string' },
  smoothing: { type: 'string' },
  udp: { type: 'string', multiple: true },
  osc: { type: 'string', multiple: true },
  ws: { type: 'string', multiple: true },
  'allow-remote': { type: 'boolean' },
  out: { type: 'string' },
  subject: { type: 'string', default: 'NA' },
  operator: { type: 'string', default: '' },
  protocol: { type: 'string', default: '' },
  consent: { type: 'boolean' },
  'consent-time': { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true; strict: true }>>['values'];

/** The startAssist request the flags stand for (checked by the engine's schema, in its words). */
function assistRequest(values: Values, outDir: string | undefined): StartAssistRequest {
  const allowRemote = values['allow-remote'] ?? false;
  if (values['consent-time'] !== undefined && !values.consent) throw new UsageError('--consent-time needs --consent');
  const outputs: OutputEndpoint[] = [
    ...(values.udp ?? []).map((t) => parseEndpoint('udp', t, allowRemote)),
    ...(values.osc ?? []).map((t) => parseEndpoint('osc', t, allowRemote)),
    ...(values.ws ?? []).map((url) => parseOutput({ kind: 'websocket', url, allowRemote }, '--ws')),
  ];
  const scheme = values.scheme;
  if (scheme !== 'direct' && scheme !== 'scanning' && scheme !== 'ssvep') throw new UsageError(`--scheme is direct, scanning or ssvep, got "${scheme}"`);
  const num = (flag: 'threshold' | 'dwell' | 'refractory' | 'confirm' | 'scan-step') => (values[flag] === undefined ? undefined : parseNumber(flag, values[flag], { min: 0 }));
  const request: StartAssistRequest = {
    scheme,
    targets: parseTargets(values.targets),
    ...(values['target-classes'] !== undefined && { targetClasses: values['target-classes'].split(',').map((c) => c.trim()) }),
    ...(values['select-class'] !== undefined && { selectClass: values['select-class'] }),
    ...(num('threshold') !== undefined && { thresholdProb: num('threshold') }),
    ...(num('dwell') !== undefined && { dwellSec: num('dwell') }),
    ...(num('refractory') !== undefined && { refractorySec: num('refractory') }),
    ...(num('confirm') !== undefined && { confirmSec: num('confirm') }),
    ...(num('scan-step') !== undefined && { scanStepSec: num('scan-step') }),
    outputs,
    session: { subject: values.subject, operator: values.operator, protocolId: values.protocol, ...(values.consent && { consentObtained: true, consentTime: values['consent-time'] ?? new Date().toISOString() }) },
    record: outDir ? { dataDir: outDir } : {},
  };
  const parsed = startAssistSchema.safeParse(request);
  if (!parsed.success) throw explainIssues('the assistive settings', parsed.error.issues);
  return request;
}

export async function assistCommand(argv: string[]): Promise<number> {
  if (argv[0] === 'calibrate') return calibrateCommand(argv.slice(1));
  const { values, positionals } = parseArgs({ args: argv, options: OPTIONS, strict: true, allowPositionals: true });
  if (values.help) {
    process.stdout.write(ASSIST_HELP + '\n');
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`bci assist takes no positional arguments (got "${positionals.join(' ')}"; a recording is --board playback --file F)`);
  if (values.model === undefined) throw new UsageError('bci assist needs --model MODEL.json (train one with `bci train`)');
  const { udp: _udp, osc: _osc, ws: _ws, ...flagValues } = values;
  const { options: boardOptions, durationSec } = boardOptionsFromFlags(flagValues);
  const stepSec = values.step === undefined ? DEFAULT_STEP_SEC : parseNumber('step', values.step);
  const smoothing = values.smoothing === undefined ? { kind: 'none' as const } : parseSmoothing(values.smoothing);
  const outDir = values.out;
  const request = assistRequest(values, outDir);
  await readModel(values.model); // a missing or foreign model is refused before the board opens
  if (outDir) {
    try {
      mkdirSync(outDir, { recursive: true });
    } catch (error) {
      throw new UsageError(`cannot create the folder ${outDir}: ${(error as Error).message}`);
    }
  }

  const engine = new Engine();
  try {
    engine.on('notice', (message) => process.stderr.write(`bci: ${message}\n`));
    engine.on('error', (message) => process.stderr.write(`bci: ${message}\n`));
    const descriptor = await engine.connect(boardOptions);
    const decoder = await engine.loadModel({ path: values.model, stepSec, smoothing });
    const markers: MarkerEvent[] = [];
    engine.on('marker', (m) => markers.push(m));
    let lastPrediction = 0;
    engine.on('prediction', (p: PredictionEvent) => (lastPrediction = p.firstSampleIndex + (p.count - 1) * p.strideRows));
    const state = await engine.startAssist(request);
    const session = engine.assistSession!;
    const config = selectorConfigFor(session.config, decoder);
    const classOfTarget = (target: number): string | null => {
      const k = config.classTargets.indexOf(target);
      return k >= 0 ? decoder.classes[k] : null;
    };
    const selections: SelectionRecord[] = [];
    const rate = descriptor.sampleRateHz;
    session.onSelection((s) => {
      selections.push(s);
      if (!values.json) process.stdout.write(`selection ${selections.length}: ${s.label} at ${fixed(s.sampleIndex / rate, 2)} s (p ${Number.isFinite(s.probability) ? fixed(s.probability, 3) : 'n/a'}, ${s.via})\n`);
    });
    if (!values.json) {
      process.stdout.write(`assist: ${request.scheme} on ${descriptor.name} with ${decoder.kind} (${decoder.classes.join(', ')}); targets ${state.targets.map((t) => t.label + (t.critical ? '*' : '')).join(', ')}; threshold ${state.thresholdProb}, dwell ${state.dwellSec} s, refractory ${state.refractorySec} s\n`);
      process.stdout.write(`  audit log ${state.auditLog}${state.recording ? `, recording ${state.recording}` : ''}${state.outputs.length ? `, outputs ${state.outputs.map((o) => o.endpoint).join(', ')}` : ''}\n`);
    }
    const startSampleIndex = session.selector.view().sampleIndex;
    let interrupted = false;
    const stopped = new Promise<void>((resolve) => {
      process.once('SIGINT', () => {
        interrupted = true;
        // the stop goes out first, whatever else happens
        engine.stopAssist('cli');
        resolve();
      });
    });
    await engine.start();
    await Promise.race([endOfRun(engine, durationSec), stopped]);
    await engine.stop();
    const outputs = session.state().outputs;
    const auditLog = session.path;
    const recording = session.state().recording;
    engine.endAssist(interrupted ? 'stopped with Ctrl-C' : 'end of the run');
    const status = engine.getStatus();
    await engine.disconnect();
    const endSampleIndex = Math.max(lastPrediction + 1, startSampleIndex + 1);
    const cueLabels = [...new Set([...decoder.classes, ...markers.map((m) => m.label).filter((l) => NO_CONTROL_LABEL.test(l))])];
    const scored: ScoredSelection[] = selections.map((s) => ({ sampleIndex: s.sampleIndex, className: classOfTarget(s.target) }));
    const score = scoreSelections(scored, markers, { cueLabels, startSampleIndex, endSampleIndex, sampleRateHz: rate });
    const latencies = selections.map((s) => s.latencyMs).sort((a, b) => a - b);
    const pct = (q: number) => (latencies.length ? latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] : Number.NaN);
    const summary = {
      command: 'assist',
      model: values.model,
      decoder: decoder.kind,
      classes: decoder.classes,
      scheme: request.scheme,
      targets: state.targets.map((t) => t.label),
      thresholdProb: state.thresholdProb,
      dwellSec: state.dwellSec,
      refractorySec: state.refractorySec,
      durationSec: (endSampleIndex - startSampleIndex) / rate,
      selections: score.selections,
      falseSelections: score.falseSelections,
      falseSelectionsPerMin: Number.isFinite(score.falseSelectionsPerMin) ? score.falseSelectionsPerMin : null,
      noControlMinutes: score.noControlMinutes,
      correct: score.correct,
      total: score.total,
      cues: score.cues,
      cuesSelected: score.cuesSelected,
      meanTimeToSelectSec: Number.isFinite(score.meanTimeToSelectSec) ? score.meanTimeToSelectSec : null,
      decisionLatencyMs: { p50: pct(0.5), p99: pct(0.99) },
      selectionList: selections.map((s) => ({ seq: s.seq, label: s.label, sampleIndex: s.sampleIndex, timeSec: s.sampleIndex / rate, probability: Number.isFinite(s.probability) ? s.probability : null, via: s.via })),
      outputs,
      auditLog,
      recording,
      rows: status.rowsReceived,
      interrupted,
    };
    if (values.json) {
      process.stdout.write(JSON.stringify(summary) + '\n');
      return 0;
    }
    const lines = [
      `${interrupted ? 'stopped by Ctrl-C (a stop was sent to every output); ' : ''}summary: ${score.selections} selections in ${fixed(summary.durationSec, 1)} s`,
      `  false selections ${score.falseSelections} in ${fixed(score.noControlMinutes, 2)} min without control (${summary.falseSelectionsPerMin === null ? 'n/a' : fixed(summary.falseSelectionsPerMin, 3)} per minute)`,
      `  during cues      ${score.correct} of ${score.total} correct; ${score.cuesSelected} of ${score.cues} cues selected, mean time to select ${summary.meanTimeToSelectSec === null ? 'n/a' : `${fixed(summary.meanTimeToSelectSec, 2)} s`}`,
      `  decision latency p50 ${fixed(summary.decisionLatencyMs.p50, 2)} ms, p99 ${fixed(summary.decisionLatencyMs.p99, 2)} ms (window's last sample to the outputs)`,
      ...outputs.map((o) => `  output           ${o.endpoint}: ${o.delivered} delivered, ${o.failed} failed${o.error ? ` (${o.error})` : ''}`),
      `  audit log        ${auditLog} (check it with \`bci audit verify\`)`,
    ];
    process.stdout.write(lines.join('\n') + '\n');
    return 0;
  } finally {
    await engine.dispose();
  }
}

const CALIBRATE_OPTIONS = {
  model: { type: 'string' },
  'target-rate': { type: 'string', default: '0.1' },
  scheme: { type: 'string', default: 'direct' },
  targets: { type: 'string' },
  'target-classes': { type: 'string' },
  refractory: { type: 'string', default: '2' },
  step: { type: 'string' },
  smoothing: { type: 'string' },
  layout: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

const THRESHOLDS = [0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95, 0.99];
const DWELLS = [0.25, 0.5, 0.75, 1, 1.5, 2, 3];

/** `bci assist calibrate`: proposes threshold and dwell from labelled recordings. */
async function calibrateCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, options: CALIBRATE_OPTIONS, strict: true, allowPositionals: true });
  if (values.help) {
    process.stdout.write(ASSIST_HELP + '\n');
    return 0;
  }
  if (values.model === undefined) throw new UsageError('bci assist calibrate needs --model MODEL.json');
  if (positionals.length === 0) throw new UsageError('bci assist calibrate needs one or more recordings with cues (FILE...)');
  const targetFalsePerMin = parseNumber('target-rate', values['target-rate'], { min: 0 });
  const refractorySec = parseNumber('refractory', values.refractory, { min: 0 });
  const stepSec = values.step === undefined ? DEFAULT_STEP_SEC : parseNumber('step', values.step);
  const smoothing = values.smoothing === undefined ? { kind: 'none' as const } : parseSmoothing(values.smoothing);
  const model = await readModel(values.model);
  const controlClasses = model.classes.filter((c) => !NO_CONTROL_LABEL.test(c));
  const targets = values.targets ? parseTargets(values.targets) : controlClasses.map((c) => ({ label: c, critical: false }));
  const scheme = values.scheme as 'direct' | 'ssvep';
  if (scheme !== 'direct' && scheme !== 'ssvep') throw new UsageError('bci assist calibrate proposes settings for the direct and ssvep schemes');
  const runs: Parameters<typeof proposeSettings>[0][number][] = [];
  let baseConfig: ReturnType<typeof selectorConfigFor> | undefined;
  const markerLabels = new Set<string>();
  for (const file of positionals) {
    const engine = new Engine();
    try {
      await engine.connect({ board: 'playback', file, speed: 'max', ...(values.layout && { layout: values.layout as 'cyton' }) });
      const decoder = await engine.setDecoder({ model, stepSec, smoothing });
      baseConfig ??= selectorConfigFor(
        startAssistSchema.parse({ scheme, targets, refractorySec, ...(values['target-classes'] && { targetClasses: values['target-classes'].split(',') }) }),
        decoder,
      );
      const markers: CueMarker[] = [];
      engine.on('marker', (m) => {
        markers.push(m);
        markerLabels.add(m.label);
      });
      const indices: number[] = [];
      const probabilities: number[] = [];
      engine.on('prediction', (p) => {
        for (let i = 0; i < p.count; i++) indices.push(p.firstSampleIndex + i * p.strideRows);
        for (const v of p.probabilities) probabilities.push(v);
      });
      await engine.start();
      await engine.ended();
      await engine.stop();
      runs.push({ trace: { sampleIndices: indices, probabilities, classCount: decoder.classes.length }, markers, startSampleIndex: indices[0] ?? 0, endSampleIndex: (indices[indices.length - 1] ?? 0) + 1 });
    } finally {
      await engine.dispose();
    }
  }
  const config = baseConfig!;
  const cueLabels = [...new Set([...config.classes, ...[...markerLabels].filter((l) => NO_CONTROL_LABEL.test(l))])];
  const proposal = proposeSettings(runs, config, { targetFalsePerMin, thresholds: THRESHOLDS, dwellsSec: DWELLS, cueLabels });
  const best = proposal.best;
  if (values.json) {
    process.stdout.write(
      JSON.stringify({
        command: 'assist calibrate',
        targetFalsePerMin,
        proposal: best && { thresholdProb: best.thresholdProb, dwellSec: best.dwellSec, refractorySec, ...best.score },
        noControlMinutes: proposal.trials[0]?.score.noControlMinutes ?? 0,
        trials: proposal.trials.map((t) => ({ thresholdProb: t.thresholdProb, dwellSec: t.dwellSec, falseSelectionsPerMin: Number.isFinite(t.score.falseSelectionsPerMin) ? t.score.falseSelectionsPerMin : null, cuesSelected: t.score.cuesSelected, cues: t.score.cues, meanTimeToSelectSec: Number.isFinite(t.score.meanTimeToSelectSec) ? t.score.meanTimeToSelectSec : null })),
      }) + '\n',
    );
    return best ? 0 : 1;
  }
  const minutes = proposal.trials[0]?.score.noControlMinutes ?? 0;
  const lines = [`calibration: ${positionals.length} recordings, ${fixed(minutes, 2)} min without control, ${proposal.trials[0]?.score.cues ?? 0} cues; target ≤ ${targetFalsePerMin} false selections per minute`];
  if (best) {
    lines.push(
      `proposed: --threshold ${best.thresholdProb} --dwell ${best.dwellSec} --refractory ${refractorySec}`,
      `  false selections ${best.score.falseSelections} (${fixed(best.score.falseSelectionsPerMin, 3)} per minute), ${best.score.cuesSelected} of ${best.score.cues} cues selected, mean time to select ${Number.isFinite(best.score.meanTimeToSelectSec) ? `${fixed(best.score.meanTimeToSelectSec, 2)} s` : 'n/a'}`,
    );
    if (minutes < 10 / Math.max(targetFalsePerMin, 1e-9)) lines.push(`  note: ${fixed(minutes, 1)} min of rest is too short to show a rate of ${targetFalsePerMin} per minute; record more rest before relying on it`);
  } else lines.push('no setting met the target: record more calibration data, or retrain the model');
  process.stdout.write(lines.join('\n') + '\n');
  return best ? 0 : 1;
}

