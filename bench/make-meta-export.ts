import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

/** The 40 columns of a wide Meta Ads Manager ad-level daily export (English UI, USD account). */
export const META_BENCH_HEADER = [
  'Reporting starts',
  'Reporting ends',
  'Day',
  'Campaign name',
  'Campaign ID',
  'Ad set name',
  'Ad set ID',
  'Ad name',
  'Ad ID',
  'Ad delivery',
  'Ad set budget',
  'Ad set budget type',
  'Amount spent (USD)',
  'CPM (cost per 1,000 impressions) (USD)',
  'CPC (cost per link click) (USD)',
  'CTR (link click-through rate)',
  'Impressions',
  'Reach',
  'Frequency',
  'Link clicks',
  'Clicks (all)',
  'CTR (all)',
  'CPC (all) (USD)',
  'Unique link clicks',
  'Landing page views',
  'Adds to cart',
  'Cost per add to cart (USD)',
  'Purchases',
  'Purchases conversion value',
  'Purchase ROAS (return on ad spend)',
  'Results',
  'Result indicator',
  'Cost per results',
  'Results value',
  'Result value indicator',
  '3-second video plays',
  'Video plays at 50%',
  'Attribution setting',
  'Quality ranking',
  'Objective',
] as const;

function quote(cell: string): string {
  return /[",\n\r]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;
}

function header(cell: string): string {
  return /^\w+$/.test(cell) ? cell : `"${cell.replace(/"/g, '""')}"`;
}

/** A deterministic pseudo-random sequence (mulberry32), so every run writes the same file. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One data row of the bench export, before a writer formats it (as CSV text, or as workbook cells). */
export interface MetaBenchRow {
  day: string;
  campaignName: string;
  campaignId: string;
  adSetName: string;
  adSetId: string;
  adName: string;
  adId: string;
  impressions: number;
  linkClicks: number;
  allClicks: number;
  /** Amount spent in micro-dollars, and as its exact decimal text (six places). */
  spendMicros: number;
  spend: string;
  /** Null: the cell is empty. */
  purchases: number | null;
  /** Purchases conversion value with two decimals; null when there are no purchases. */
  value: string | null;
  /** Frequency with six decimals; null without impressions. */
  frequency: string | null;
}

/**
 * The rows of the bench export: 30 days x (rows / 30) ads, ads grouped 8 to an ad set and 10 ad sets
 * to a campaign, 18-digit IDs, from one seeded sequence, so the CSV (`makeMetaExport`) and the
 * workbook (`bench/xlsx.ts`) hold the same rows. `order`: the rows of each day together (as Ads
 * Manager exports by default), or of each ad together (sorted by ad), so a new ad comes until the
 * last rows; each row is the same in either order.
 */
export function* metaBenchRows(rows: number, order: 'day' | 'ad' = 'day'): Generator<MetaBenchRow> {
  const rnd = random(20250901);
  const days = 30;
  const ads = Math.ceil(rows / days);
  for (let i = 0; i < rows; i++) {
    const d = order === 'day' ? Math.floor(i / ads) : i % days;
    const a = order === 'day' ? i % ads : Math.floor(i / days);
    const set = Math.floor(a / 8);
    const campaign = Math.floor(set / 10);
    const impressions = Math.floor(rnd() * 40000);
    const linkClicks = Math.floor(impressions * rnd() * 0.02);
    const allClicks = linkClicks + Math.floor(rnd() * 50);
    const spendMicros = Math.floor(impressions * (2 + rnd() * 10)) * 1000 + Math.floor(rnd() * 1000);
    const purchases = rnd() < 0.6 ? Math.floor(rnd() * 6) : null;
    const value = purchases === null ? null : (purchases * (20 + rnd() * 80)).toFixed(2);
    yield {
      day: `2025-09-${String(d + 1).padStart(2, '0')}`,
      campaignName: `Campaign ${campaign} | Prospecting, US & CA`,
      campaignId: `12021555331${String(1000000 + campaign * 7919 + 183)}`,
      adSetName: `Ad set ${set} | Lookalike 1% purchasers`,
      adSetId: `12021555341${String(1000000 + set * 7919 + 291)}`,
      adName: `Ad ${a} | UGC hook variant ${a % 7}`,
      adId: `12021555351${String(1000000 + a * 7919 + 377)}`,
      impressions,
      linkClicks,
      allClicks,
      spendMicros,
      spend: `${Math.floor(spendMicros / 1e6)}.${String(spendMicros % 1e6).padStart(6, '0')}`,
      purchases,
      value,
      frequency: impressions ? (1 + rnd()).toFixed(6) : null,
    };
  }
}

export interface MadeExport {
  rows: number;
  bytes: number;
  /** Exact totals of what was written, in micro-dollars and counts, to check the validator against. */
  impressions: bigint;
  clicks: bigint;
  spendMicros: bigint;
}

/**
 * Writes `rows` data rows (`metaBenchRows`, in `order`) plus the header and Meta's summary row of an
 * ad-level daily export. Streams to disk; never builds the file in memory.
 */
export async function makeMetaExport(path: string, rows: number, order: 'day' | 'ad' = 'day'): Promise<MadeExport> {
  const out = createWriteStream(path);
  let written = 0;
  let bytes = 0;
  let impressions = 0n;
  let clicks = 0n;
  let spendMicros = 0n;
  // Lines go to the stream a megabyte at a time: line by line, the generator mostly waited for the disk.
  let pending: string[] = [];
  let pendingChars = 0;
  const flush = async () => {
    const text = pending.join('');
    pending = [];
    pendingChars = 0;
    if (!out.write(text)) await once(out, 'drain');
  };
  const write = async (line: string) => {
    bytes += Buffer.byteLength(line) + 1;
    pending.push(line, '\n');
    pendingChars += line.length + 1;
    if (pendingChars >= 1 << 20) await flush();
  };
  await write(META_BENCH_HEADER.map(header).join(','));
  await write(['2025-09-01', '2025-09-30', '', '', '', '', '', '', '', '', '', '', '1000000.00', ...Array(27).fill('')].join(','));
  for (const r of metaBenchRows(rows, order)) {
    const { impressions: impr, linkClicks: link, allClicks: all, spendMicros: micros } = r;
    const purchases = r.purchases === null ? '' : String(r.purchases);
    const value = r.value ?? '';
    impressions += BigInt(impr);
    clicks += BigInt(link);
    spendMicros += BigInt(micros);
    const cells = [
      '2025-09-01',
      '2025-09-30',
      r.day,
      r.campaignName,
      r.campaignId,
      r.adSetName,
      r.adSetId,
      r.adName,
      r.adId,
      'active',
      '50.00',
      'Daily',
      r.spend,
      impr ? ((micros / impr) * 1e-3).toFixed(6) : '',
      link ? (micros / 1e6 / link).toFixed(6) : '',
      impr ? ((link / impr) * 100).toFixed(6) : '',
      String(impr),
      String(Math.floor(impr * 0.8)),
      r.frequency ?? '',
      link ? String(link) : '',
      String(all),
      impr ? ((all / impr) * 100).toFixed(6) : '',
      all ? (micros / 1e6 / all).toFixed(6) : '',
      String(Math.floor(link * 0.9)),
      String(Math.floor(link * 0.7)),
      String(Math.floor(link * 0.1)),
      '',
      purchases,
      value,
      '',
      purchases,
      purchases ? 'actions:offsite_conversion.fb_pixel_purchase' : '',
      '',
      value,
      value ? 'action_values:offsite_conversion.fb_pixel_purchase' : '',
      String(Math.floor(impr * 0.3)),
      String(Math.floor(impr * 0.05)),
      '7-day click or 1-day view',
      'Average',
      'Sales',
    ];
    await write(cells.map(quote).join(','));
    written++;
  }
  await flush();
  out.end();
  await once(out, 'finish');
  return { rows: written, bytes, impressions, clicks, spendMicros };
}

// `tsx bench/make-meta-export.ts FILE ROWS [day|ad]`: writes the file and prints the generator's totals as JSON.
if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  const [path, rows, order] = process.argv.slice(2);
  const made = await makeMetaExport(path!, Number(rows), order === 'ad' ? 'ad' : 'day');
  process.stdout.write(JSON.stringify(made, (_, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)) + '\n');
}
