// `npm test`'s first step: the type check (tsc -b, per layer) and the lint (layer and feature
// rules) side by side, one per core; fails, naming which, if either fails.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const bin = (path) => fileURLToPath(new URL(`../node_modules/${path}`, import.meta.url));
const checks = [
  ['type check', [bin('typescript/bin/tsc'), '-b']],
  ['lint', [bin('eslint/bin/eslint.js'), '-c', 'build/eslint.config.js', '.']],
];

const results = await Promise.all(
  checks.map(
    ([name, args]) =>
      new Promise((resolve) => {
        const child = spawn(process.execPath, args, { stdio: 'inherit' });
        child.on('close', (code) => resolve({ name, code: code ?? 1 }));
        child.on('error', (error) => {
          process.stderr.write(`${name}: ${error.message}\n`);
          resolve({ name, code: 1 });
        });
      }),
  ),
);
const failed = results.filter((r) => r.code !== 0).map((r) => r.name);
if (failed.length > 0) {
  process.stderr.write(`${failed.join(' and ')} failed\n`);
  process.exit(1);
}
