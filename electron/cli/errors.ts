// Errors the CLI shows as one line (no stack trace): bad arguments and refused requests.

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** One line for the user, whatever was thrown. */
export function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
