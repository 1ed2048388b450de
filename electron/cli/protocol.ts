// `bci protocol add|list|show|retire` and `bci settings get|set`: the site's protocols (with their
// ethics approval) and settings in the data folder. The engine owns them (engine/safety); this
// file only parses flags and prints.

import { parseArgs } from 'node:util';
import { Engine } from '../engine/engine.js';
import { UsageError } from './errors.js';
import { parseNumber } from './filter-args.js';
import { defaultDataDir } from '../engine/recording/recording.js';
import { SESSION_MODES, alertRulesSchema, type Protocol, type SessionMode } from '../common/contract/ethics.js';

export const PROTOCOL_HELP = `Usage: bci protocol add|list|show|retire [options]

Protocols with their ethics approval, kept in the data folder (protocols.json). A recording,
calibration or assistive session under a protocol that does not exist, has expired, was retired or
does not allow that mode is refused, and so is one without recorded consent.

  bci protocol add --id ID --title T --committee C --approval NUM
                   --valid-from YYYY-MM-DD --valid-to YYYY-MM-DD
                   --modes recording,calibration,assistive [--max-minutes N] [--notes TEXT]
  bci protocol list                 every protocol, current or not
  bci protocol show ID              one protocol, and its checks in the ethics log
  bci protocol retire ID [--reason TEXT]
                                    it stays listed and approves nothing more

All take --data-dir DIR (default $BCI_DATA_DIR or ~/BCI-Workstation/data) and --json.`;

export const SETTINGS_HELP = `Usage: bci settings get [KEY] | bci settings set KEY VALUE [--data-dir DIR]

Site settings in the data folder (settings.json):
  requireProtocol true|false   plain recordings need a protocol too (default false; calibration
                               and assistive sessions always need one)
  alerts.railedFlatSec S       a used channel railed or flat this long raises an alert (default 2)
  alerts.sustainedArtefactSec S  artefact bursts in this many consecutive seconds (default 5)
  alerts.artefactUv UV         peak-to-peak after the quality filter that counts as a burst (150)
  alerts.impedanceMaxKOhm K    impedance over this raises an alert (default 50)
  alerts.lossPercent P         samples lost above this share of 10 s (default 1)
  alerts.diskMinMb MB          free space in the data folder while recording (default 500)
  alerts.protocolWarnMinutes M warning before the protocol's maximum length (default 5)
  alerts.fatigueMinutes M      reminder to check on the person (default 45; 0: never)`;

const modesOf = (text: string): SessionMode[] => {
  const modes = text.split(',').map((m) => m.trim()).filter((m) => m !== '');
  for (const m of modes) if (!(SESSION_MODES as readonly string[]).includes(m)) throw new UsageError(`--modes takes ${SESSION_MODES.join(', ')} (comma-separated), got "${m}"`);
  if (modes.length === 0) throw new UsageError('--modes needs at least one of recording, calibration, assistive');
  return modes as SessionMode[];
};

function describe(p: Protocol): string {
  const state = p.retiredAt ? `retired ${p.retiredAt.slice(0, 10)}` : new Date().toISOString().slice(0, 10) > p.validTo ? `expired ${p.validTo}` : 'current';
  return [
    `${p.id}  ${p.title}  [${state}]`,
    `  approval   ${p.committee} ${p.approvalNumber}, valid ${p.validFrom} to ${p.validTo}`,
    `  modes      ${p.modes.join(', ')}${p.maxSessionMinutes !== undefined ? `; at most ${p.maxSessionMinutes} min a session` : ''}`,
    ...(p.notes ? [`  notes      ${p.notes}`] : []),
    ...(p.retiredReason ? [`  retired    ${p.retiredReason}`] : []),
  ].join('\n');
}

