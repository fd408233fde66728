import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeFile } from '../../electron/engine/store/open.ts';
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
    await saveScreen(page, '10-sign-in');
    await page.locator('form').getByRole('button', { name: 'Sign in' }).click();
    expect(await page.getByTestId('signed-in-user').textContent()).toBe(maya().email);
    expect(await page.getByLabel('Workspace').locator('option:checked').textContent()).toBe('Northwind Media');
    await page.getByLabel('Client').selectOption({ label: 'Acme Outdoor (USD)' });
  });
});

describe('each platform, from drop to database', () => {
  it('drops Meta, Google and TikTok exports at once, and uploads each after its dry run', async () => {
    await dropFiles(page, [
      fixture('meta/ad-daily-tricky-text.csv'),
      fixture('google/campaign-daily-preamble-totals.csv'),
      fixture('tiktok/ad-daily-by-day-total-row.csv'),
    ]);
    await expect.poll(() => page.getByTestId('file-card').count()).toBe(3);
    await expect.poll(() => page.getByTestId('file-state').allTextContents()).toEqual(['Valid', 'Valid', 'Valid']);

    await dryRunAndUpload('ad-daily-tricky-text.csv', 8, '11-dry-run-plan');
    await saveScreen(page, '12-upload-done');
    expect(await factsInDb('meta')).toEqual({ n: 8, spend: '135.00' });
    const names = await sandbox.db.query<{ name: string }>(`select name from public.campaigns where client_id = $1 order by name`, [
      acme().id,
    ]);
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
    expect(await page.getByTestId('warnings').textContent()).toMatch(
      new RegExp(`already uploaded for this client on .* by ${maya().email.replace('.', '\\.')}`),
    );
    expect(await page.getByTestId('dry-run-plan').getByTestId('plan-facts').textContent()).toBe('Daily rows (facts)008');
    await saveScreen(page, '13-dry-run-already-uploaded');
    expect(await factsInDb('meta')).toEqual({ n: 8, spend: '135.00' });
  }, 120_000);
});

/** A Meta ad-level export of 1,000 ads × 30 days of one month; returns its path and exact spend. */
function bigExport(month: '05' | '06' | '07' | '08', name: string): { path: string; spend: string } {
  let cents = 0n;
  const lines = [
    'Day,"Campaign name","Campaign ID","Ad set name","Ad set ID","Ad name","Ad ID","Amount spent (USD)",Impressions,"Link clicks",Purchases,"Purchases conversion value"',
  ];
  for (let i = 0; i < 30_000; i++) {
    const ad = i % 1000;
    const day = Math.floor(i / 1000) + 1;
    const c = 100 + ((i * 7919) % 90_000);
    cents += BigInt(c);
    lines.push(
      `2025-${month}-${String(day).padStart(2, '0')},Summer ${ad % 10},${7_000_000 + (ad % 10)},Set ${ad % 100},${8_000_000 + (ad % 100)},Ad ${ad},${9_000_000 + ad},${Math.floor(c / 100)}.${String(c % 100).padStart(2, '0')},${1000 + i},${i % 50},${i % 3},${(i % 3) * 10}.5`,
    );
  }
  const path = join(mkdtempSync(join(tmpdir(), 'md-big-')), name);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return { path, spend: `${cents / 100n}.${String(cents % 100n).padStart(2, '0')}` };
}

async function monthInDb(month: string): Promise<{ n: number; distinct_keys: number; spend: string }> {
  const r = await sandbox.db.query<{ n: number; distinct_keys: number; spend: string }>(
    `select count(*)::int as n, count(distinct (date, campaign_id, ad_set_id, ad_id))::int as distinct_keys, coalesce(sum(spend), 0)::text as spend
       from public.daily_metrics where client_id = $1 and platform = 'meta' and to_char(date, 'MM') = $2`,
    [acme().id, month],
  );
  return r.rows[0]!;
}

