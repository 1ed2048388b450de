import { describe, expect, it } from 'vitest';
import type { Protocol } from '../../../../electron/common/contract/ethics.js';
import { protocolChoices, protocolState, protocolStateText, protocolUseRefusal, protocolWarnings } from '../../../../renderer/ui/protocol-choices.js';

const NOW = Date.parse('2026-06-15T10:00:00Z');
const base = { committee: 'Board A', approvalNumber: 'EB-1', notes: '' };
const P1: Protocol = { ...base, id: 'P1', title: 'Recording only', validFrom: '2026-01-01', validTo: '2026-12-31', modes: ['recording'] };
const P2: Protocol = { ...base, id: 'P2', title: 'Calibration', validFrom: '2026-01-01', validTo: '2026-06-15', modes: ['recording', 'calibration'] };
const OLD: Protocol = { ...base, id: 'OLD', title: 'Old study', validFrom: '2019-01-01', validTo: '2020-01-01', modes: ['recording'] };
const SOON: Protocol = { ...base, id: 'SOON', title: 'Next study', validFrom: '2027-01-01', validTo: '2027-12-31', modes: ['recording'] };
const GONE: Protocol = { ...base, id: 'GONE', title: 'Retired', validFrom: '2026-01-01', validTo: '2026-12-31', modes: ['recording'], retiredAt: '2026-03-01T08:00:00.000Z', retiredReason: 'superseded by P2' };

describe('protocol state and use', () => {
  it('says where each protocol stands today (the last day of validity included)', () => {
    expect([P1, P2, OLD, SOON, GONE].map((p) => protocolState(p, NOW))).toEqual(['current', 'current', 'expired', 'not-yet-valid', 'retired']);
    expect([OLD, SOON, GONE].map((p) => protocolStateText(p, NOW))).toEqual(['expired 2020-01-01', 'valid from 2027-01-01', 'retired 2026-03-01: superseded by P2']);
  });

  it("refuses a use in the engine's own sentence", () => {
    expect(protocolUseRefusal(P1, 'recording', NOW)).toBeNull();
    expect(protocolUseRefusal(P1, 'calibration', NOW)).toBe('protocol P1 does not allow calibration sessions (it allows recording)');
    expect(protocolUseRefusal(OLD, 'recording', NOW)).toBe("protocol OLD's approval expired on 2020-01-01: renew it with the committee (Board A) and add the new approval");
  });
});

describe("the session form's protocol picker", () => {
  it('offers none (unless required), the current protocols, then the unusable ones disabled with why', () => {
    expect(protocolChoices([OLD, P1, GONE, P2], 'P1', false, NOW)).toEqual([
      { value: '', label: 'none (plain recordings only)', disabled: false },
      { value: 'P1', label: 'P1: Recording only (recording)', disabled: false },
      { value: 'P2', label: 'P2: Calibration (recording, calibration)', disabled: false },
      { value: 'OLD', label: 'OLD: Old study (expired 2020-01-01)', disabled: true },
      { value: 'GONE', label: 'GONE: Retired (retired 2026-03-01: superseded by P2)', disabled: true },
    ]);
    expect(protocolChoices([], '', true, NOW)[0]).toEqual({ value: '', label: 'none (this site requires a protocol)', disabled: true });
    // a remembered id this folder does not have is kept, not silently changed
    expect(protocolChoices([P1], 'P9', false, NOW).at(-1)).toEqual({ value: 'P9', label: 'P9 (not in this data folder)', disabled: true });
  });

  it('warns under the chosen protocol what the form would be refused for', () => {
    expect(protocolWarnings([P1, P2], '', NOW)).toEqual([]);
    expect(protocolWarnings([P1, P2], 'P2', NOW)).toEqual([]);
    expect(protocolWarnings([P1, P2], 'P1', NOW)).toEqual(['protocol P1 does not allow calibration sessions (it allows recording)']);
    expect(protocolWarnings([OLD], 'OLD', NOW)).toHaveLength(1);
    expect(protocolWarnings([P1], 'P9', NOW)).toEqual(['protocol P9 does not exist in this data folder: add it in the Protocols panel or choose another']);
  });
});