export async function protocolCommand(argv: string[]): Promise<number> {
  const [action, ...rest] = argv;
  if (action === undefined || action === '--help' || action === '-h') {
    process.stdout.write(PROTOCOL_HELP + '\n');
    return 0;
  }
  const { values, positionals } = parseArgs({
    args: rest,
    options: {
      id: { type: 'string' },
      title: { type: 'string' },
      committee: { type: 'string' },
      approval: { type: 'string' },
      'valid-from': { type: 'string' },
      'valid-to': { type: 'string' },
      modes: { type: 'string' },
      'max-minutes': { type: 'string' },
      notes: { type: 'string' },
      reason: { type: 'string' },
      'data-dir': { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
    allowPositionals: true,
  });
  if (values.help) {
    process.stdout.write(PROTOCOL_HELP + '\n');
    return 0;
  }
  const store = new Engine().siteStore(values['data-dir'] ?? defaultDataDir());
  const print = (text: string, json: unknown): void => void process.stdout.write((values.json ? JSON.stringify(json, null, 2) : text) + '\n');
  switch (action) {
    case 'add': {
      const missing = (['id', 'title', 'committee', 'approval', 'valid-from', 'valid-to', 'modes'] as const).filter((k) => values[k] === undefined);
      if (missing.length > 0) throw new UsageError(`bci protocol add needs ${missing.map((k) => `--${k}`).join(', ')}`);
      const protocol = store.addProtocol({
        id: values.id,
        title: values.title,
        committee: values.committee,
        approvalNumber: values.approval,
        validFrom: values['valid-from'],
        validTo: values['valid-to'],
        modes: modesOf(values.modes!),
        ...(values['max-minutes'] !== undefined && { maxSessionMinutes: parseNumber('max-minutes', values['max-minutes'], { min: 1 }) }),
        notes: values.notes ?? '',
      });
      print(`added protocol ${protocol.id} to ${store.dataDir}\n${describe(protocol)}`, protocol);
      return 0;
    }
    case 'list': {
      const all = store.protocols();
      print(all.length === 0 ? `no protocols in ${store.dataDir} (add one with \`bci protocol add\`)` : all.map(describe).join('\n'), all);
      return 0;
    }
    case 'show': {
      const id = positionals[0] ?? values.id;
      if (id === undefined) throw new UsageError('bci protocol show needs the protocol id');
      const p = store.protocol(id);
      if (!p) throw new UsageError(`protocol ${id} does not exist in ${store.dataDir}`);
      const checks = store.ethicsLog().filter((c) => c.protocolId === id);
      const lines = checks.slice(-20).map((c) => `  ${c.at}  ${c.mode.padEnd(11)} ${c.subject.padEnd(8)} ${c.outcome}${c.outcome === 'refused' ? `: ${c.sentence}` : ''}`);
      print(`${describe(p)}\n  checks     ${checks.length}${checks.length > 20 ? ' (the last 20)' : ''}${lines.length ? '\n' + lines.join('\n') : ''}`, { protocol: p, checks });
      return 0;
    }
    case 'retire': {
      const id = positionals[0] ?? values.id;
      if (id === undefined) throw new UsageError('bci protocol retire needs the protocol id');
      const p = store.retireProtocol(id, values.reason, Date.now());
      print(`retired protocol ${p.id}: it approves no more sessions`, p);
      return 0;
    }
    default:
      throw new UsageError(`bci protocol takes add, list, show or retire (got "${action}")`);
  }
}

function parseSettingValue(key: string, text: string): unknown {
  if (key === 'requireProtocol') {
    if (text === 'true' || text === 'false') return text === 'true';
    throw new UsageError(`requireProtocol is true or false, got "${text}"`);
  }
  const rule = key.startsWith('alerts.') ? key.slice('alerts.'.length) : undefined;
  if (rule === undefined || !Object.hasOwn(alertRulesSchema.shape, rule)) throw new UsageError(`unknown setting "${key}": \`bci settings --help\` lists them`);
  return parseNumber(key, text, { min: 0 });
}

export async function settingsCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, options: { 'data-dir': { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } }, strict: true, allowPositionals: true });
  const [action, key, value] = positionals;
  if (values.help || action === undefined) {
    process.stdout.write(SETTINGS_HELP + '\n');
    return 0;
  }
  const store = new Engine().siteStore(values['data-dir'] ?? defaultDataDir());
  if (action === 'get') {
    const settings = store.settings();
    const flat: Record<string, unknown> = { requireProtocol: settings.requireProtocol, ...Object.fromEntries(Object.entries(settings.alerts).map(([k, v]) => [`alerts.${k}`, v])) };
    if (key !== undefined && !Object.hasOwn(flat, key)) throw new UsageError(`unknown setting "${key}": \`bci settings --help\` lists them`);
    const shown = key === undefined ? flat : { [key]: flat[key] };
    process.stdout.write((values.json ? JSON.stringify(shown, null, 2) : Object.entries(shown).map(([k, v]) => `${k} ${String(v)}`).join('\n')) + '\n');
    return 0;
  }
  if (action === 'set') {
    if (key === undefined || value === undefined) throw new UsageError('bci settings set needs KEY VALUE (e.g. requireProtocol true)');
    const parsed = parseSettingValue(key, value);
    const change = key.startsWith('alerts.') ? { alerts: { [key.slice(7)]: parsed } } : { [key]: parsed };
    store.updateSettings(change);
    process.stdout.write(`${key} ${String(parsed)} (in ${store.dataDir})\n`);
    return 0;
  }
  throw new UsageError(`bci settings takes get or set (got "${action}")`);
}
