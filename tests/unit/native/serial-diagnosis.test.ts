// Serial open errors (native/serial-diagnosis): what the binding says becomes what to do.
import { describe, expect, it } from 'vitest';
import { classifySerialOpenError, diagnoseSerialOpenError } from '../../../native/serial-diagnosis.js';

describe('serial open errors (native/serial-diagnosis)', () => {
  it('turns binding errors into messages that say what to do', () => {
    const perm = diagnoseSerialOpenError(new Error('Error: Permission denied, cannot open /dev/ttyUSB0'), '/dev/ttyUSB0', { platform: 'linux', deviceGroup: 'dialout' });
    expect(perm).toEqual({
      problem: 'permission',
      message: 'permission denied on /dev/ttyUSB0: add your user to the dialout group: sudo usermod -aG dialout $USER, then log in again',
    });
    const arch = diagnoseSerialOpenError(new Error('Error: Permission denied, cannot open /dev/ttyUSB0'), '/dev/ttyUSB0', { platform: 'linux', deviceGroup: 'uucp' });
    expect(arch.message).toContain('sudo usermod -aG uucp $USER');
    const busy = diagnoseSerialOpenError(new Error('Error Resource temporarily unavailable Cannot lock port'), '/dev/ttyUSB0', { platform: 'linux' });
    expect(busy.problem).toBe('busy');
    expect(busy.message).toMatch(/busy: another program has it open/);
    expect(classifySerialOpenError(new Error('Opening COM3: Access denied'))).toBe('busy');
    const missing = diagnoseSerialOpenError(new Error('Error: No such file or directory, cannot open /dev/ttyUSB9'), '/dev/ttyUSB9', { platform: 'linux' });
    expect(missing.message).toBe('no such port /dev/ttyUSB9: is the dongle plugged in? `bci boards` lists the ports found');
    const mac = diagnoseSerialOpenError(new Error('Error: No such file or directory'), '/dev/tty.usbserial-X', { platform: 'darwin' });
    expect(mac.message).toContain('use /dev/cu.usbserial-X');
    expect(diagnoseSerialOpenError(new Error('weird'), '/dev/x').problem).toBe('other');
  });
});
