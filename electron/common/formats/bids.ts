// BIDS-EEG naming and sidecars (sub-<label>[_ses-<label>]_task-<label>[_run-<index>]_eeg.<ext>,
// *_eeg.json, *_channels.tsv, *_events.tsv), as text, for the recorder to write beside the data.

import type { BoardDescriptor } from '../boards/descriptor.js';
import { channelPosition, sphericalPositionMm } from '../boards/montage.js';
import type { SessionForm } from '../contract/session.js';

export function bidsStem(s: SessionForm, run: number): string {
  return `sub-${s.subject}_ses-${s.session}_task-${s.task}_run-${String(run).padStart(2, '0')}`;
}

/** Relative folder of a BIDS recording: sub-X/ses-Y/eeg. */
export function bidsFolder(s: SessionForm): string {
  return `sub-${s.subject}/ses-${s.session}/eeg`;
}

function tsvCell(value: string | number): string {
  const text = typeof value === 'number' ? (Number.isFinite(value) ? String(Number(value.toFixed(6))) : 'n/a') : value;
  return text.replace(/[\t\r\n]/g, ' ') || 'n/a';
}

export function channelsTsv(board: BoardDescriptor, statusOf: (channel: number) => 'good' | 'bad' = () => 'good'): string {
  const units: Record<string, string> = { uV: 'µV', mV: 'mV', V: 'V', g: 'g', counts: 'n/a' };
  const types: Record<string, string> = { eeg: 'EEG', emg: 'EMG', ecg: 'ECG', eog: 'EOG', accel: 'ACCEL', aux: 'MISC' };
  const lines = ['name\ttype\tunits\tsampling_frequency\tstatus'];
  board.channels.forEach((c, i) => lines.push([c.label, types[c.type] ?? 'MISC', units[c.unit] ?? c.unit, board.sampleRateHz, statusOf(i)].map(tsvCell).join('\t')));
  return lines.join('\n') + '\n';
}

/** Head radius of the spherical model electrodes.tsv places positions on (mm; as the LSL outlets). */
export const ELECTRODE_HEAD_RADIUS_MM = 85;

/**
 * BIDS electrodes.tsv for the channels with a 10-20 / 10-10 position (an applied montage's, else a
 * label that is one): name (the channel's label), x, y, z in mm on a spherical head model.
 * Null when no channel has a position.
 */
export function electrodesTsv(board: BoardDescriptor): string | null {
  const lines = ['name\tx\ty\tz'];
  for (const c of board.channels) {
    const place = channelPosition(c);
    if (!place) continue;
    const p = sphericalPositionMm(place, ELECTRODE_HEAD_RADIUS_MM);
    lines.push([c.label, Number(p.x.toFixed(1)), Number(p.y.toFixed(1)), Number(p.z.toFixed(1))].map(tsvCell).join('\t'));
  }
  return lines.length > 1 ? lines.join('\n') + '\n' : null;
}

/** The coordsystem.json that goes with electrodesTsv: what its x, y, z mean. */
export function coordsystemJson(): string {
  const json = {
    EEGCoordinateSystem: 'Other',
    EEGCoordinateUnits: 'mm',
    EEGCoordinateSystemDescription: `Template positions from the 10-20 / 10-10 names on a spherical head of radius ${ELECTRODE_HEAD_RADIUS_MM} mm: origin at its centre, X towards the right ear, Y towards the nasion, Z up through Cz. Not digitised.`,
  };
  return JSON.stringify(json, null, 2) + '\n';
}

export interface BidsEvent {
  readonly onsetSec: number;
  readonly durationSec: number;
  readonly trialType: string;
  readonly value: string;
  readonly sample: number;
}

export function eventsTsv(events: readonly BidsEvent[]): string {
  const lines = ['onset\tduration\ttrial_type\tvalue\tsample'];
  for (const e of [...events].sort((a, b) => a.onsetSec - b.onsetSec)) {
    lines.push([e.onsetSec, e.durationSec, e.trialType, e.value, e.sample].map(tsvCell).join('\t'));
  }
  return lines.join('\n') + '\n';
}

export interface EegJsonInput {
  readonly session: SessionForm;
  readonly board: BoardDescriptor;
  readonly powerLineHz: number;
  readonly softwareFilters: string;
  readonly recordingDurationSec: number;
  readonly manufacturer: string;
}

export function eegJson(input: EegJsonInput): string {
  const count = (type: string) => input.board.channels.filter((c) => c.type === type).length;
  const json = {
    TaskName: input.session.task,
    SamplingFrequency: input.board.sampleRateHz,
    PowerLineFrequency: input.powerLineHz,
    EEGReference: 'SRB (common reference electrode)',
    // what the file holds is the raw signal; the live pipeline's filters are only for display
    SoftwareFilters: input.softwareFilters === 'none' ? 'n/a' : { LiveDisplayPipeline: { Description: `applied to the display only, not to this file: ${input.softwareFilters}` } },
    Manufacturer: input.manufacturer,
    ManufacturersModelName: input.board.name,
    SoftwareVersions: 'BCI Workstation 0.1.0',
    RecordingDuration: Number(input.recordingDurationSec.toFixed(3)),
    RecordingType: 'continuous',
    EEGChannelCount: count('eeg'),
    EOGChannelCount: count('eog'),
    ECGChannelCount: count('ecg'),
    EMGChannelCount: count('emg'),
    MiscChannelCount: input.board.channels.length - count('eeg') - count('eog') - count('ecg') - count('emg'),
    EEGPlacementScheme: input.session.montage || '10-20',
    InstitutionName: 'n/a',
  };
  return JSON.stringify(json, null, 2) + '\n';
}

/**
 * Reads an events.tsv (BIDS columns onset, duration, and value or trial_type): the events beside a
 * CSV export. Rows without a numeric onset are skipped; a duration of n/a is 0.
 */
export function parseEventsTsv(text: string): { onsetSec: number; durationSec: number; label: string }[] {
  const [head, ...lines] = text.split(/\r?\n/);
  const names = (head ?? '').split('\t').map((n) => n.trim().toLowerCase());
  const onset = names.indexOf('onset');
  const duration = names.indexOf('duration');
  const value = names.indexOf('value') >= 0 ? names.indexOf('value') : names.indexOf('trial_type');
  if (onset < 0) return [];
  const events: { onsetSec: number; durationSec: number; label: string }[] = [];
  for (const line of lines) {
    if (line.trim() === '') continue;
    const cells = line.split('\t');
    const onsetSec = Number(cells[onset]);
    if (!Number.isFinite(onsetSec) || cells[onset].trim() === '') continue;
    const d = duration >= 0 ? Number(cells[duration]) : 0;
    events.push({ onsetSec, durationSec: Number.isFinite(d) && d > 0 ? d : 0, label: value >= 0 ? (cells[value] ?? '').trim() : '' });
  }
  return events;
}
