// The amplifier's settings and impedance, for a connected board whose capabilities have them
// (amplifierSettings, impedance; the Cyton today): the channel
// settings the board confirmed (the power-on defaults are assumed until the board confirms a
// change or a reset), Apply / Reset / register dump, and lead-off impedance measurements. The
// commands go to the engine here; the panels only show and ask.

import { useCallback, useEffect, useRef, useState } from 'react';
import type { EngineClient } from '../../client/engine-client.js';
import type { BoardDescriptor } from '../../../electron/common/boards/descriptor.js';
import type { BoardCapabilities } from '../../../electron/common/contract/board-options.js';
import type { EngineState } from '../../../electron/common/contract/status.js';
import { amplifierChannelCount, defaultSettings, diffSettings, mergeConfirmed, readSettings, type ChannelSetting } from './amplifier-settings.js';
import { expectedMeasureSec, mergeReadings, readReadings, type ImpedanceEntry } from './impedance-view.js';
import { errorText } from '../../ui/format.js';

export interface ImpedanceRun {
  readonly channels: readonly number[];
  readonly startedAtMs: number;
  readonly expectedSec: number;
}

export interface Amplifier {
  /** The connected board has channel settings (capabilities.amplifierSettings): the settings panel shows. */
  readonly available: boolean;
  /** The connected board measures impedance (capabilities.impedance): the impedance panel shows. */
  readonly impedanceAvailable: boolean;
  readonly labels: readonly string[];
  readonly confirmed: readonly ChannelSetting[];
  /** Per channel: the board confirmed this setting (else the power-on defaults are assumed). */
  readonly fromBoard: readonly boolean[];
  readonly settingsBusy: boolean;
  readonly settingsError: string | null;
  readonly dump: string | null;
  readonly apply: (draft: readonly ChannelSetting[]) => void;
  readonly reset: () => void;
  readonly readDump: () => void;
  readonly closeDump: () => void;
  readonly readings: readonly ImpedanceEntry[];
  readonly measuring: ImpedanceRun | null;
  readonly impedanceError: string | null;
  /** All channels when `channel` is undefined, else that 1-based channel. */
  readonly measure: (channel?: number) => void;
}

/** `capabilities`: the connected board's (from its BoardInfo), or null when none is connected or it is not listed. */
export function useAmplifier(client: EngineClient, descriptor: BoardDescriptor | null, capabilities: BoardCapabilities | null, state: EngineState, onSettingsChanged: () => void): Amplifier {
  const connected = state !== 'idle' && descriptor !== null;
  const available = connected && capabilities?.amplifierSettings === true;
  const impedanceAvailable = connected && capabilities?.impedance === true;
  const used = available || impedanceAvailable;
  const channelCount = used ? amplifierChannelCount(descriptor) : 0;
  const labelKey = descriptor && used ? descriptor.channels.filter((c) => c.type === 'eeg').map((c) => c.label).join('\u0000') : '';
  const [labels, setLabels] = useState<readonly string[]>([]);
  const [confirmed, setConfirmed] = useState<readonly ChannelSetting[]>([]);
  const [fromBoard, setFromBoard] = useState<readonly boolean[]>([]);
  const [settingsBusy, setSettingsBusy] = useState(false);
  const [settingsError, setSettingsError] = useState<string | null>(null);
  const [dump, setDump] = useState<string | null>(null);
  const [readings, setReadings] = useState<readonly ImpedanceEntry[]>([]);
  const [measuring, setMeasuring] = useState<ImpedanceRun | null>(null);
  const [impedanceError, setImpedanceError] = useState<string | null>(null);
  const confirmedRef = useRef(confirmed);
  confirmedRef.current = confirmed;
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  // a new board (or none): the defaults it starts with, no readings
  useEffect(() => {
    setLabels(labelKey ? labelKey.split('\u0000') : []);
    setConfirmed(defaultSettings(channelCount));
    setFromBoard(new Array<boolean>(channelCount).fill(false));
    setReadings([]);
    setSettingsError(null);
    setImpedanceError(null);
  }, [labelKey, channelCount]);

  const apply = useCallback(
    (draft: readonly ChannelSetting[]) => {
      const changes = diffSettings(confirmedRef.current, draft);
      if (changes.length === 0) return;
      setSettingsBusy(true);
      client
        .invoke('setChannels', { changes })
        .then(
          (result) => {
            if (!mounted.current) return;
            const answer = readSettings(result.settings);
            if (!answer) throw new Error('the engine answered setChannels with something that is not channel settings');
            setConfirmed((c) => mergeConfirmed(c, changes, answer));
            setFromBoard((f) => f.map((v, i) => v || changes.some((ch) => ch.channel === i + 1)));
            setSettingsError(null);
            onSettingsChanged();
          },
          (e: unknown) => mounted.current && setSettingsError(errorText(e)),
        )
        .catch((e: unknown) => mounted.current && setSettingsError(errorText(e)))
        .finally(() => mounted.current && setSettingsBusy(false));
    },
    [client, onSettingsChanged],
  );

  const reset = useCallback(() => {
    setSettingsBusy(true);
    client
      .invoke('resetChannels')
      .then(
        (result) => {
          if (!mounted.current) return;
          const answer = readSettings(result.settings);
          if (answer) {
            setConfirmed(answer);
            setFromBoard(answer.map(() => true));
          }
          setSettingsError(null);
          onSettingsChanged();
        },
        (e: unknown) => mounted.current && setSettingsError(errorText(e)),
      )
      .finally(() => mounted.current && setSettingsBusy(false));
  }, [client, onSettingsChanged]);

  const readDump = useCallback(() => {
    setSettingsBusy(true);
    client
      .invoke('registerDump')
      .then(
        (result) => mounted.current && setDump(result.dump || '(the board sent an empty reply)'),
        (e: unknown) => mounted.current && setSettingsError(errorText(e)),
      )
      .finally(() => mounted.current && setSettingsBusy(false));
  }, [client]);
  const closeDump = useCallback(() => setDump(null), []);

  const measure = useCallback(
    (channel?: number) => {
      const channels = channel === undefined ? Array.from({ length: confirmedRef.current.length }, (_, i) => i + 1) : [channel];
      setMeasuring({ channels, startedAtMs: Date.now(), expectedSec: expectedMeasureSec(channels.length) });
      setImpedanceError(null);
      client
        .invoke('measureImpedance', channel === undefined ? {} : { channels: [channel] })
        .then(
          (result) => mounted.current && setReadings((r) => mergeReadings(r, readReadings(result.readings, Date.now()))),
          (e: unknown) => mounted.current && setImpedanceError(errorText(e)),
        )
        .finally(() => mounted.current && setMeasuring(null));
    },
    [client],
  );

  return { available, impedanceAvailable, labels, confirmed, fromBoard, settingsBusy, settingsError, dump, apply, reset, readDump, closeDump, readings, measuring, impedanceError, measure };
}
