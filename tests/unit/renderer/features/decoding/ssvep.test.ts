// SSVEP by frame counting: the frequencies a display can flicker at, the plan for a requested
// frequency, on/off per frame, the refresh rate from frame timestamps, and the flicker frequency
// measured from the frames that turned a target on (including dropped frames and spans).
import { describe, expect, it } from 'vitest';
import { FlickerMeter, RefreshMeter, describeMeasured, nominalRefreshHz, describePlan, flickerFrequencies, flickerOn, formatHz, frameCountingNote, planFlicker } from '../../../../../renderer/features/decoding/ssvep.js';

describe('frequencies by frame counting', () => {
  it('offers refresh / N at 60 Hz: 30, 20, 15, 12, 10, 8.57, 7.5, 6.67, 6 Hz', () => {
    expect(flickerFrequencies(60).map(formatHz)).toEqual(['30', '20', '15', '12', '10', '8.57', '7.5', '6.67', '6']);
    expect(flickerFrequencies(144, 12).map(formatHz)).toEqual(['72', '48', '36', '28.8', '24', '20.57', '18', '16', '14.4', '13.09', '12']);
    expect(flickerFrequencies(Number.NaN)).toEqual([]);
    expect(frameCountingNote(60)).toMatch(/Display 60\.0 Hz.*30, 20, 15, 12, 10, 8\.57, 7\.5, 6\.67, 6 Hz/);
    expect(frameCountingNote(null)).toMatch(/Measuring the display refresh/);
  });

  it('plans a request as the nearest whole number of frames, and says when it moved it', () => {
    expect(planFlicker(30, 60)).toEqual({ requestedHz: 30, frequencyHz: 30, framesPerCycle: 2, onFrames: 1, exact: true });
    expect(planFlicker(20, 60)).toMatchObject({ frequencyHz: 20, framesPerCycle: 3, onFrames: 2, exact: true });
    expect(planFlicker(8.57, 60)).toMatchObject({ framesPerCycle: 7, onFrames: 4, exact: true });
    const moved = planFlicker(25, 60);
    expect(moved).toMatchObject({ framesPerCycle: 2, frequencyHz: 30, exact: false });
    expect(describePlan(moved)).toBe('30 Hz: 2 frames per cycle (1 on, 1 off) — 25 Hz is not a whole number of frames');
    expect(describePlan(planFlicker(20, 60))).toBe('20 Hz: 3 frames per cycle (2 on, 1 off)');
    // never faster than on one frame, off the next
    expect(planFlicker(45, 60).framesPerCycle).toBe(2);
    // a 59.94 Hz display: 30 Hz becomes 29.97 Hz, still 2 frames (within 0.5%)
    expect(planFlicker(30, 59.94)).toMatchObject({ framesPerCycle: 2, exact: true });
    expect(() => planFlicker(0, 60)).toThrow(/positive/);
  });

  it('decides on/off by the frame count alone', () => {
    const plan = planFlicker(20, 60);
    expect([...Array(9).keys()].map((f) => flickerOn(plan, f))).toEqual([true, true, false, true, true, false, true, true, false]);
    const fast = planFlicker(30, 60);
    expect([...Array(4).keys()].map((f) => flickerOn(fast, f))).toEqual([true, false, true, false]);
  });
});

/** Frame timestamps at `hz`, with the given frame numbers dropped (the display skipped them). */
function frameTimes(hz: number, count: number, dropped: readonly number[] = []): number[] {
  const out: number[] = [];
  for (let i = 0; out.length < count; i++) {
    if (!dropped.includes(i)) out.push(1000 + (i * 1000) / hz);
  }
  return out;
}

describe('refresh meter', () => {
  it('reports the median frame rate and counts late frames', () => {
    const m = new RefreshMeter();
    expect(m.refreshHz).toBeNull();
    for (const t of frameTimes(60, 100, [50, 51, 80])) m.push(t);
    expect(m.refreshHz).toBeCloseTo(60, 6);
    expect(m.lateFrames).toBe(2); // one gap of 3 intervals, one of 2
    expect(m.frames).toBe(100);
    m.reset();
    expect(m.ready).toBe(false);
  });

  it('averages timestamps coarsened to 0.1 ms (16.6, 16.7, …) to the true rate, and names it', () => {
    const m = new RefreshMeter(90);
    for (let i = 0; i < 91; i++) m.push(Math.round(((i * 1000) / 60) * 10) / 10);
    expect(m.medianMs()).toBeCloseTo(16.7, 6);
    expect(m.refreshHz!).toBeCloseTo(60, 1);
    expect(nominalRefreshHz(59.9)).toBe(60);
    expect(nominalRefreshHz(143.6)).toBe(144);
    expect(nominalRefreshHz(59.5)).toBe(59.5);
  });
});

describe('flicker meter', () => {
  it('measures the planned frequency on a steady 60 Hz display', () => {
    for (const hz of [30, 20, 15, 12, 8.57, 6]) {
      const plan = planFlicker(hz, 60);
      const meter = new FlickerMeter();
      meter.beginSpan();
      frameTimes(60, 240).forEach((t, f) => meter.record(t, flickerOn(plan, f)));
      expect(meter.measuredHz!).toBeCloseTo(plan.frequencyHz, 6);
    }
  });

  it('shows dropped frames as a slower flicker (frame-locked, not clock-locked)', () => {
    const plan = planFlicker(30, 60);
    const meter = new FlickerMeter();
    meter.beginSpan();
    // 240 frames drawn over what should have been 250 refreshes: 10 dropped
    const times = frameTimes(60, 240, [20, 40, 60, 80, 100, 120, 140, 160, 180, 200]);
    times.forEach((t, f) => meter.record(t, flickerOn(plan, f)));
    const expected = (119 * 1000) / (times[238] - times[0]);
    expect(meter.measuredHz!).toBeCloseTo(expected, 6);
    expect(meter.measuredHz!).toBeLessThan(29);
  });

  it('adds spans without counting the gaps between them', () => {
    const plan = planFlicker(20, 60);
    const meter = new FlickerMeter();
    expect(meter.measuredHz).toBeNull();
    for (const start of [0, 10_000, 25_000]) {
      meter.beginSpan();
      for (let f = 0; f < 60; f++) meter.record(start + (f * 1000) / 60, flickerOn(plan, f));
    }
    // each span: 20 rising edges, 19 whole cycles over 19 × 50 ms
    expect(meter.measuredCycles).toBe(57);
    expect(meter.measuredHz!).toBeCloseTo(20, 6);
    expect(describeMeasured({ label: 'a', requestedHz: 20, plannedHz: 20, measuredHz: meter.measuredHz, cycles: 57 })).toBe('measured 20.00 Hz (planned 20 Hz, 57 cycles)');
    expect(describeMeasured({ label: 'a', requestedHz: 20, plannedHz: 20, measuredHz: null, cycles: 0 })).toBe('not measured (planned 20 Hz)');
  });
});
