// The suite's dependency check: in CI every missing tool fails the run by name; locally a warning.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { checkDependencies, missingDependencies } from '../../support/dependencies.js';

// a python that is not there: the check names it, and the test does not wait for torch to import
const NO_PYTHON = '/nonexistent/python3';
const saved = { PATH: process.env.PATH, BCI_CHROMIUM: process.env.BCI_CHROMIUM };
afterEach(() => {
  process.env.PATH = saved.PATH;
  if (saved.BCI_CHROMIUM === undefined) delete process.env.BCI_CHROMIUM;
  else process.env.BCI_CHROMIUM = saved.BCI_CHROMIUM;
  vi.restoreAllMocks();
});

describe('the test dependency check', () => {
  it('names every missing tool, and in CI fails with all of them', () => {
    process.env.PATH = '/nonexistent';
    process.env.BCI_CHROMIUM = '/nonexistent/chromium';
    const missing = missingDependencies(NO_PYTHON);
    expect(missing).toContain('python3 (/nonexistent/python3; Debian python3)');
    expect(missing.some((m) => m.startsWith('chromium (/nonexistent/chromium'))).toBe(true);
    expect(missing.some((m) => m.startsWith('socat'))).toBe(true);
    expect(missing.some((m) => m.startsWith('a C compiler'))).toBe(true);
    // the reference data beside the package (a clone elsewhere has none)
    expect(missing.some((m) => m.startsWith('the reference data folder'))).toBe(false);
    expect(missingDependencies(NO_PYTHON, '/nonexistent/shared')).toContain('the reference data folder /nonexistent/shared/data (the repository\'s clone goes beside ../shared)');
    expect(() => checkDependencies({ CI: 'true' }, NO_PYTHON)).toThrow(/needs what is missing here[\s\S]*chromium[\s\S]*socat[\s\S]*C compiler/);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    expect(() => checkDependencies({}, NO_PYTHON)).not.toThrow();
    expect(warn.mock.calls[0][0]).toMatch(/SKIPPED[\s\S]*socat/);
  });
});
