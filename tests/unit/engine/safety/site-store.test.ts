// The site's protocols and settings in the data folder: add (never overwrite), retire (kept,
// approves nothing), settings merged and validated, a damaged file refused with its name.
import { describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SiteStore } from '../../../../electron/engine/safety/site-store.js';
import { EngineError } from '../../../../electron/common/contract/failure.js';
import { tempDir } from '../../../support/tmp.js';

const protocol = { id: 'P1', title: 'Study', committee: 'Board', approvalNumber: 'A-1', validFrom: '2026-01-01', validTo: '2026-12-31', modes: ['recording'] };

describe('SiteStore', () => {
  it('adds, lists, refuses a duplicate id, retires', () => {
    const store = new SiteStore(join(tempDir(), 'data'));
    expect(store.protocols()).toEqual([]);
    store.addProtocol(protocol);
    expect(() => store.addProtocol(protocol)).toThrow(/protocol P1 already exists/);
    const retired = store.retireProtocol('P1', 'superseded', Date.parse('2026-03-01T00:00:00Z'));
    expect(retired.retiredAt).toBe('2026-03-01T00:00:00.000Z');
    expect(new SiteStore(store.dataDir).protocol('P1')?.retiredReason).toBe('superseded');
    expect(() => store.retireProtocol('P1', undefined, Date.now())).toThrow(/already retired on 2026-03-01/);
    expect(() => store.retireProtocol('P2', undefined, Date.now())).toThrow(/protocol P2 does not exist/);
  });

  it('leaves the protocols file as it was, with a sentence, when the new one cannot be written', () => {
    const store = new SiteStore(tempDir());
    store.addProtocol(protocol);
    const before = readFileSync(join(store.dataDir, 'protocols.json'), 'utf8');
    // the temporary file cannot be made (a folder holds its name), as on a full disk
    mkdirSync(join(store.dataDir, `protocols.json.${process.pid}.tmp`));
    expect(() => store.addProtocol({ ...protocol, id: 'P2' })).toThrow(/protocols\.json could not be written \(.*\): nothing was changed; free some space or choose another data folder/);
    expect(readFileSync(join(store.dataDir, 'protocols.json'), 'utf8')).toBe(before);
    expect(store.protocols().map((p) => p.id)).toEqual(['P1']);
  });

  it('merges settings and keeps the alert defaults', () => {
    const store = new SiteStore(tempDir());
    expect(store.settings().requireProtocol).toBe(false);
    store.updateSettings({ requireProtocol: true });
    store.updateSettings({ alerts: { fatigueMinutes: 30 } });
    const settings = new SiteStore(store.dataDir).settings();
    expect(settings.requireProtocol).toBe(true);
    expect(settings.alerts.fatigueMinutes).toBe(30);
    expect(settings.alerts.artefactUv).toBe(150);
    expect(() => store.updateSettings({ alerts: { lossPercent: 200 } })).toThrow(EngineError);
  });

  it('refuses a damaged protocols file by name instead of half-using it', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'protocols.json'), '{"format":"bci-workstation-protocols","version":1,"protocols":[{"id":"P1"}]}');
    expect(() => new SiteStore(dir).protocols()).toThrow(/protocols\.json is damaged/);
    writeFileSync(join(dir, 'settings.json'), 'not json');
    expect(() => new SiteStore(dir).settings()).toThrow(/settings\.json is not valid JSON/);
  });
});
