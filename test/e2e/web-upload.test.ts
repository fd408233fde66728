import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from './sandbox.ts';
import { buildWindow, dropFiles, fixture, launchChromium, saveScreen, startWeb, watchConsole, type WebApp } from './support.ts';

/**
 * The whole path a person takes, in Chromium against `npm run web` and the sandbox (PostgreSQL +
 * test gateway): sign in, drop each platform's export, dry run, upload, check the rows in the
 * database; then kill the app in the middle of an upload, start it again, resume from the banner
 * and check the database holds exactly the file.
 */
let sandbox: Sandbox;
let web: WebApp;
let browser: Browser;
let page: Page;
let rendererDir: string;
let home: string;
const problems: string[][] = [];

beforeAll(async () => {
  [sandbox, rendererDir] = await Promise.all([startSandbox(), buildWindow()]);
  home = mkdtempSync(join(tmpdir(), 'md-home-'));
  web = await startWeb({ home, rendererDir });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
  problems.push(watchConsole(page));
  await page.goto(web.link);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await web?.stop();
  await sandbox?.stop();
});

const northwind = () => sandbox.info.workspaces.find((w) => w.name === 'Northwind Media')!;
const acme = () => northwind().clients.find((c) => c.name === 'Acme Outdoor')!;
const maya = () => northwind().users.find((u) => u.role === 'member')!;
const cardOf = (name: string) => page.getByTestId('file-card').filter({ hasText: name }).last();

async function factsInDb(platform: string): Promise<{ n: number; spend: string }> {
  const r = await sandbox.db.query<{ n: number; spend: string }>(
    `select count(*)::int as n, coalesce(sum(spend), 0)::text as spend from public.daily_metrics where client_id = $1 and platform = $2`,
    [acme().id, platform],
  );
  return r.rows[0]!;
}

async function dryRunAndUpload(name: string, rows: number, screen?: string): Promise<void> {
  await cardOf(name).getByRole('button').first().click();
  await page.getByRole('tab', { name: 'Dry run' }).click();
  await page.getByRole('button', { name: 'Dry run for Acme Outdoor' }).click();
  const plan = page.getByTestId('dry-run-plan');
  await plan.waitFor({ timeout: 60_000 });
  expect(await plan.getByTestId('plan-facts').textContent()).toBe(`Daily rows (facts)${rows}00`);
  expect(await plan.textContent()).toContain('planned by the server');
  await page.getByTestId('spend-chart').waitFor();
  if (screen) await saveScreen(page, screen);
  await page.getByRole('button', { name: `Upload ${rows} rows to Acme Outdoor` }).click();
  await page.getByTestId('upload-done').waitFor({ timeout: 60_000 });
  expect(await page.getByTestId('upload-plan').getByTestId('plan-facts').textContent()).toBe(`Daily rows (facts)${rows}00`);
}

describe('signing in', () => {
  it('refuses a wrong password with its code and sentence, then signs in and shows the user, workspace and client', async () => {
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('input[name=url]').fill(sandbox.info.supabaseUrl);
    await page.locator('input[name=anonKey]').fill(sandbox.info.anonKey);
    await page.locator('input[name=email]').fill(maya().email);
    await page.locator('input[name=password]').fill('not-the-password');
    await page.locator('form').getByRole('button', { name: 'Sign in' }).click();
    expect(await page.getByRole('alert').textContent()).toMatch(/^NOT_AUTHORIZED Sign-in refused/);
    await page.locator('input[name=password]').fill(maya().password);
    await saveScreen(page, '05-sign-in');
    await page.locator('form').getByRole('button', { name: 'Sign in' }).click();
    expect(await page.getByTestId('signed-in-user').textContent()).toBe(maya().email);
    expect(await page.getByLabel('Workspace').locator('option:checked').textContent()).toBe('Northwind Media');
    await page.getByLabel('Client').selectOption({ label: 'Acme Outdoor (USD)' });
  });
});

