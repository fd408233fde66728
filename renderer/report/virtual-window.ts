export interface VirtualWindow {
  /** First row index to render. */
  start: number;
  /** One past the last row index to render. */
  end: number;
  /** Height of the whole list, so the scrollbar is true to size. */
  totalHeight: number;
  /** Where the first rendered row sits. */
  offset: number;
}

/**
 * Which rows of a fixed-height list are visible (plus `overscan` either side), so a table of
 * 100,000 issues renders a few dozen rows whatever the scroll position.
 */
export function virtualWindow(opts: {
  count: number;
  rowHeight: number;
  viewportHeight: number;
  scrollTop: number;
  overscan?: number;
}): VirtualWindow {
  const { count, rowHeight } = opts;
  const overscan = opts.overscan ?? 8;
  const totalHeight = count * rowHeight;
  const maxScroll = Math.max(0, totalHeight - opts.viewportHeight);
  const scrollTop = Math.min(Math.max(0, opts.scrollTop), maxScroll);
  const first = Math.floor(scrollTop / rowHeight);
  const visible = Math.ceil(opts.viewportHeight / rowHeight) + 1;
  const start = Math.max(0, first - overscan);
  const end = Math.min(count, first + visible + overscan);
  return { start, end, totalHeight, offset: start * rowHeight };
}
