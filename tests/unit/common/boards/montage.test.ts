// Default montages by channel count and the scalp geometry used for spatial mixing.
import { describe, expect, it } from 'vitest';
import {
  MONTAGE_16,
  MONTAGE_32,
  MONTAGE_64,
  MONTAGE_8,
  electrodePosition,
  electrodeRegion,
  montageLabels,
} from '../../../../electron/common/boards/montage.js';

describe('montageLabels', () => {
  it('gives the OpenBCI Cyton default for 8 channels', () => {
    expect(montageLabels(8)).toEqual(['Fp1', 'Fp2', 'C3', 'C4', 'P7', 'P8', 'O1', 'O2']);
  });

  it('gives the Cyton + Daisy default for 16 channels', () => {
    expect(montageLabels(16)).toEqual([
      'Fp1', 'Fp2', 'C3', 'C4', 'P7', 'P8', 'O1', 'O2', 'F7', 'F8', 'F3', 'F4', 'T7', 'T8', 'P3', 'P4',
    ]);
  });

  it('gives a 32-channel 10-10 set that extends the 16', () => {
    const labels = montageLabels(32);
    expect(labels).toHaveLength(32);
    expect(labels.slice(0, 16)).toEqual(montageLabels(16));
    expect(new Set(labels).size).toBe(32);
    for (const label of ['Fz', 'Cz', 'Pz', 'Oz', 'FC1', 'FC2', 'CP5', 'CP6', 'AF3', 'PO4']) expect(labels).toContain(label);
  });

  it('gives the PhysioNet EEG Motor Movement/Imagery order for 64 channels', () => {
    const physionet =
      'Fc5 Fc3 Fc1 Fcz Fc2 Fc4 Fc6 C5 C3 C1 Cz C2 C4 C6 Cp5 Cp3 Cp1 Cpz Cp2 Cp4 Cp6 Fp1 Fpz Fp2 Af7 Af3 Afz Af4 Af8 ' +
      'F7 F5 F3 F1 Fz F2 F4 F6 F8 Ft7 Ft8 T7 T8 T9 T10 Tp7 Tp8 P7 P5 P3 P1 Pz P2 P4 P6 P8 Po7 Po3 Poz Po4 Po8 O1 Oz O2 Iz';
    const labels = montageLabels(64);
    expect(labels.map((l) => l.toLowerCase())).toEqual(physionet.toLowerCase().split(' '));
    expect(labels.slice(0, 4)).toEqual(['FC5', 'FC3', 'FC1', 'FCz']);
    expect(labels).toContain('AF7');
    expect(labels).toContain('Fpz');
    expect(labels).toContain('POz');
    expect(labels).toContain('TP8');
    expect(new Set(labels).size).toBe(64);
  });

  it('truncates the smallest set that covers other counts', () => {
    expect(montageLabels(1)).toEqual(['Fp1']);
    expect(montageLabels(4)).toEqual(MONTAGE_8.slice(0, 4));
    expect(montageLabels(9)).toEqual(MONTAGE_16.slice(0, 9));
    expect(montageLabels(24)).toEqual(MONTAGE_32.slice(0, 24));
    expect(montageLabels(40)).toEqual(MONTAGE_64.slice(0, 40));
    for (let n = 1; n <= 64; n++) expect(new Set(montageLabels(n)).size).toBe(n);
  });

  it('returns a fresh array and rejects counts outside 1..64', () => {
    const a = montageLabels(8);
    a[0] = 'X';
    expect(montageLabels(8)[0]).toBe('Fp1');
    for (const bad of [0, 65, 2.5, -1, Number.NaN]) {
      expect(() => montageLabels(bad)).toThrow(RangeError);
    }
    expect(() => montageLabels(65)).toThrow('channel count must be an integer from 1 to 64 (got 65)');
  });
});

describe('electrode geometry', () => {
  it('places every default label on the map', () => {
    for (const label of [...MONTAGE_32, ...MONTAGE_64]) expect(electrodePosition(label), label).toBeDefined();
  });

  it('puts left sites left, right sites right, front at the front', () => {
    const c3 = electrodePosition('C3')!;
    const c4 = electrodePosition('C4')!;
    expect(c3.x).toBeCloseTo(-36, 5);
    expect(c3.y).toBeCloseTo(0, 5);
    expect(c4.x).toBeCloseTo(36, 5);
    expect(electrodePosition('Cz')).toEqual({ x: 0, y: 0 });
    expect(electrodePosition('Fpz')!.y).toBeCloseTo(72, 5);
    expect(electrodePosition('Oz')!.y).toBeCloseTo(-72, 5);
    expect(electrodePosition('T7')!.x).toBeCloseTo(-72, 5);
    expect(electrodePosition('T9')!.x).toBeCloseTo(-90, 5);
    expect(electrodePosition('Iz')!.y).toBeCloseTo(-90, 5);
    expect(electrodePosition('fp1')).toEqual(electrodePosition('Fp1'));
    expect(electrodePosition('T3')).toEqual(electrodePosition('T7'));
    expect(electrodePosition('T5')).toEqual(electrodePosition('P7'));
  });

  it('classifies regions', () => {
    for (const label of ['Fp1', 'Fp2', 'Fpz', 'AF7', 'F7', 'F3', 'Fz', 'F8']) expect(electrodeRegion(label), label).toBe('frontal');
    for (const label of ['P7', 'P3', 'Pz', 'PO4', 'O1', 'O2', 'Oz', 'Iz']) expect(electrodeRegion(label), label).toBe('occipital-parietal');
    for (const label of ['C3', 'C5', 'C1', 'FC3', 'CP3', 'T7', 'FT7', 'TP7']) expect(electrodeRegion(label), label).toBe('central-left');
    for (const label of ['C4', 'C6', 'C2', 'FC4', 'CP4', 'T8', 'FT8', 'TP8']) expect(electrodeRegion(label), label).toBe('central-right');
    for (const label of ['Cz', 'FCz', 'CPz']) expect(electrodeRegion(label), label).toBe('central-midline');
  });

  it('returns undefined for labels outside the system', () => {
    for (const label of ['A1', 'M2', 'EOG', 'X1', 'C11', 'Fp3', '', 'T1']) expect(electrodePosition(label), label).toBeUndefined();
    expect(electrodeRegion('EMG')).toBeUndefined();
  });
});
