#!/usr/bin/env node
// The `bci` command: runs the bundled CLI (dist/ is made by `npm install` / `npm run build`).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = new URL('../dist/cli/bci.mjs', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write('bci: the CLI is not built yet: run `npm run build` in the project folder.\n');
  process.exit(2);
}
await import(entry.href);