async function dryRunThenStartUpload(name: string): Promise<void> {
  await expect.poll(() => cardOf(name).getByTestId('file-state').textContent(), { timeout: 60_000 }).toBe('Valid');
  await cardOf(name).getByRole('button').first().click();
  await page.getByRole('tab', { name: 'Dry run' }).click();
  await page.getByRole('button', { name: 'Dry run for Acme Outdoor' }).click();
  await page.getByTestId('dry-run-plan').waitFor({ timeout: 180_000 });
  await page.getByRole('button', { name: 'Upload 30,000 rows to Acme Outdoor' }).click();
  // Until daily rows are being written.
  const facts = page.getByTestId('stage-facts').getByRole('progressbar');
  await expect.poll(async () => Number(await facts.getAttribute('aria-valuenow')), { timeout: 180_000, interval: 50 }).toBeGreaterThan(0);
}

const exactly = (spend: string) => expect.stringMatching(new RegExp(`^${spend.replace('.', '\\.')}0*$`));

describe('cancelling an upload', () => {
  it('stops at the next step with CANCELLED, offers to resume, and the resumed upload is exact', async () => {
    const july = bigExport('07', 'meta-july-30k.csv');
    await dropFiles(page, [{ name: 'meta-july-30k.csv', path: july.path }]);
    await dryRunThenStartUpload('meta-july-30k.csv');
    await page.getByRole('button', { name: 'Cancel upload' }).click();
    const refusal = page.getByTestId('refusal');
    await refusal.waitFor({ timeout: 60_000 });
    expect(await refusal.textContent()).toMatch(/^CANCELLED The upload was cancelled; it can be resumed\./);
    expect((await monthInDb('07')).n).toBeLessThan(30_000);
    const banner = page.getByRole('region', { name: 'Interrupted uploads' });
    await banner.waitFor();
    await banner.getByRole('button', { name: 'Resume upload' }).click();
    await page.getByTestId('resumed').waitFor({ timeout: 180_000 });
    expect(await monthInDb('07')).toEqual({ n: 30_000, distinct_keys: 30_000, spend: exactly(july.spend) });
    await page.getByRole('button', { name: 'Dismiss' }).click();
  }, 600_000);
});

