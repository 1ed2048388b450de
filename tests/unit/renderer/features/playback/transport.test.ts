// The transport's pure side: the clock, the timeline mapping, event ticks, keyboard steps, and
// the typed transport commands (controlPlayback).
import { describe, expect, it } from 'vitest';
import { playbackCommandSchema } from '../../../../../electron/common/contract/playback.js';
import {
  PAUSE,
  RESUME,
  eventTicks,
  formatClock,
  fractionOf,
  keySeek,
  loopCommand,
  seekCommand,
  shouldGlide,
  speedCommand,
  tickNear,
  tickTitle,
  timeAtOffset,
} from '../../../../../renderer/features/playback/transport.js';

describe('transport clock', () => {
  it('formats m:ss.s and h:mm:ss.s, truncating tenths', () => {
    expect(formatClock(0)).toBe('0:00.0');
    expect(formatClock(1)).toBe('0:01.0');
    expect(formatClock(3.96)).toBe('0:03.9');
    expect(formatClock(59.99)).toBe('0:59.9');
    expect(formatClock(62.34)).toBe('1:02.3');
    expect(formatClock(3723.45)).toBe('1:02:03.4');
    // binary fractions just under a tenth still show that tenth
    expect(formatClock(0.3)).toBe('0:00.3');
    expect(formatClock(1.1)).toBe('0:01.1');
  });

  it('shows a placeholder for no time', () => {
    expect(formatClock(Number.NaN)).toBe('–:––.–');
    expect(formatClock(-1)).toBe('–:––.–');
  });
});

describe('timeline mapping', () => {
  it('maps seconds to a fraction, clamped', () => {
    expect(fractionOf(2, 8)).toBe(0.25);
    expect(fractionOf(-1, 8)).toBe(0);
    expect(fractionOf(9, 8)).toBe(1);
    expect(fractionOf(1, 0)).toBe(0);
  });

  it('maps a pixel offset to seconds, clamped and to the millisecond', () => {
    expect(timeAtOffset(200, 800, 4)).toBe(1);
    expect(timeAtOffset(-20, 800, 4)).toBe(0);
    expect(timeAtOffset(900, 800, 4)).toBe(4);
    expect(timeAtOffset(1, 3, 1)).toBe(0.333);
    expect(timeAtOffset(10, 0, 4)).toBe(0);
  });

  it('round-trips a time through pixels within a pixel', () => {
    const width = 640;
    const duration = 123.4;
    for (const sec of [0, 1, 12.5, 61.2, 123.4]) {
      const px = fractionOf(sec, duration) * width;
      expect(Math.abs(timeAtOffset(px, width, duration) - sec)).toBeLessThanOrEqual(duration / width);
    }
  });
});

describe('event ticks', () => {
  it('sorts events and drops those outside the recording', () => {
    const ticks = eventTicks(
      [
        { onsetSec: 3, label: 'B' },
        { onsetSec: 1, label: 'A' },
        { onsetSec: 11, label: 'late' },
        { onsetSec: -1, label: 'early' },
      ],
      10,
      1000,
    );
    expect(ticks.map((t) => t.labels)).toEqual([['A'], ['B']]);
    expect(ticks[0].fraction).toBeCloseTo(0.1);
    expect(ticks[1].onsetSec).toBe(3);
  });

  it('merges events closer than a few pixels into one tick', () => {
    const ticks = eventTicks(
      [
        { onsetSec: 1, label: 'A' },
        { onsetSec: 1.02, label: 'B' },
        { onsetSec: 5, label: 'C' },
      ],
      10,
      200,
    );
    expect(ticks).toHaveLength(2);
    expect(ticks[0]).toMatchObject({ count: 2, labels: ['A', 'B'], onsetSec: 1 });
    expect(tickTitle(ticks[0])).toBe('2 events from 0:01.0: A, B');
    expect(tickTitle(ticks[1])).toBe('C at 0:05.0');
  });

  it('keeps thousands of events to one tick per bin', () => {
    const events = Array.from({ length: 5000 }, (_, i) => ({ onsetSec: i * 0.01, label: `E${i}` }));
    const ticks = eventTicks(events, 50, 500, 5);
    expect(ticks.length).toBeLessThanOrEqual(101);
    expect(ticks.reduce((n, t) => n + t.count, 0)).toBe(5000);
    expect(ticks[0].labels.length).toBeLessThanOrEqual(6);
    expect(tickTitle(ticks[0])).toMatch(/more\)$/);
  });

  it('finds the tick under the pointer', () => {
    const ticks = eventTicks([{ onsetSec: 2.5, label: 'M1' }], 10, 400);
    expect(tickNear(ticks, 101, 400)?.labels).toEqual(['M1']);
    expect(tickNear(ticks, 110, 400)).toBeNull();
    expect(tickNear(ticks, 100, 0)).toBeNull();
  });

  it('has nothing to draw without a duration or events', () => {
    expect(eventTicks([], 10, 400)).toEqual([]);
    expect(eventTicks([{ onsetSec: 1, label: 'x' }], 0, 400)).toEqual([]);
  });
});

describe('timeline keys', () => {
  it('steps a second, ten with Shift, and jumps to the ends, clamped', () => {
    expect(keySeek('ArrowRight', false, 5, 20)).toBe(6);
    expect(keySeek('ArrowLeft', true, 5, 20)).toBe(0);
    expect(keySeek('ArrowRight', true, 15, 20)).toBe(20);
    expect(keySeek('Home', false, 15, 20)).toBe(0);
    expect(keySeek('End', false, 1, 20)).toBe(20);
    expect(keySeek('PageUp', false, 1, 20)).toBe(11);
    expect(keySeek('a', false, 1, 20)).toBeNull();
  });
});

describe('transport commands', () => {
  it('writes typed transport commands the contract accepts', () => {
    expect(seekCommand(1)).toEqual({ action: 'seek', positionSec: 1 });
    expect(seekCommand(1.23456)).toEqual({ action: 'seek', positionSec: 1.235 });
    expect(seekCommand(-3)).toEqual({ action: 'seek', positionSec: 0 });
    expect(speedCommand(4)).toEqual({ action: 'speed', speed: 4 });
    expect(speedCommand('max')).toEqual({ action: 'speed', speed: 'max' });
    expect(speedCommand(32)).toBeNull();
    expect(speedCommand('fast')).toBeNull();
    expect(speedCommand(null)).toBeNull();
    expect(loopCommand(true)).toEqual({ action: 'loop', loop: true });
    expect(loopCommand(false)).toEqual({ action: 'loop', loop: false });
    for (const command of [PAUSE, RESUME, seekCommand(2.5), loopCommand(true)]) expect(playbackCommandSchema.parse(command)).toEqual(command);
  });

  it('glides the playhead only forward, at a paced speed, by about one status step', () => {
    expect(shouldGlide(1, 1.25, true, 1)).toBe(true);
    expect(shouldGlide(1, 2, true, 4)).toBe(true);
    expect(shouldGlide(3, 0.1, true, 4)).toBe(false); // loop
    expect(shouldGlide(1, 9, true, 1)).toBe(false); // seek
    expect(shouldGlide(1, 1.25, false, 1)).toBe(false);
    expect(shouldGlide(1, 1.25, true, 'max')).toBe(false);
  });
});