describe('each platform, from drop to database', () => {
  it('drops Meta, Google and TikTok exports at once, and uploads each after its dry run', async () => {
    await dropFiles(page, [fixture('meta/ad-daily-tricky-text.csv'), fixture('google/campaign-daily-preamble-totals.csv'), fixture('tiktok/ad-daily-by-day-total-row.csv')]);
    await expect.poll(() => page.getByTestId('file-card').count()).toBe(3);
    await expect.poll(() => page.getByTestId('file-state').allTextContents()).toEqual(['Valid', 'Valid', 'Valid']);

    await dryRunAndUpload('ad-daily-tricky-text.csv', 8, '06-dry-run-plan');
    await saveScreen(page, '07-upload-done');
    expect(await factsInDb('meta')).toEqual({ n: 8, spend: '135.00' });
    const names = await sandbox.db.query<{ name: string }>(`select name from public.campaigns where client_id = $1 order by name`, [acme().id]);
    expect(names.rows.map((r) => r.name)).toContain("Brand'); DROP TABLE campaigns;--");

    await dryRunAndUpload('campaign-daily-preamble-totals.csv', 9);
    const google = await factsInDb('google');
    expect(google.n).toBe(9);

    await dryRunAndUpload('ad-daily-by-day-total-row.csv', 6);
    expect((await factsInDb('tiktok')).n).toBe(6);

    const uploads = await sandbox.db.query<{ status: string; n: number }>(
      `select status, count(*)::int as n from public.data_uploads where client_id = $1 and mode = 'COMMIT' group by status`,
      [acme().id],
    );
    expect(uploads.rows).toEqual([{ status: 'completed', n: 3 }]);
  }, 240_000);

  it('warns, before committing, that the same file was already uploaded, and plans no change', async () => {
    await dropFiles(page, [fixture('meta/ad-daily-tricky-text.csv')]);
    await expect.poll(() => page.getByTestId('file-card').count()).toBe(4);
    await cardOf('ad-daily-tricky-text.csv').getByRole('button').first().click();
    await page.getByRole('tab', { name: 'Dry run' }).click();
    await page.getByRole('button', { name: 'Dry run for Acme Outdoor' }).click();
    await page.getByTestId('dry-run-plan').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('warnings').textContent()).toMatch(new RegExp(`already uploaded for this client on .* by ${maya().email.replace('.', '\\.')}`));
    expect(await page.getByTestId('dry-run-plan').getByTestId('plan-facts').textContent()).toBe('Daily rows (facts)008');
    await saveScreen(page, '08-dry-run-already-uploaded');
    expect(await factsInDb('meta')).toEqual({ n: 8, spend: '135.00' });
  }, 120_000);
});

