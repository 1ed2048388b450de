// `bci audit verify FILE` checks an assistive audit log's hash chain and names the first entry that
// does not verify; `bci audit show FILE` prints the log readably (one line per entry).

import { parseArgs } from 'node:util';
import { parseAuditEntries, readAuditFile, verifyAuditText, type AuditEntry } from '../engine/assistive/audit-log.js';
import { UsageError } from './errors.js';

export const AUDIT_HELP = `Usage: bci audit verify FILE [--json]
       bci audit show FILE [--json]

verify: checks every entry of an assistive session's audit log (JSON Lines, each entry chained to the
one before by SHA-256) and reports the first entry that was changed, removed, inserted or cut off;
exit 1 when one does not verify. show: prints the log, one readable line per entry (--json: the
entries as a JSON array), after checking it.`;

function describe(e: AuditEntry): string {
  const f = e as Record<string, unknown>;
  const at = typeof f.sampleIndex === 'number' ? ` @${f.sampleIndex}` : '';
  const head = `#${e.seq} ${e.time}${at} ${e.type}`;
  switch (e.type) {
    case 'session-start':
      return `${head}: ${String(f.scheme)} with targets ${(f.targets as { label: string }[] | undefined)?.map((t) => t.label).join(', ') ?? '?'}; threshold ${String(f.thresholdProb)}, dwell ${String(f.dwellSec)} s, refractory ${String(f.refractorySec)} s; subject ${String(f.subject)}, operator ${String(f.operator) || '-'}, protocol ${String(f.protocolId) || '-'}; model ${String(f.modelId)} (sha256 ${String(f.modelSha256).slice(0, 12)}…)`;
    case 'selection': {
      const probs = Object.entries((f.probabilities as Record<string, number | null>) ?? {})
        .map(([c, p]) => `${c} ${p === null ? 'n/a' : p.toFixed(3)}`)
        .join(', ');
      const w = f.window as { firstSampleIndex: number; lastSampleIndex: number } | undefined;
      return `${head}: ${String(f.target)} (${String(f.via)}; ${probs}; window ${w?.firstSampleIndex}-${w?.lastSampleIndex}; threshold ${String(f.thresholdProb)}, dwell ${String(f.dwellSec)} s)`;
    }
    case 'delivery':
      return `${head}: ${String(f.of)} ${String(f.msgSeq)} to ${String(f.endpoint)} ${f.ok ? 'delivered' : `FAILED: ${String(f.error)}`}`;
    case 'stop':
    case 'resume':
      return `${head} (${String(f.source)})`;
    case 'suspended':
      return `${head}: ${String(f.reason)}`;
    case 'session-end':
      return `${head}: ${String(f.reason)}, ${String(f.selections)} selections`;
    default: {
      const extra = Object.entries(f).filter(([k]) => !['seq', 'time', 'type', 'sampleIndex', 'prev', 'hash', 'operator', 'subject', 'protocolId', 'modelId', 'modelSha256'].includes(k));
      return extra.length ? `${head}: ${extra.map(([k, v]) => `${k} ${JSON.stringify(v)}`).join(', ')}` : head;
    }
  }
}

export function auditCommand(argv: string[]): number {
  const { values, positionals } = parseArgs({ args: argv, options: { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } }, strict: true, allowPositionals: true });
  if (values.help) {
    process.stdout.write(AUDIT_HELP + '\n');
    return 0;
  }
  const [action, file, ...rest] = positionals;
  if ((action !== 'verify' && action !== 'show') || file === undefined || rest.length > 0) throw new UsageError('bci audit takes verify FILE or show FILE');
  const text = readAuditFile(file);
  const result = verifyAuditText(text);
  if (action === 'verify') {
    if (values.json) process.stdout.write(JSON.stringify({ command: 'audit verify', file, ...result }) + '\n');
    else if (result.ok) process.stdout.write(`${file}: ${result.entries} entries, the chain verifies (last hash ${result.lastHash})\n`);
    if (!result.ok) {
      // a log that does not verify is a finding, not a failure of the command: exit 1 with one line
      if (!values.json) process.stderr.write(`bci: ${file}: entry ${result.firstBad!.line} does not verify: ${result.firstBad!.reason} (the ${result.entries} entries before it verify)\n`);
      return 1;
    }
    return 0;
  }
  const entries = parseAuditEntries(text);
  if (values.json) process.stdout.write(JSON.stringify(entries) + '\n');
  else {
    for (const [i, e] of entries.entries()) process.stdout.write((e ? describe(e) : `line ${i + 1}: not an entry`) + '\n');
    process.stdout.write(result.ok ? `(${result.entries} entries; the chain verifies)\n` : `(WARNING: entry ${result.firstBad!.line} does not verify: ${result.firstBad!.reason})\n`);
  }
  return result.ok ? 0 : 1;
}
