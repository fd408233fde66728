import type { SpendByDay } from '../../shared/ipc-contract.ts';

export interface DayPoint {
  date: string;
  spend: number;
  rows: number;
  missing: boolean;
  spike: boolean;
}

export interface SpendSeries {
  points: DayPoint[];
  max: number;
  median: number;
  missingDays: string[];
  spikeDays: string[];
}

function median(values: number[]): number {
  if (values.length === 0) return 0;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Times the median daily spend above which a day is a spike worth a second look. */
export const SPIKE_FACTOR = 3;

/**
 * The chart's data: a day with no rows is missing (a gap in the export); a day whose spend is more
 * than three times the median of the days that have data is a spike.
 */
export function spendSeries(data: SpendByDay): SpendSeries {
  const present = data.days.filter((d) => d.rows > 0).map((d) => Number(d.spend));
  const med = median(present);
  const points = data.days.map((d) => {
    const spend = Number(d.spend);
    const missing = d.rows === 0;
    return { date: d.date, spend, rows: d.rows, missing, spike: !missing && med > 0 && spend > SPIKE_FACTOR * med };
  });
  return {
    points,
    max: Math.max(0, ...points.map((p) => p.spend)),
    median: med,
    missingDays: points.filter((p) => p.missing).map((p) => p.date),
    spikeDays: points.filter((p) => p.spike).map((p) => p.date),
  };
}

/** A round axis maximum above `max` (1, 2, 2.5, 5 × 10^n). */
export function niceMax(max: number): number {
  if (max <= 0) return 1;
  const pow = 10 ** Math.floor(Math.log10(max));
  for (const step of [1, 2, 2.5, 5, 10]) if (step * pow >= max) return step * pow;
  return 10 * pow;
}
