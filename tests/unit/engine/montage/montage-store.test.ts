// The data folder's montages.json: saved whole and validated, never overwritten without replace,
// found by name in any case, deleted; a damaged file is refused with a sentence naming it.
import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MontageStore } from '../../../../electron/engine/montage/montage-store.js';
import { tempDir } from '../../../support/tmp.js';

const channels = [{ label: 'Fp1', type: 'eeg', position: 'fp1' }, { label: 'HEOG', type: 'eog' }];

describe('MontageStore', () => {
  it('saves, lists, finds, replaces only when asked, and deletes', () => {
    const dir = join(tempDir('bci-montage-'), 'data');
    const store = new MontageStore(dir);
    expect(store.list()).toEqual([]);
    const { montage, replaced } = store.save({ name: 'Lab A', channels }, { nowMs: Date.UTC(2026, 0, 2) });
    expect(replaced).toBe(false);
    expect(montage).toEqual({ name: 'Lab A', channels: [{ label: 'Fp1', type: 'eeg', position: 'Fp1' }, { label: 'HEOG', type: 'eog' }], savedAt: '2026-01-02T00:00:00.000Z' });
    const file = JSON.parse(readFileSync(join(dir, 'montages.json'), 'utf8')) as { format: string; version: number; montages: unknown[] };
    expect(file).toMatchObject({ format: 'bci-workstation-montages', version: 1 });
    expect(file.montages).toHaveLength(1);
    expect(store.get('lab a').name).toBe('Lab A');
    expect(() => store.save({ name: 'LAB A', channels })).toThrow('a montage named "Lab A" already exists in ' + dir + ': save with replace (bci montage save --replace) to overwrite it, or choose another name');
    expect(store.save({ name: 'LAB A', channels: channels.slice(0, 1) }, { replace: true }).replaced).toBe(true);
    expect(store.list().map((m) => [m.name, m.channels.length])).toEqual([['LAB A', 1]]);
    store.save({ name: 'B', channels });
    expect(store.delete('lab a').name).toBe('LAB A');
    expect(store.list().map((m) => m.name)).toEqual(['B']);
    expect(() => store.get('nope')).toThrow(`there is no montage "nope" in ${dir} (saved: B): save it first`);
  });

  it('refuses an invalid montage without writing, and a damaged file with a sentence naming it', () => {
    const dir = tempDir('bci-montage-');
    const store = new MontageStore(dir);
    expect(() => store.save({ name: 'x', channels: [{ label: 'a', type: 'eeg', position: 'Zz9' }] })).toThrow(/channel 1 \(a\): "Zz9" is not a 10-20/);
    expect(store.list()).toEqual([]);
    writeFileSync(join(dir, 'montages.json'), '{"format":"bci-workstation-montages","version":1,"montages":[{"name":"x","channels":[]}]}');
    expect(() => store.list()).toThrow(/montages\.json is damaged \(.*\): repair it or move it aside/);
    writeFileSync(join(dir, 'montages.json'), '{not json');
    expect(() => store.list()).toThrow(/montages\.json is not valid JSON: repair it or move it aside/);
  });
});
