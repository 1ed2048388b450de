// What went wrong opening a serial port, in words that say what to do. The serialport binding
// reports failures as text ("Error: Permission denied, cannot open /dev/ttyUSB0", "Error Resource
// temporarily unavailable Cannot lock port", …); this turns them into one of a few kinds, and on
// Linux looks at the device's group to name the group the user must join.

import { readFileSync, statSync } from 'node:fs';

export type SerialOpenProblem = 'permission' | 'busy' | 'missing' | 'other';

export interface SerialOpenDiagnosis {
  readonly problem: SerialOpenProblem;
  readonly message: string;
}

export interface DiagnosisOptions {
  readonly platform?: NodeJS.Platform;
  /** The group owning the device (default: looked up from the device node and /etc/group). */
  readonly deviceGroup?: string;
}

function errorText(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code ? `${error.message} ${code}` : error.message;
  }
  return String(error);
}

/** The name of the group owning `path` (Linux), or undefined. */
export function deviceGroupName(path: string, groupFile = '/etc/group'): string | undefined {
  try {
    const gid = statSync(path).gid;
    for (const line of readFileSync(groupFile, 'utf8').split('\n')) {
      const [name, , id] = line.split(':');
      if (id !== undefined && Number(id) === gid) return name;
    }
  } catch {
    // no device, or no group file: fall back to the usual name
  }
  return undefined;
}

export function classifySerialOpenError(error: unknown): SerialOpenProblem {
  const text = errorText(error);
  if (/permission denied|EACCES|EPERM|operation not permitted/i.test(text)) return 'permission';
  if (/cannot lock port|resource temporarily unavailable|EAGAIN|EWOULDBLOCK|EBUSY|device or resource busy|access denied|in use/i.test(text)) return 'busy';
  if (/no such file|ENOENT|ENODEV|no such device|file not found|cannot find the file/i.test(text)) return 'missing';
  return 'other';
}

/** A message that says what happened on `path` and what to do about it. */
export function diagnoseSerialOpenError(error: unknown, path: string, options: DiagnosisOptions = {}): SerialOpenDiagnosis {
  const platform = options.platform ?? process.platform;
  const problem = classifySerialOpenError(error);
  const detail = errorText(error);
  switch (problem) {
    case 'permission': {
      if (platform === 'linux') {
        const group = options.deviceGroup ?? deviceGroupName(path) ?? 'dialout';
        return {
          problem,
          message:
            `permission denied on ${path}: add your user to the ${group} group: ` +
            `sudo usermod -aG ${group} $USER, then log in again`,
        };
      }
      return { problem, message: `permission denied on ${path}: this user may not open the port (${detail})` };
    }
    case 'busy':
      return {
        problem,
        message:
          `${path} is busy: another program has it open (the OpenBCI GUI, a BrainFlow session, ` +
          `screen or minicom, ModemManager): close it and try again`,
      };
    case 'missing': {
      const hint = platform === 'darwin' && path.startsWith('/dev/tty.') ? ` (on macOS use ${path.replace('/dev/tty.', '/dev/cu.')})` : '';
      return { problem, message: `no such port ${path}${hint}: is the dongle plugged in? \`bci boards\` lists the ports found` };
    }
    default:
      return { problem, message: `cannot open ${path}: ${detail}` };
  }
}
