// The pre-session checklist, computed by the engine from what it measures: the board streaming at
// its rate, every used electrode's impedance under the threshold (or overridden with a written
// reason), signal quality good on the used channels for 10 s, the mains frequency set, disk space
// for the planned length, and the protocol and consent (the ethics check, as a dry run: it is
// logged when the session really starts).

import { statfsSync } from 'node:fs';
import type { ChecklistItem } from '../../common/contract/checklist.js';
import type { AlertRules, Protocol, SessionMode } from '../../common/contract/ethics.js';
import type { SessionForm } from '../../common/contract/session.js';
import { checkEthics } from '../../common/safety/ethics.js';
import { isAmplifier } from '../boards/driver.js';
import type { Acquisition } from '../acquisition.js';
import type { EngineState } from '../../common/contract/status.js';
import { hostNowMs } from '../acquisition.js';

/** Seconds of good quality the checklist wants. */
export const QUALITY_GOOD_SEC = 10;

export interface ChecklistInput {
  readonly state: EngineState;
  readonly acq: Acquisition | undefined;
  readonly mode: SessionMode;
  readonly session: SessionForm | undefined;
  readonly protocol: Protocol | undefined;
  readonly requireProtocol: boolean;
  readonly rules: AlertRules;
  readonly dataDir: string;
  readonly plannedMinutes: number;
  readonly powerLineHz: 50 | 60 | undefined;
}

function freeMb(folder: string): number | undefined {
  // the data folder may not exist yet: its nearest existing parent holds it
  let dir = folder;
  for (let i = 0; i < 64; i++) {
    try {
      const s = statfsSync(dir);
      return (s.bavail * s.bsize) / 1e6;
    } catch {
      const parent = dir.replace(/[\\/][^\\/]*$/, '');
      if (parent === dir || parent === '') return undefined;
      dir = parent;
    }
  }
  return undefined;
}

export function computeChecklist(input: ChecklistInput): ChecklistItem[] {
  const { acq, rules } = input;
  const items: ChecklistItem[] = [];
  // board
  if (!acq || input.state !== 'streaming') {
    items.push({ id: 'board', ok: false, title: 'Board streaming', detail: acq ? 'the board is connected but not streaming: start it' : 'no board is connected: connect and start one' });
  } else {
    const elapsedSec = (hostNowMs() - acq.startedAtMs) / 1000;
    const nominal = acq.descriptor.sampleRateHz;
    const rate = elapsedSec > 0 ? acq.rowsReceived / elapsedSec : 0;
    const linkDown = acq.link !== null && acq.link.state !== 'connected';
    const ok = !linkDown && elapsedSec >= 2 && Math.abs(rate - nominal) <= 0.05 * nominal;
    items.push({
      id: 'board',
      ok,
      title: 'Board streaming',
      detail: linkDown
        ? `the link to the board is ${acq.link!.state}: check the dongle and the board's power`
        : elapsedSec < 2
          ? 'measuring the rate (2 s)…'
          : ok
            ? `${acq.descriptor.name} at ${rate.toFixed(1)} Hz (nominal ${nominal} Hz)`
            : `the board delivers ${rate.toFixed(1)} Hz of its ${nominal} Hz: check the link`,
    });
  }
  // impedance
  if (!acq) items.push({ id: 'impedance', ok: false, title: 'Electrode impedance', detail: 'no board is connected' });
  else if (!isAmplifier(acq.driver)) items.push({ id: 'impedance', ok: true, title: 'Electrode impedance', detail: `the ${acq.descriptor.name} board has no impedance test` });
  else {
    const used = acq.descriptor.channels.flatMap((c, i) => (c.type === 'eeg' ? [i + 1] : []));
    const readings = acq.impedance ?? [];
    const overridden = new Set(acq.impedanceOverride?.channels ?? []);
    const unmeasured = used.filter((ch) => !readings.some((r) => r.channel === ch) && !overridden.has(ch));
    const over = readings.filter((r) => used.includes(r.channel) && (r.railed || r.impedanceKOhm > rules.impedanceMaxKOhm) && !overridden.has(r.channel));
    const ok = unmeasured.length === 0 && over.length === 0;
    items.push({
      id: 'impedance',
      ok,
      title: 'Electrode impedance',
      detail: !ok
        ? [
            over.length > 0 ? `${over.map((r) => `${r.label} ${r.railed ? 'railed' : `${r.impedanceKOhm.toFixed(0)} kΩ`}`).join(', ')} over ${rules.impedanceMaxKOhm} kΩ: re-prepare, or override with a reason` : '',
            unmeasured.length > 0 ? `measure the impedance (channels ${unmeasured.join(', ')} not measured yet)` : '',
          ]
            .filter((part) => part !== '')
            .join('; ')
        : overridden.size === 0
          ? `every used electrode under ${rules.impedanceMaxKOhm} kΩ`
          : `${used.some((ch) => !overridden.has(ch)) ? `the others under ${rules.impedanceMaxKOhm} kΩ; ` : ''}overridden (channel${overridden.size > 1 ? 's' : ''} ${[...overridden].join(', ')}): ${acq.impedanceOverride!.reason}`,
    });
  }
  // quality
  const goodSec = acq ? acq.goodQualityWindows : 0;
  items.push({
    id: 'quality',
    ok: goodSec >= QUALITY_GOOD_SEC,
    title: 'Signal quality',
    detail: goodSec >= QUALITY_GOOD_SEC ? `no used channel railed, flat or losing samples for ${QUALITY_GOOD_SEC} s` : acq?.quality ? `good for ${goodSec} s of the ${QUALITY_GOOD_SEC} needed: ${acq.qualityProblem ?? 'waiting'}` : `waiting for ${QUALITY_GOOD_SEC} s of signal`,
  });
  // mains
  items.push(input.powerLineHz ? { id: 'mains', ok: true, title: 'Mains frequency', detail: `${input.powerLineHz} Hz` } : { id: 'mains', ok: false, title: 'Mains frequency', detail: 'set the mains frequency (50 or 60 Hz) of this site' });
  // disk
  const free = freeMb(input.dataDir);
  const rate = acq?.descriptor.sampleRateHz ?? 250;
  const channels = (acq?.descriptor.channels.length ?? 8) + 1;
  const needMb = (input.plannedMinutes * 60 * rate * channels * 3) / 1e6 + rules.diskMinMb;
  items.push(
    free === undefined
      ? { id: 'disk', ok: false, title: 'Disk space', detail: `cannot read the free space of ${input.dataDir}` }
      : { id: 'disk', ok: free >= needMb, title: 'Disk space', detail: free >= needMb ? `${(free / 1000).toFixed(1)} GB free for ${input.plannedMinutes} min (${needMb.toFixed(0)} MB with the reserve)` : `${free.toFixed(0)} MB free, ${needMb.toFixed(0)} MB needed for ${input.plannedMinutes} min: free space or choose another folder` },
  );
  // ethics (dry run)
  if (!input.session) items.push({ id: 'ethics', ok: false, title: 'Protocol and consent', detail: 'fill in the session (subject, protocol, consent)' });
  else {
    const s = input.session;
    const check = checkEthics({ mode: input.mode, subject: s.subject, protocolId: s.protocolId.trim(), protocol: input.protocol, consentObtained: s.consentObtained, consentTime: s.consentTime, requireProtocol: input.requireProtocol, nowMs: Date.now() });
    items.push({ id: 'ethics', ok: check.outcome !== 'refused', title: 'Protocol and consent', detail: check.sentence });
  }
  return items;
}
