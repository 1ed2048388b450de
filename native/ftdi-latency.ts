// The FTDI USB-serial latency timer on Linux: /sys/bus/usb-serial/devices/<tty>/latency_timer.
// The kernel's default of 16 ms makes the OpenBCI dongle deliver data in 16 ms bursts (4 Cyton
// packets at a time); 1 ms delivers each packet as it arrives. This module reads it, says so
// when it is not 1 ms and how to fix it, and sets it when the process may write the file.
// The sysfs root and the path resolver are injectable so that tests use a fake tree.

import { readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';

export const TARGET_LATENCY_TIMER_MS = 1;

export interface LatencyTimerOptions {
  /** Where sysfs is mounted (default `/sys`). */
  readonly sysfsRoot?: string;
  /** Write TARGET_LATENCY_TIMER_MS when it differs (default true). */
  readonly set?: boolean;
  /** Platform (default process.platform): only Linux has the file. */
  readonly platform?: NodeJS.Platform;
  /** Resolves /dev/serial/by-id/… links to the tty (default fs.realpathSync, falling back to the path). */
  readonly resolvePath?: (path: string) => string;
  /** Writes the file (default fs.writeFileSync); tests make it fail as a non-root user would. */
  readonly writeFile?: (file: string, text: string) => void;
}

export type LatencyTimerStatus =
  | 'ok' // 1 ms already
  | 'set' // was higher, now 1 ms
  | 'high' // higher, and could not be changed (message says how)
  | 'not-ftdi' // no latency_timer for this tty (not an FTDI usb-serial device, or a pty)
  | 'unsupported'; // not Linux

export interface LatencyTimerReport {
  readonly status: LatencyTimerStatus;
  /** The tty name (`ttyUSB0`). */
  readonly tty: string;
  /** The sysfs file consulted. */
  readonly file: string;
  /** The value before any change, in ms. */
  readonly valueMs?: number;
  /** A sentence for the user when there is something to say (status `set` or `high`). */
  readonly message?: string;
}

function defaultResolve(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

/** The sysfs latency_timer file of a serial port path. */
export function latencyTimerFile(portPath: string, options: LatencyTimerOptions = {}): { tty: string; file: string } {
  const tty = basename((options.resolvePath ?? defaultResolve)(portPath));
  return { tty, file: join(options.sysfsRoot ?? '/sys', 'bus', 'usb-serial', 'devices', tty, 'latency_timer') };
}

/** Reads (and, when allowed, fixes) the latency timer of `portPath`. Never throws. */
export function checkLatencyTimer(portPath: string, options: LatencyTimerOptions = {}): LatencyTimerReport {
  const { tty, file } = latencyTimerFile(portPath, options);
  if ((options.platform ?? process.platform) !== 'linux') return { status: 'unsupported', tty, file };
  let valueMs: number;
  try {
    valueMs = Number.parseInt(readFileSync(file, 'utf8').trim(), 10);
  } catch {
    return { status: 'not-ftdi', tty, file };
  }
  if (!Number.isFinite(valueMs)) return { status: 'not-ftdi', tty, file };
  if (valueMs === TARGET_LATENCY_TIMER_MS) return { status: 'ok', tty, file, valueMs };
  const howTo = `echo ${TARGET_LATENCY_TIMER_MS} | sudo tee ${file}`;
  if (options.set ?? true) {
    try {
      (options.writeFile ?? writeFileSync)(file, `${TARGET_LATENCY_TIMER_MS}\n`);
      const now = Number.parseInt(readFileSync(file, 'utf8').trim(), 10);
      if (now === TARGET_LATENCY_TIMER_MS) {
        return {
          status: 'set',
          tty,
          file,
          valueMs,
          message: `the FTDI latency timer of ${tty} was ${valueMs} ms; set it to ${TARGET_LATENCY_TIMER_MS} ms`,
        };
      }
    } catch (error) {
      const reason = error instanceof Error && 'code' in error ? ` (${String((error as NodeJS.ErrnoException).code)})` : '';
      return {
        status: 'high',
        tty,
        file,
        valueMs,
        message:
          `the FTDI latency timer of ${tty} is ${valueMs} ms, so data arrives in ${valueMs} ms bursts; ` +
          `could not set it to ${TARGET_LATENCY_TIMER_MS} ms${reason}: run \`${howTo}\``,
      };
    }
  }
  return {
    status: 'high',
    tty,
    file,
    valueMs,
    message: `the FTDI latency timer of ${tty} is ${valueMs} ms, so data arrives in ${valueMs} ms bursts; set it to ${TARGET_LATENCY_TIMER_MS} ms: \`${howTo}\``,
  };
}
