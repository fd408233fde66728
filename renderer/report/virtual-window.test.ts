import { describe, expect, it } from 'vitest';
import { virtualWindow } from './virtual-window.ts';

describe('virtualWindow', () => {
  it('renders only the rows in view plus the overscan for 100,000 rows', () => {
    const w = virtualWindow({ count: 100_000, rowHeight: 32, viewportHeight: 416, scrollTop: 32 * 50_000, overscan: 8 });
    expect(w.start).toBe(50_000 - 8);
    expect(w.end).toBe(50_000 + 14 + 8);
    expect(w.end - w.start).toBeLessThan(40);
    expect(w.totalHeight).toBe(3_200_000);
    expect(w.offset).toBe(w.start * 32);
  });
  it('clamps at both ends', () => {
    expect(virtualWindow({ count: 100, rowHeight: 32, viewportHeight: 416, scrollTop: -50 })).toMatchObject({ start: 0, end: 22 });
    const last = virtualWindow({ count: 100, rowHeight: 32, viewportHeight: 416, scrollTop: 999_999 });
    expect(last.end).toBe(100);
    expect(last.start).toBeGreaterThan(70);
  });
  it('handles an empty and a short list', () => {
    expect(virtualWindow({ count: 0, rowHeight: 32, viewportHeight: 416, scrollTop: 0 })).toEqual({
      start: 0,
      end: 0,
      totalHeight: 0,
      offset: 0,
    });
    expect(virtualWindow({ count: 3, rowHeight: 32, viewportHeight: 416, scrollTop: 0 })).toMatchObject({ start: 0, end: 3 });
  });
});
