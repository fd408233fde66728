const int = new Intl.NumberFormat('en-US');

export function formatCount(n: number): string {
  return int.format(n);
}

/** An exact decimal string for reading (`48123.4471` → `48,123.45`); the value itself is never rounded. */
export function formatMoney(decimal: string, currency: string | null): string {
  const n = Number(decimal);
  const text = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(n);
  return currency ? `${text} ${currency}` : text;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

export function formatDuration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '—';
  if (seconds < 1) return `${Math.max(0, Math.round(seconds * 1000))} ms`;
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${s % 60} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

/** `2025-09-01T10:04:00Z` → `1 Sep 2025, 10:04` in the person's time zone. */
export function formatDateTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' });
}

/** The time of day, `10:04:07`. */
export function formatTime(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

/** `2025-09-01` → `1 Sep 2025`. */
export function formatDay(isoDate: string): string {
  return /^\d{4}-\d{2}-\d{2}$/.test(isoDate) ? formatDayRange(isoDate, isoDate) : isoDate;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `2025-09-01`..`2025-09-30` → `1–30 Sep 2025`; across months or years, as much as differs. */
export function formatDayRange(from: string, to: string): string {
  const [fy, fm, fd] = from.split('-').map(Number) as [number, number, number];
  const [ty, tm, td] = to.split('-').map(Number) as [number, number, number];
  const m = (n: number) => MONTHS[n - 1] ?? '?';
  if (from === to) return `${fd} ${m(fm)} ${fy}`;
  if (fy === ty && fm === tm) return `${fd}–${td} ${m(tm)} ${ty}`;
  if (fy === ty) return `${fd} ${m(fm)} – ${td} ${m(tm)} ${ty}`;
  return `${fd} ${m(fm)} ${fy} – ${td} ${m(tm)} ${ty}`;
}

export const PLATFORM_LABEL = { meta: 'Meta Ads', google: 'Google Ads', tiktok: 'TikTok Ads' } as const;
export const LEVEL_LABEL = { campaign: 'Campaign level', ad_set: 'Ad set level', ad: 'Ad level' } as const;