describe('an upload interrupted by a crash', () => {
  const ROWS = 30_000;
  let expectedSpendCents = 0n;
  let bigPath = '';

  beforeAll(() => {
    const lines = ['Day,"Campaign name","Campaign ID","Ad set name","Ad set ID","Ad name","Ad ID","Amount spent (USD)",Impressions,"Link clicks",Purchases,"Purchases conversion value"'];
    for (let i = 0; i < ROWS; i++) {
      const ad = i % 1000;
      const day = Math.floor(i / 1000) + 1;
      const cents = 100 + ((i * 7919) % 90_000);
      expectedSpendCents += BigInt(cents);
      lines.push(
        `2025-08-${String(day).padStart(2, '0')},Summer ${ad % 10},${7_000_000 + (ad % 10)},Set ${ad % 100},${8_000_000 + (ad % 100)},Ad ${ad},${9_000_000 + ad},${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')},${1000 + i},${i % 50},${i % 3},${(i % 3) * 10}.5`,
      );
    }
    bigPath = join(mkdtempSync(join(tmpdir(), 'md-big-')), 'meta-august-30k.csv');
    writeFileSync(bigPath, `${lines.join('\n')}\n`);
  });

  it('resumes from the banner after the app was killed mid-upload, and the database holds exactly the file', async () => {
    await dropFiles(page, [{ name: 'meta-august-30k.csv', path: bigPath }]);
    await expect.poll(() => cardOf('meta-august-30k.csv').getByTestId('file-state').textContent(), { timeout: 60_000 }).toBe('Valid');
    await cardOf('meta-august-30k.csv').getByRole('button').first().click();
    await page.getByRole('tab', { name: 'Dry run' }).click();
    await page.getByRole('button', { name: 'Dry run for Acme Outdoor' }).click();
    await page.getByTestId('dry-run-plan').waitFor({ timeout: 180_000 });
    await page.getByRole('button', { name: `Upload 30,000 rows to Acme Outdoor` }).click();

    // Wait until daily rows are being written, then kill the app outright (no chance to clean up).
    const facts = page.getByTestId('stage-facts').getByRole('progressbar');
    await expect.poll(async () => Number(await facts.getAttribute('aria-valuenow')), { timeout: 180_000, interval: 50 }).toBeGreaterThan(0);
    await saveScreen(page, '09-upload-progress');
    // What this page logged up to the crash; after it, its failed reconnects to the dead app are expected.
    const beforeCrash = [...problems[0]!];
    await web.stop('SIGKILL');
    await page.close();
    problems[0] = beforeCrash;
    const partial = await factsInDb('meta');
    expect(partial.n - 8).toBeLessThan(ROWS);

    web = await startWeb({ home, rendererDir });
    page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    problems.push(watchConsole(page));
    await page.goto(web.link);
    const banner = page.getByRole('region', { name: 'Interrupted uploads' });
    await banner.waitFor();
    expect(await banner.textContent()).toMatch(/An upload was interrupted\..*meta-august-30k\.csv for Acme Outdoor · 30,000 rows/);
    await saveScreen(page, '10-resume-banner');
    await banner.getByRole('button', { name: 'Resume upload' }).click();
    await page.getByTestId('resumed').waitFor({ timeout: 180_000 });
    expect(await page.getByTestId('resumed').textContent()).toContain('Upload of meta-august-30k.csv resumed and completed: 30,000 daily rows.');
    expect(await banner.count()).toBe(0);
    await saveScreen(page, '11-resumed');

    const after = await sandbox.db.query<{ n: number; distinct_keys: number; exact: boolean }>(
      `select count(*)::int as n,
              count(distinct (date, campaign_id, ad_set_id, ad_id))::int as distinct_keys,
              sum(spend) = $2::numeric as exact
         from public.daily_metrics m
        where client_id = $1 and platform = 'meta' and date between '2025-08-01' and '2025-08-31'`,
      [acme().id, `${expectedSpendCents / 100n}.${String(expectedSpendCents % 100n).padStart(2, '0')}`],
    );
    expect(after.rows[0]).toEqual({ n: ROWS, distinct_keys: ROWS, exact: true });
    const ads = await sandbox.db.query<{ n: number }>(`select count(*)::int as n from public.ads where client_id = $1 and external_id like '9______'`, [acme().id]);
    expect(ads.rows[0]!.n).toBe(1000);
  }, 600_000);
});

describe('history', () => {
  it('lists every validation, dry run and upload, filters them, and opens an entry with its stages', async () => {
    await page.getByRole('button', { name: 'History' }).click();
    const table = page.getByTestId('history-table');
    await table.waitFor();
    expect(await page.getByTestId('history-row').count()).toBeGreaterThanOrEqual(10);
    await page.getByLabel('Platform').selectOption('tiktok');
    // The dry run was committed as planned, so it became the upload: one entry, plus the validation.
    await expect.poll(() => page.getByTestId('history-row').allTextContents()).toEqual([
      expect.stringMatching(/upload.*ad-daily-by-day-total-row\.csv.*Acme Outdoor.*TikTok Ads.*6.*completed/),
      expect.stringMatching(/validate.*ad-daily-by-day-total-row\.csv.*—.*TikTok Ads.*validated/),
    ]);
    await page.getByLabel('Platform').selectOption('meta');
    await page.getByLabel('Status').selectOption('completed');
    await page.getByTestId('history-row').filter({ hasText: 'meta-august-30k.csv' }).click();
    const detail = page.getByTestId('history-detail');
    await detail.waitFor();
    expect(await detail.textContent()).toMatch(/upload \(COMMIT\).*completed.*Acme Outdoor/);
    expect(await detail.locator('.stages-table tbody tr').count()).toBeGreaterThan(5);
    await saveScreen(page, '12-history');
  });

  it('logged no console errors in any page', () => {
    for (const p of problems) expect(p).toEqual([]);
  });
});