describe('an upload interrupted by a crash', () => {
  const ROWS = 30_000;

  it('resumes from the banner after the app was killed mid-upload, and the database holds exactly the file', async () => {
    const august = bigExport('08', 'meta-august-30k.csv');
    await dropFiles(page, [{ name: 'meta-august-30k.csv', path: august.path }]);
    // Daily rows are being written: kill the app outright (no chance to clean up).
    await dryRunThenStartUpload('meta-august-30k.csv');
    await saveScreen(page, '14-upload-progress');
    // What this page logged up to the crash; after it, its failed reconnects to the dead app are expected.
    const beforeCrash = [...problems[0]!];
    await web.stop('SIGKILL');
    await page.close();
    problems[0] = beforeCrash;
    expect((await monthInDb('08')).n).toBeLessThan(ROWS);

    web = await startWeb({ home, rendererDir });
    page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    problems.push(watchConsole(page));
    await page.goto(web.link);
    const banner = page.getByRole('region', { name: 'Interrupted uploads' });
    await banner.waitFor();
    expect(await banner.textContent()).toMatch(/An upload was interrupted\..*meta-august-30k\.csv for Acme Outdoor · 30,000 rows/);
    await saveScreen(page, '15-resume-banner');
    await banner.getByRole('button', { name: 'Resume upload' }).click();
    await page.getByTestId('resumed').waitFor({ timeout: 180_000 });
    expect(await page.getByTestId('resumed').textContent()).toContain(
      'Upload of meta-august-30k.csv resumed and completed: 30,000 daily rows.',
    );
    expect(await banner.count()).toBe(0);
    await saveScreen(page, '16-resumed');

    expect(await monthInDb('08')).toEqual({ n: ROWS, distinct_keys: ROWS, spend: exactly(august.spend) });
    const ads = await sandbox.db.query<{ n: number }>(
      `select count(*)::int as n from public.ads where client_id = $1 and external_id like '9______'`,
      [acme().id],
    );
    expect(ads.rows[0]!.n).toBe(1000);
  }, 600_000);

  it('an upload killed while reading its file, before anything was sent, is offered by the banner; resuming reads the file again', async () => {
    const june = bigExport('06', 'meta-june-30k.csv');
    // The command line shares the app's data folder: kill it as soon as it has recorded the upload.
    const cli = spawn(
      process.execPath,
      [resolve(import.meta.dirname, '../../bin/metricdrop.mjs'), '--home', home, 'upload', june.path, '--client', 'Acme Outdoor'],
      {
        stdio: 'ignore',
      },
    );
    const exited = new Promise((r) => cli.once('exit', r));
    const store = new Database(storeFile(home), { readonly: true, fileMustExist: true });
    const asked = () => (store.prepare(`select count(*) as n from upload_intents where file_path = ?`).get(june.path) as { n: number }).n;
    for (const deadline = Date.now() + 30_000; asked() === 0 && Date.now() < deadline;) await new Promise((r) => setTimeout(r, 1));
    cli.kill('SIGKILL');
    await exited;
    store.close();
    expect((await monthInDb('06')).n).toBe(0);

    await page.reload();
    const banner = page.getByRole('region', { name: 'Interrupted uploads' });
    await banner.waitFor();
    expect(await banner.textContent()).toMatch(
      /meta-june-30k\.csv for Acme Outdoor · asked for .* · stopped before anything was sent: resuming reads the file again, if it has not changed since/,
    );
    await saveScreen(page, '17-resume-banner-not-sent');
    await banner.getByRole('button', { name: 'Resume upload' }).click();
    await page.getByTestId('resumed').waitFor({ timeout: 180_000 });
    expect(await page.getByTestId('resumed').textContent()).toContain(
      'Upload of meta-june-30k.csv resumed and completed: 30,000 daily rows.',
    );
    expect(await banner.count()).toBe(0);
    expect(await monthInDb('06')).toEqual({ n: ROWS, distinct_keys: ROWS, spend: exactly(june.spend) });
  }, 600_000);
});

