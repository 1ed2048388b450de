// The operator's alert rules are site settings: setAlertRules (the app's Alert rules form) saves
// them in the data folder's settings.json, so a new engine (the next session) starts with them; a
// refused change, or one that cannot be saved, changes nothing. getSiteSettings answers the rules
// in force with the folder's requireProtocol.
import { afterEach, describe, expect, it } from 'vitest';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Engine } from '../../../../electron/engine/engine.js';
import { CommandHost } from '../../../../electron/engine/command-host.js';
import { EngineError } from '../../../../electron/common/contract/failure.js';
import { DEFAULT_ALERT_RULES } from '../../../../electron/common/contract/ethics.js';
import { tempDir } from '../../../support/tmp.js';

const engines: Engine[] = [];
const engine = () => {
  const e = new Engine({ statusIntervalMs: 0 });
  engines.push(e);
  return e;
};
afterEach(async () => {
  for (const e of engines.splice(0)) await e.dispose();
});

describe('alert rules as site settings', () => {
  it('saves a change in the folder settings.json; a new engine starts with it', async () => {
    const site = tempDir('bci-rules-');
    const host = new CommandHost(engine());
    expect(await host.handle(undefined, 'getSiteSettings', { dataDir: site })).toMatchObject({ ok: true, result: { dataDir: site, requireProtocol: false, alerts: DEFAULT_ALERT_RULES } });
    expect(await host.handle(undefined, 'setAlertRules', { fatigueMinutes: 20, artefactUv: 120, dataDir: site })).toMatchObject({ ok: true, result: { fatigueMinutes: 20, artefactUv: 120, lossPercent: 1 } });
    const saved = JSON.parse(readFileSync(join(site, 'settings.json'), 'utf8')) as { alerts: Record<string, number> };
    expect(saved.alerts).toMatchObject({ fatigueMinutes: 20, artefactUv: 120 });
    // the next session: a fresh engine reads them from the folder
    expect(engine().getSiteSettings(site).alerts).toMatchObject({ fatigueMinutes: 20, artefactUv: 120 });
    // a refused change says which field and saves nothing
    const refused = await host.handle(undefined, 'setAlertRules', { lossPercent: 200, dataDir: site });
    expect(refused).toMatchObject({ ok: false, kind: 'invalid-request', issues: [{ path: 'lossPercent' }] });
    expect(JSON.parse(readFileSync(join(site, 'settings.json'), 'utf8')).alerts.lossPercent).toBe(1);
    host.dispose();
  });

  it('changes nothing when the folder cannot be written, and says so', () => {
    if (process.getuid?.() === 0) return; // root writes anywhere
    const site = tempDir('bci-rules-ro-');
    writeFileSync(join(site, 'settings.json'), JSON.stringify({ requireProtocol: true }));
    chmodSync(site, 0o500);
    try {
      const e = engine();
      expect(() => e.setAlertRules({ fatigueMinutes: 10, dataDir: site })).toThrow(EngineError);
      expect(() => e.setAlertRules({ fatigueMinutes: 10, dataDir: site })).toThrow(/the alert rules were not changed: cannot save them in/);
      expect(e.getSiteSettings(site)).toMatchObject({ requireProtocol: true, alerts: { fatigueMinutes: 45 } });
    } finally {
      chmodSync(site, 0o700);
    }
  });
});
