// What a Cyton must be told after a reconnection, pure. A board that was power-cycled (or whose
// dongle was unplugged) runs its defaults again: this module turns the state the driver wants
// (channel settings, a detached Daisy, the lead-off currents of an impedance test) into the text
// commands that put it back. The driver sends them in order with the stream stopped.

import {
  CYTON_CMD_DAISY_OFF,
  CYTON_DEFAULT_CHANNEL,
  channelSettingsCommand,
  impedanceCommand,
  type CytonChannelSettings,
} from './cyton-protocol.js';

/** The state a Cyton should be in, as the driver knows it. */
export interface CytonRestoreState {
  /** Channels 1..N as the board confirmed them. */
  readonly settings: readonly CytonChannelSettings[];
  /** The Daisy answered but the driver reads 8 channels: it was detached (`c`). */
  readonly daisyDetached: boolean;
  /** 1-based channels whose lead-off current may still be on (switched off again). */
  readonly leadOffDirty: Iterable<number>;
  /** The 1-based channel under the impedance test (its lead-off current switched on again). */
  readonly leadOffChannel?: number;
}

/** Whether two channel settings are the same in every field. */
export function sameChannelSettings(a: CytonChannelSettings, b: CytonChannelSettings): boolean {
  return a.powerOn === b.powerOn && a.gain === b.gain && a.input === b.input && a.bias === b.bias && a.srb2 === b.srb2 && a.srb1 === b.srb1;
}

/**
 * The commands that restore `state` on a board running its defaults, in order: detach the Daisy,
 * the channel settings that differ from the defaults, lead-off currents off (channels left dirty),
 * then the lead-off current of the channel under test on. Empty when the defaults are the state.
 */
export function restoreCommands(state: CytonRestoreState): string[] {
  const commands: string[] = [];
  if (state.daisyDetached) commands.push(CYTON_CMD_DAISY_OFF);
  state.settings.forEach((s, i) => {
    if (!sameChannelSettings(s, CYTON_DEFAULT_CHANNEL)) commands.push(channelSettingsCommand(i + 1, s));
  });
  for (const c of state.leadOffDirty) if (c !== state.leadOffChannel) commands.push(impedanceCommand(c, false, false));
  if (state.leadOffChannel !== undefined) commands.push(impedanceCommand(state.leadOffChannel, false, true));
  return commands;
}
