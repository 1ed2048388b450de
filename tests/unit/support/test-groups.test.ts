// Every test file is in exactly one of the suite's groups (compute, browser, real-time, exclusive): none is left out
// of `npm test`, none runs twice.
import { describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { PACKAGE_ROOT } from '../../support/bci.js';
import { BROWSER, COMPUTE, EXCLUSIVE, GROUPS, REAL_TIME, globToRegExp, inGroup } from '../../test-groups.js';

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'bench' || e.name === 'artifacts' ? [] : testFiles(path);
    return e.name.endsWith('.test.ts') ? [relative(PACKAGE_ROOT, path).split('\\').join('/')] : [];
  });
}

describe('test groups', () => {
  it('puts every test file in exactly one group', () => {
    const files = testFiles(join(PACKAGE_ROOT, 'tests'));
    expect(files.length).toBeGreaterThan(150);
    const groupsOf = (f: string) => Object.entries(GROUPS).filter(([, g]) => inGroup(g, f)).map(([name]) => name);
    expect(files.filter((f) => groupsOf(f).length === 0)).toEqual([]);
    expect(files.filter((f) => groupsOf(f).length > 1).map((f) => `${f}: ${groupsOf(f).join(', ')}`)).toEqual([]);
    expect(inGroup(BROWSER, 'tests/e2e/decoding.test.ts')).toBe(true);
    expect(inGroup(EXCLUSIVE, 'tests/integration/safety/udp-markers.test.ts')).toBe(true);
    expect(inGroup(REAL_TIME, 'tests/integration/safety/udp-markers.test.ts')).toBe(false);
    expect(inGroup(REAL_TIME, 'tests/unit/common/ring-buffer.test.ts')).toBe(true);
    expect(inGroup(COMPUTE, 'tests/integration/convert-matrix.test.ts')).toBe(true);
  });

  it('reads the globs as vitest does: ** any folders (or none), * within a name', () => {
    expect(globToRegExp('tests/unit/**/*.test.ts').test('tests/unit/a.test.ts')).toBe(true);
    expect(globToRegExp('tests/unit/**/*.test.ts').test('tests/unit/a/b/c.test.ts')).toBe(true);
    expect(globToRegExp('tests/integration/*.test.ts').test('tests/integration/cyton/x.test.ts')).toBe(false);
    expect(globToRegExp('tests/integration/convert*.test.ts').test('tests/integration/convert-honest.test.ts')).toBe(true);
  });
});
