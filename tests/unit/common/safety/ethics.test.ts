// The ethics check: each refusal's one sentence (no protocol where one is needed, unknown,
// retired, expired, not yet valid, wrong mode, no consent, a consent time in the future), and the
// approvals.
import { describe, expect, it } from 'vitest';
import { checkEthics, type EthicsCheckInput } from '../../../../electron/common/safety/ethics.js';
import { protocolSchema, type Protocol } from '../../../../electron/common/contract/ethics.js';

const NOW = Date.parse('2026-06-15T10:00:00Z');
const P1: Protocol = protocolSchema.parse({
  id: 'P1', title: 'Motor imagery study', committee: 'Ethics Board A', approvalNumber: 'EB-2026-17',
  validFrom: '2026-01-01', validTo: '2026-12-31', modes: ['recording', 'calibration'], maxSessionMinutes: 90,
});
const base: EthicsCheckInput = { mode: 'recording', subject: 'S01', protocolId: 'P1', protocol: P1, consentObtained: true, consentTime: '2026-06-15T09:00:00Z', requireProtocol: false, nowMs: NOW };

describe('checkEthics', () => {
  it('approves a current protocol that allows the mode, with consent', () => {
    const check = checkEthics(base);
    expect(check.outcome).toBe('approved');
    expect(check.items.map((i) => i.ok)).toEqual([true, true, true, true]);
    expect(check.approval).toEqual({ committee: 'Ethics Board A', approvalNumber: 'EB-2026-17', validTo: '2026-12-31', maxSessionMinutes: 90 });
  });

  it('lets a bench recording without a protocol through unless the site requires one', () => {
    expect(checkEthics({ ...base, protocolId: '', protocol: undefined, consentObtained: false }).outcome).toBe('not-required');
    const refused = checkEthics({ ...base, protocolId: '', protocol: undefined, requireProtocol: true });
    expect(refused.outcome).toBe('refused');
    expect(refused.sentence).toMatch(/^this site requires an approved protocol for every recording/);
  });

  it('always needs a protocol for calibration and assistive use', () => {
    for (const mode of ['calibration', 'assistive'] as const) {
      const check = checkEthics({ ...base, mode, protocolId: '', protocol: undefined });
      expect(check.outcome).toBe('refused');
      expect(check.sentence).toMatch(new RegExp(`^an? ${mode} session needs an approved protocol`));
      expect(check.sentence.startsWith(mode === 'assistive' ? 'an assistive' : 'a calibration')).toBe(true);
    }
  });

  it('refuses each missing piece with one sentence naming it', () => {
    const cases: [Partial<EthicsCheckInput>, string][] = [
      [{ protocolId: 'P9', protocol: undefined }, 'protocol P9 does not exist in this data folder'],
      [{ protocol: { ...P1, validTo: '2020-01-01', validFrom: '2019-01-01' } }, "protocol P1's approval expired on 2020-01-01"],
      [{ protocol: { ...P1, validFrom: '2027-01-01', validTo: '2027-12-31' } }, "protocol P1's approval is valid only from 2027-01-01"],
      [{ protocol: { ...P1, retiredAt: '2026-05-01T00:00:00.000Z', retiredReason: 'superseded by P2' } }, 'protocol P1 was retired on 2026-05-01 (superseded by P2)'],
      [{ mode: 'assistive' }, 'protocol P1 does not allow assistive sessions (it allows recording and calibration)'],
      [{ consentObtained: false }, 'no consent is recorded for subject S01 under protocol P1'],
      [{ consentTime: '2026-07-01T00:00:00Z' }, 'the consent time 2026-07-01T00:00:00Z for subject S01 is in the future'],
      [{ consentTime: 'yesterday' }, 'the consent time "yesterday" for subject S01 is not a date and time'],
    ];
    for (const [change, sentence] of cases) {
      const check = checkEthics({ ...base, ...change });
      expect(check.outcome, sentence).toBe('refused');
      expect(check.sentence.startsWith(sentence), `${check.sentence} / ${sentence}`).toBe(true);
      expect(check.sentence).not.toMatch(/\n/);
      expect(check.items.at(-1)!.ok).toBe(false);
    }
  });

  it('counts the last day of an approval as valid (dates are whole UTC days)', () => {
    expect(checkEthics({ ...base, nowMs: Date.parse('2026-12-31T23:59:00Z') }).outcome).toBe('approved');
    expect(checkEthics({ ...base, nowMs: Date.parse('2027-01-01T00:00:01Z') }).outcome).toBe('refused');
  });

  it('refuses a protocol whose dates are not calendar dates or run backwards', () => {
    expect(protocolSchema.safeParse({ ...P1, validTo: '2026-02-30' }).success).toBe(false);
    expect(protocolSchema.safeParse({ ...P1, validFrom: '2027-01-01' }).success).toBe(false);
    expect(protocolSchema.safeParse({ ...P1, modes: ['surgery'] }).success).toBe(false);
  });
});
