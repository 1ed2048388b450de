// The head map's points: by label, or by an applied montage's positions ('' leaves a channel out).
import { describe, expect, it } from 'vitest';
import { headMapPoints } from '../../../../../renderer/features/views/head-map.js';

describe('headMapPoints', () => {
  it('places channels by label, or by the positions given', () => {
    expect(headMapPoints(['Cz', 'HEOG', 'O1']).map((p) => p.label)).toEqual(['Cz', 'O1']);
    const points = headMapPoints(['Vertex', 'Cz', 'O1'], ['Cz', '', 'O1']);
    expect(points.map((p) => [p.channel, p.label])).toEqual([[0, 'Vertex'], [2, 'O1']]);
    expect(points[0].x).toBeCloseTo(0.5);
    expect(points[0].y).toBeCloseTo(0.5);
  });
});
