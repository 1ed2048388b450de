// The assistive audit log: an append-only JSON Lines file, one entry per line, each chained to the
// one before by SHA-256. An entry is written as `{…fields…,"prev":"<hash of the previous entry>",
// "hash":"<hash>"}` where hash = SHA-256 of the line's own text up to `,"hash"` closed with `}`:
// changing, inserting or deleting any byte of an entry breaks its hash or the next entry's `prev`.
// The first entry's `prev` is 64 zeros. Each line is written at once (one write call); the fsync that
// puts it on disk runs off the main thread (libuv's pool), one at a time, so a slow disk never holds
// up a stop command or an output; close() syncs what is left.

import { createHash } from 'node:crypto';
import { closeSync, fsync, fsyncSync, readFileSync, writeSync } from 'node:fs';
import { EngineError } from '../../common/contract/failure.js';
import { openOutput } from '../files/export.js';

export const GENESIS_HASH = '0'.repeat(64);
const HASH_TAIL = /,"hash":"([0-9a-f]{64})"\}$/;

export type AuditFields = Record<string, unknown>;

export interface AuditEntry extends AuditFields {
  readonly seq: number;
  readonly type: string;
  readonly time: string;
  readonly prev: string;
  readonly hash: string;
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** The line for an entry: its fields in order, then prev, then the hash of all that. */
export function chainLine(fields: AuditFields, prev: string): { line: string; hash: string } {
  const body = JSON.stringify({ ...fields, prev });
  const hash = sha256(body);
  return { line: `${body.slice(0, -1)},"hash":"${hash}"}`, hash };
}

export class AuditLog {
  private seq = 0;
  private last = GENESIS_HASH;
  private closed = false;

  private constructor(
    readonly path: string,
    private readonly fd: number,
    /** Fields every entry carries (operator, subject, protocol, model and its hash). */
    private readonly context: AuditFields,
  ) {}

  /** Creates the log (a new file; an existing one is never overwritten or appended to). */
  static create(path: string, context: AuditFields): AuditLog {
    return new AuditLog(path, openOutput(path), context);
  }

  get lastHash(): string {
    return this.last;
  }

  get entries(): number {
    return this.seq;
  }

  /** Appends an entry (time is now; sampleIndex where the event happened) and returns its sequence number and hash. */
  append(type: string, sampleIndex: number | null, fields: AuditFields = {}): { seq: number; hash: string } {
    if (this.closed) throw new EngineError('state', `the audit log ${this.path} is closed`);
    const seq = ++this.seq;
    const { line, hash } = chainLine({ seq, type, time: new Date().toISOString(), sampleIndex, ...this.context, ...fields }, this.last);
    try {
      writeSync(this.fd, line + '\n');
    } catch (error) {
      throw new EngineError('io', `could not write the audit log ${this.path}: ${(error as Error).message}`);
    }
    this.last = hash;
    this.sync();
    return { seq, hash };
  }

  private syncing = false;
  private dirty = false;
  /** The last fsync's failure, if any (the next append reports it). */
  private syncError: string | null = null;

  private sync(): void {
    if (this.syncError) {
      const message = this.syncError;
      this.syncError = null;
      throw new EngineError('io', `could not sync the audit log ${this.path} to disk: ${message}`);
    }
    if (this.syncing) {
      this.dirty = true;
      return;
    }
    this.syncing = true;
    this.dirty = false;
    fsync(this.fd, (error) => {
      this.syncing = false;
      if (error && !this.closed) this.syncError = error.message;
      if (this.dirty && !this.closed) this.sync();
    });
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      fsyncSync(this.fd);
    } finally {
      closeSync(this.fd);
    }
  }
}

export interface AuditVerification {
  readonly ok: boolean;
  readonly entries: number;
  /** The first entry (1-based line) that does not verify, and why. */
  readonly firstBad: { readonly line: number; readonly reason: string } | null;
  readonly lastHash: string;
}

/** Checks every entry's hash and its link to the one before; reports the first that fails. */
export function verifyAuditText(text: string): AuditVerification {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  let prev = GENESIS_HASH;
  for (const [i, line] of lines.entries()) {
    const bad = (reason: string): AuditVerification => ({ ok: false, entries: i, firstBad: { line: i + 1, reason }, lastHash: prev });
    const tail = HASH_TAIL.exec(line);
    if (!tail) return bad('the entry has no hash at its end (cut, or edited)');
    const body = line.slice(0, tail.index) + '}';
    const hash = sha256(body);
    if (hash !== tail[1]) return bad('its content does not match its hash (the entry was changed)');
    let entry: unknown;
    try {
      entry = JSON.parse(body);
    } catch {
      return bad('the entry is not valid JSON');
    }
    const e = entry as Partial<AuditEntry>;
    if (e.prev !== prev) return bad(i === 0 ? 'the first entry does not start the chain (entries before it were removed)' : 'it does not follow the entry before it (an entry was removed, inserted or reordered)');
    if (e.seq !== i + 1) return bad(`its sequence number is ${String(e.seq)}, expected ${i + 1}`);
    prev = hash;
  }
  return { ok: true, entries: lines.length, firstBad: null, lastHash: prev };
}

export function readAuditFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new EngineError('not-found', `cannot open the audit log ${path}: no such file`);
    if (code === 'EISDIR') throw new EngineError('invalid-request', `${path} is a folder, not an audit log`);
    throw new EngineError('io', `cannot read the audit log ${path}: ${(error as Error).message}`);
  }
}

/** The entries of a log, parsed (lines that are not JSON objects come back as null). */
export function parseAuditEntries(text: string): (AuditEntry | null)[] {
  return text
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => {
      try {
        const v: unknown = JSON.parse(l);
        return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as AuditEntry) : null;
      } catch {
        return null;
      }
    });
}
