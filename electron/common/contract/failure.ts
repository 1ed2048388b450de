// One failure shape for every client: `{ ok: false, kind, error, issues }`. The engine throws
// EngineError with a kind; hosts turn whatever was thrown into a Failure (failureOf); clients turn
// a Failure back into an EngineError, so a form can point at the field an issue names and the
// CLI can choose its exit code from the kind (2 for a request that can never work, 1 otherwise).

/**
 * What went wrong, from the user's side:
 * - `invalid-request`: the request itself is wrong (a bad field, an unknown board or command); sending it again cannot work.
 * - `not-found`: something the request names does not exist (a file, a port).
 * - `state`: not now (no board connected, already recording).
 * - `device`: the hardware or its link failed (an unplugged dongle, a board that does not answer).
 * - `io`: the file system refused (permission, a full disk, a read-only folder).
 * - `unsupported`: the connected board cannot do this (impedance on a synthetic board).
 * - `internal`: a fault of the workstation itself.
 */
export type FailureKind = 'invalid-request' | 'not-found' | 'state' | 'device' | 'io' | 'unsupported' | 'internal';

export const FAILURE_KINDS: readonly FailureKind[] = ['invalid-request', 'not-found', 'state', 'device', 'io', 'unsupported', 'internal'];

/** One problem with one field of a request: `path` is dotted (`session.subject`, `changes.0.gain`), empty for the whole request. */
export interface FailureIssue {
  readonly path: string;
  readonly message: string;
}

export interface Failure {
  readonly ok: false;
  readonly kind: FailureKind;
  /** One sentence for the user: what is wrong and what to do. */
  readonly error: string;
  readonly issues: readonly FailureIssue[];
}

/** An error with a kind and, for invalid requests, the fields at fault. */
export class EngineError extends Error {
  override readonly name = 'EngineError';
  constructor(
    readonly kind: FailureKind,
    message: string,
    readonly issues: readonly FailureIssue[] = [],
  ) {
    super(message);
  }

  static fromFailure(failure: Pick<Failure, 'kind' | 'error' | 'issues'>): EngineError {
    return new EngineError(failure.kind, failure.error, failure.issues);
  }
}

/** A schema library's issue (zod's shape): a path of keys and a message. */
export interface SchemaIssue {
  readonly path: readonly PropertyKey[];
  readonly message: string;
}

const dotted = (path: readonly PropertyKey[]): string => path.map((p) => String(p)).join('.');

/**
 * The one place schema issues become words: "invalid WHAT: field: message; field: message",
 * as an invalid-request EngineError that keeps each issue with its field.
 */
export function explainIssues(what: string, issues: readonly SchemaIssue[]): EngineError {
  const list: FailureIssue[] = issues.map((i) => ({ path: dotted(i.path), message: i.message }));
  const text = list.map((i) => `${i.path || 'request'}: ${i.message}`).join('; ');
  return new EngineError('invalid-request', `invalid ${what}: ${text}`, list);
}

const IO_CODES = new Set(['EACCES', 'EPERM', 'ENOSPC', 'EROFS', 'EISDIR', 'ENOTDIR', 'EEXIST', 'EMFILE', 'ENFILE', 'EIO', 'EDQUOT', 'EBUSY', 'ENAMETOOLONG', 'ELOOP']);

/** Whatever was thrown, as a Failure: an EngineError keeps its kind; a system error is io or not-found. */
export function failureOf(error: unknown): Failure {
  if (error instanceof EngineError) return { ok: false, kind: error.kind, error: error.message, issues: error.issues };
  const message = error instanceof Error ? error.message : String(error);
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  if (code === 'ENOENT') return { ok: false, kind: 'not-found', error: message, issues: [] };
  if (typeof code === 'string' && IO_CODES.has(code)) return { ok: false, kind: 'io', error: message, issues: [] };
  return { ok: false, kind: 'internal', error: message, issues: [] };
}

/** The CLI's exit code for a failure (README, "Exit codes"): 2 when the request can never work, 1 for a failure at run time. */
export function exitCodeOf(kind: FailureKind): 1 | 2 {
  return kind === 'invalid-request' ? 2 : 1;
}
