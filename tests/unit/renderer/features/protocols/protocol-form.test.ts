import { describe, expect, it } from 'vitest';
import { EMPTY_PROTOCOL_FIELDS, protocolRefusal, toProtocolInput, type ProtocolFields } from '../../../../../renderer/features/protocols/protocol-form.js';
import { EngineError } from '../../../../../electron/common/contract/failure.js';

const filled: ProtocolFields = {
  ...EMPTY_PROTOCOL_FIELDS,
  id: ' P1 ',
  title: 'Motor imagery study',
  committee: 'Ethics Board A',
  approvalNumber: 'EB-2026-17',
  validFrom: '2026-01-01',
  validTo: '2026-12-31',
  modes: { recording: true, calibration: true, assistive: false },
  maxMinutes: '90',
  notes: '',
};

describe('the add-protocol form', () => {
  it('turns the typed fields into the addProtocol request', () => {
    expect(toProtocolInput(filled)).toEqual({
      ok: true,
      protocol: { id: 'P1', title: 'Motor imagery study', committee: 'Ethics Board A', approvalNumber: 'EB-2026-17', validFrom: '2026-01-01', validTo: '2026-12-31', modes: ['recording', 'calibration'], maxSessionMinutes: 90, notes: '' },
    });
    const noLimit = toProtocolInput({ ...filled, maxMinutes: ' ' });
    expect(noLimit.ok && 'maxSessionMinutes' in noLimit.protocol).toBe(false);
  });

  it('says what is wrong in a sentence on each field at fault', () => {
    const check = toProtocolInput({ ...EMPTY_PROTOCOL_FIELDS, id: 'P 1', validFrom: '2026-02-30', modes: { recording: false, calibration: false, assistive: false }, maxMinutes: 'ninety' });
    expect(check.ok).toBe(false);
    if (check.ok) return;
    expect(check.errors).toEqual({
      id: 'A protocol id is letters, digits, dots, dashes or underscores (up to 64).',
      title: 'Enter the title.',
      committee: 'Enter the ethics committee.',
      approvalNumber: 'Enter the approval number.',
      validFrom: 'Valid-from is not a calendar date.',
      validTo: 'Valid-to must be a date as YYYY-MM-DD.',
      modes: 'Tick at least one mode the approval allows.',
      maxMinutes: 'The maximum session length is minutes from 1 to 1440, or empty for no limit.',
    });
  });

  it('puts a validity that ends before it starts on valid-to', () => {
    const check = toProtocolInput({ ...filled, validFrom: '2026-06-01', validTo: '2026-05-31' });
    expect(check).toEqual({ ok: false, errors: { validTo: 'Valid-from must not be after valid-to.' } });
  });

  it("ties the engine's refusal to its field, or gives one sentence", () => {
    const exists = new EngineError('invalid-request', 'protocol P1 already exists: protocols are never overwritten; retire it and add the renewed approval under a new id', [{ path: 'id', message: 'already exists' }]);
    expect(protocolRefusal(exists)).toEqual({ errors: { id: 'Protocol P1 already exists: protocols are never overwritten; retire it and add the renewed approval under a new id.' }, text: null });
    const schema = new EngineError('invalid-request', 'invalid addProtocol request: protocol.validTo: valid-to is not a calendar date', [{ path: 'protocol.validTo', message: 'valid-to is not a calendar date' }]);
    expect(protocolRefusal(schema).errors).toEqual({ validTo: 'Valid-to is not a calendar date.' });
    expect(protocolRefusal(new EngineError('io', 'cannot write /data/protocols.json'))).toEqual({ errors: {}, text: 'Cannot write /data/protocols.json.' });
  });
});
