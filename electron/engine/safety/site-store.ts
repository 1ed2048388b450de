// The site's safety files in the data folder: protocols.json (protocols with their ethics
// approval), settings.json (requireProtocol, alert thresholds) and ethics-log.jsonl (every ethics
// check, approved or refused, one JSON line each, append-only). Files are validated when read (a
// hand-edited or damaged file is refused with a sentence naming it, never half-used) and replaced
// atomically when written (temp file + rename).

import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { EngineError, explainIssues } from '../../common/contract/failure.js';
import { protocolSchema, siteSettingsSchema, type EthicsCheck, type Protocol, type ProtocolInput, type SiteSettings } from '../../common/contract/ethics.js';

const PROTOCOLS_FILE = 'protocols.json';
const SETTINGS_FILE = 'settings.json';
const ETHICS_LOG = 'ethics-log.jsonl';
const MAX_FILE_BYTES = 4 * 1024 * 1024;

const protocolsFileSchema = z.object({ format: z.literal('bci-workstation-protocols'), version: z.literal(1), protocols: z.array(protocolSchema).max(10_000) }).strict();

export function readJson(path: string): unknown {
  const stat = statSync(path);
  if (!stat.isFile()) throw new EngineError('invalid-request', `${path} is not a regular file: move it aside`);
  if (stat.size > MAX_FILE_BYTES) throw new EngineError('invalid-request', `${path} is larger than ${MAX_FILE_BYTES / 1024 / 1024} MB: it is not a workstation file; move it aside`);
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as unknown;
  } catch {
    throw new EngineError('invalid-request', `${path} is not valid JSON: repair it or move it aside`);
  }
}

/** Replaces a site file whole or not at all: a full disk leaves the old one and no temporary file, and says so. */
export function writeAtomically(path: string, text: string): void {
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, text);
    renameSync(tmp, path);
  } catch (error) {
    try {
      rmSync(tmp, { force: true });
    } catch {
      // not a file we wrote (a folder of that name): left as it is
    }
    const code = (error as { code?: string }).code;
    const why = code === 'ENOSPC' || code === 'EDQUOT' ? 'the disk is full' : error instanceof Error ? error.message : String(error);
    throw new EngineError('io', `${path} could not be written (${why}): nothing was changed; free some space or choose another data folder`);
  }
}

export class SiteStore {
  constructor(readonly dataDir: string) {}

  private path(name: string): string {
    return join(this.dataDir, name);
  }

  private ensureDir(): void {
    mkdirSync(this.dataDir, { recursive: true });
  }

  protocols(): Protocol[] {
    const path = this.path(PROTOCOLS_FILE);
    if (!existsSync(path)) return [];
    const parsed = protocolsFileSchema.safeParse(readJson(path));
    if (!parsed.success) throw new EngineError('invalid-request', `${path} is damaged (${explainIssues('protocols file', parsed.error.issues).message}): repair it or move it aside`);
    return parsed.data.protocols;
  }

  protocol(id: string): Protocol | undefined {
    return this.protocols().find((p) => p.id === id);
  }

  private saveProtocols(protocols: readonly Protocol[]): void {
    this.ensureDir();
    writeAtomically(this.path(PROTOCOLS_FILE), JSON.stringify({ format: 'bci-workstation-protocols', version: 1, protocols }, null, 2) + '\n');
  }

  /** Adds a protocol; an id that exists is refused (retire it and add another id). */
  addProtocol(input: ProtocolInput | unknown): Protocol {
    const parsed = protocolSchema.safeParse(input);
    if (!parsed.success) throw explainIssues('protocol', parsed.error.issues);
    const protocol = parsed.data;
    if (protocol.retiredAt !== undefined) throw new EngineError('invalid-request', 'a new protocol cannot be retired already: add it, then retire it');
    const all = this.protocols();
    if (all.some((p) => p.id === protocol.id)) throw new EngineError('invalid-request', `protocol ${protocol.id} already exists: protocols are never overwritten; retire it and add the renewed approval under a new id`, [{ path: 'id', message: 'already exists' }]);
    this.saveProtocols([...all, protocol]);
    return protocol;
  }

  /** Retires a protocol: it stays listed (old sessions name it) and approves nothing more. */
  retireProtocol(id: string, reason: string | undefined, nowMs: number): Protocol {
    const all = this.protocols();
    const index = all.findIndex((p) => p.id === id);
    if (index < 0) throw new EngineError('not-found', `protocol ${id} does not exist in ${this.dataDir}`);
    const current = all[index];
    if (current.retiredAt !== undefined) throw new EngineError('state', `protocol ${id} was already retired on ${current.retiredAt.slice(0, 10)}`);
    const retired: Protocol = { ...current, retiredAt: new Date(nowMs).toISOString(), ...(reason !== undefined && reason !== '' && { retiredReason: reason }) };
    all[index] = retired;
    this.saveProtocols(all);
    return retired;
  }

  settings(): SiteSettings {
    const path = this.path(SETTINGS_FILE);
    if (!existsSync(path)) return siteSettingsSchema.parse({});
    const parsed = siteSettingsSchema.safeParse(readJson(path));
    if (!parsed.success) throw new EngineError('invalid-request', `${path} is damaged (${explainIssues('settings file', parsed.error.issues).message}): repair it or move it aside`);
    return parsed.data;
  }

  /** Merges a change into the settings (validated as a whole) and saves them. */
  updateSettings(change: Record<string, unknown>): SiteSettings {
    const current = this.settings();
    const merged: Record<string, unknown> = { ...current, ...change };
    if (typeof change.alerts === 'object' && change.alerts !== null) merged.alerts = { ...current.alerts, ...change.alerts };
    const parsed = siteSettingsSchema.safeParse(merged);
    if (!parsed.success) throw explainIssues('settings', parsed.error.issues);
    this.ensureDir();
    writeAtomically(this.path(SETTINGS_FILE), JSON.stringify(parsed.data, null, 2) + '\n');
    return parsed.data;
  }

  /** Appends a check to the data folder's ethics log (refusals included: they have no recording to go into). */
  logCheck(check: EthicsCheck): void {
    this.ensureDir();
    appendFileSync(this.path(ETHICS_LOG), JSON.stringify(check) + '\n');
  }

  ethicsLog(): EthicsCheck[] {
    const path = this.path(ETHICS_LOG);
    if (!existsSync(path)) return [];
    return readFileSync(path, 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => JSON.parse(l) as EthicsCheck);
  }
}
