// Errors the CLI shows as one line (no stack trace), and the exit code each gets: 2 when the
// request can never work as given (a bad argument, an unknown board), 1 for a failure at run time
// (an unplugged dongle, a full disk). The rule is the contract's `exitCodeOf(kind)`.

import { EngineError, exitCodeOf, failureOf } from '../common/contract/failure.js';

/** A bad argument or flag: an invalid request. */
export class UsageError extends EngineError {
  constructor(message: string) {
    super('invalid-request', message);
  }
}

/** One line for the user, whatever was thrown. */
export function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

/** The exit code for whatever was thrown: parseArgs' own errors are bad arguments too. */
export function exitCodeFor(error: unknown): 1 | 2 {
  if ((error as { code?: unknown } | null)?.code?.toString().startsWith('ERR_PARSE_ARGS')) return 2;
  return exitCodeOf(failureOf(error).kind);
}
