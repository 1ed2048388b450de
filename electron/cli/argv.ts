// Command-line arguments before each command parses them.

/**
 * `--duration -5` as `--duration=-5`: a negative number after a flag is that flag's value (Node's
 * parseArgs would otherwise call it an ambiguous option), so the flag's own check can say what is
 * wrong with it.
 */
export function joinNegativeValues(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = argv[i + 1];
    if (/^--[a-z][a-z0-9-]*$/.test(a) && next !== undefined && /^-(\d|\.\d)/.test(next)) {
      out.push(`${a}=${next}`);
      i++;
    } else out.push(a);
  }
  return out;
}