describe('an upload whose engine process died', () => {
  it('ends with ENGINE_RESTARTED while the page stays connected, and resumes from the banner to exactly the file', async () => {
    const may = bigExport('05', 'meta-may-30k.csv');
    await dropFiles(page, [{ name: 'meta-may-30k.csv', path: may.path }]);
    await dryRunThenStartUpload('meta-may-30k.csv');
    // The engine's process dies outright mid-upload; the bridge serving this page lives on.
    process.kill(web.enginePid, 'SIGKILL');
    const refusal = page.getByTestId('refusal');
    await refusal.waitFor({ timeout: 60_000 });
    expect(await refusal.textContent()).toMatch(
      /^ENGINE_RESTARTED The part of metricdrop that reads files and uploads stopped unexpectedly and has been restarted\./,
    );
    expect(web.child.exitCode).toBeNull();
    expect((await monthInDb('05')).n).toBeLessThan(30_000);
    // Without reloading the page: the banner offers the upload, and the restarted engine finishes it.
    const banner = page.getByRole('region', { name: 'Interrupted uploads' });
    await banner.waitFor();
    expect(await banner.textContent()).toMatch(/meta-may-30k\.csv for Acme Outdoor · 30,000 rows/);
    await banner.getByRole('button', { name: 'Resume upload' }).click();
    // The page may still show an earlier resume's message: wait for this file's.
    await page.getByTestId('resumed').filter({ hasText: 'meta-may-30k.csv' }).waitFor({ timeout: 180_000 });
    expect(await monthInDb('05')).toEqual({ n: 30_000, distinct_keys: 30_000, spend: exactly(may.spend) });
    await page.getByRole('button', { name: 'Dismiss' }).click();
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
    await expect
      .poll(() => page.getByTestId('history-row').allTextContents())
      .toEqual([
        expect.stringMatching(/upload.*ad-daily-by-day-total-row\.csv.*Acme Outdoor.*TikTok Ads.*6.*completed/),
        expect.stringMatching(/validate.*ad-daily-by-day-total-row\.csv.*—.*TikTok Ads.*validated/),
      ]);
    await page.getByLabel('Platform').selectOption('meta');
    await page.getByLabel('Status').selectOption('completed');
    await expect
      .poll(async () => (await page.getByTestId('history-row').allTextContents()).every((t) => t.endsWith('completed')))
      .toBe(true);
    await page.getByTestId('history-row').filter({ hasText: 'meta-august-30k.csv' }).click();
    const detail = page.getByTestId('history-detail');
    await detail.waitFor();
    expect(await detail.textContent()).toMatch(/upload \(COMMIT\).*completed.*Acme Outdoor/);
    expect(await detail.locator('.stages-table tbody tr').count()).toBeGreaterThan(5);
    await saveScreen(page, '17-history');
  });

  it('shows offline plainly when the project cannot be reached, and still validates and plans a dry run locally', async () => {
    await sandbox.stop();
    expect(
      await fetch(`${sandbox.info.supabaseUrl}/auth/v1/health`).then(
        () => 'answering',
        () => 'gone',
      ),
    ).toBe('gone');
    await page.reload();
    const strip = page.getByRole('status').filter({ hasText: 'Offline' });
    // Offline is known once the project fails to answer (supabase-js retries reads for about 7 s first).
    await strip.waitFor({ timeout: 90_000 }).catch(async (err: unknown) => {
      await saveScreen(page, 'failed-offline');
      const secret = /#k=(\w+)/.exec(web.link)![1]!;
      const direct = await fetch(`${web.url}/ipc/session:get`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-metricdrop-secret': secret },
        body: '{}',
      }).then((r) => r.text());
      throw new Error(`${String(err)}\n--- session:get now: ${direct}\n--- npm run web said:\n${web.output()}`);
    });
    expect(await strip.textContent()).toMatch(
      /cannot be reached\. Validation and dry runs against what this computer already knows still work/,
    );
    expect(await page.getByTestId('signed-in-user').textContent()).toBe(maya().email);
    await dropFiles(page, [fixture('meta/ad-daily-tricky-text.csv')]);
    await expect.poll(() => cardOf('ad-daily-tricky-text.csv').getByTestId('file-state').textContent()).toBe('Valid');
    await cardOf('ad-daily-tricky-text.csv').getByRole('button').first().click();
    await page.getByRole('tab', { name: 'Dry run' }).click();
    await page.getByRole('button', { name: 'Dry run for Acme Outdoor' }).click();
    const plan = page.getByTestId('dry-run-plan');
    await plan.waitFor({ timeout: 120_000 });
    expect(await plan.textContent()).toContain('planned on this computer (offline)');
    expect(await plan.getByTestId('plan-facts').textContent()).toBe('Daily rows (facts)008');
    expect(await page.getByRole('button', { name: 'Upload 8 rows to Acme Outdoor' }).isDisabled()).toBe(true);
    await saveScreen(page, '18-offline-dry-run');
  }, 300_000);

  it('signs out and remembers the project and email for the next sign-in (never the password)', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.locator('input[name=email]').inputValue()).toBe(maya().email);
    expect(await page.locator('input[name=url]').inputValue()).toBe(sandbox.info.supabaseUrl);
    expect(await page.locator('input[name=anonKey]').inputValue()).toBe(sandbox.info.anonKey);
    expect(await page.locator('input[name=password]').inputValue()).toBe('');
  }, 60_000);

  it('logged no console errors in any page', () => {
    for (const p of problems) expect(p).toEqual([]);
  });
});
