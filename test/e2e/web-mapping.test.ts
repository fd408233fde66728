import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from './sandbox.ts';
import { buildWindow, dropFiles, fixture, launchChromium, saveScreen, startWeb, watchConsole, type WebApp } from './support.ts';

/**
 * Column mapping in the window, in Chromium against `npm run web` and the sandbox: a
 * Meta export whose spend column has a custom name (and a second unknown amount column, so the
 * values alone do not decide) is refused with a mapping step; the person picks the spend column,
 * confirms with the keyboard, sees the normal report, uploads it, and finds the mapping in the
 * history entry and in data_uploads.summary; the next file with the same header is read with the
 * saved mapping; forgetting it in the Mappings screen makes such a file ask again.
 */
let sandbox: Sandbox;
let web: WebApp;
let browser: Browser;
let page: Page;
let problems: string[];

const HEADER = 'Day,Campaign name,Campaign ID,Impressions,Link clicks,Budget used (USD),Agency fee (USD)';
// Spend (Budget used) per row, summed by hand: 23.17 + 9.05 + 24.80 + 10.11 = 67.13; the next file 22.61 + 8.70 = 31.31.
const FIRST = [
  '2026-11-02,Winter Boots,120330000111,1520,41,23.17,1.16',
  '2026-11-02,Trail Socks,120330000222,880,12,9.05,0.45',
  '2026-11-03,Winter Boots,120330000111,1610,39,24.80,1.24',
  '2026-11-03,Trail Socks,120330000222,905,15,10.11,0.51',
];
const NEXT = ['2026-11-04,Winter Boots,120330000111,1499,37,22.61,1.13', '2026-11-04,Trail Socks,120330000222,861,9,8.70,0.44'];

function exportFile(name: string, rows: string[]): { name: string; path: string } {
  const path = join(mkdtempSync(join(tmpdir(), 'md-map-')), name);
  writeFileSync(path, `${[HEADER, ...rows].join('\r\n')}\r\n`);
  return { name, path };
}

beforeAll(async () => {
  const [s, rendererDir] = await Promise.all([startSandbox(), buildWindow()]);
  sandbox = s;
  web = await startWeb({ home: mkdtempSync(join(tmpdir(), 'md-home-')), rendererDir });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1366, height: 1000 } });
  problems = watchConsole(page);
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

describe('column mapping in the window', () => {
  it('signs in and chooses the client', async () => {
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('input[name=url]').fill(sandbox.info.supabaseUrl);
    await page.locator('input[name=anonKey]').fill(sandbox.info.anonKey);
    await page.locator('input[name=email]').fill(maya().email);
    await page.locator('input[name=password]').fill(maya().password);
    await page.locator('form').getByRole('button', { name: 'Sign in' }).click();
    expect(await page.getByTestId('signed-in-user').textContent()).toBe(maya().email);
    await page.getByLabel('Client').selectOption({ label: 'Acme Outdoor (USD)' });
  }, 60_000);

  it('an unmapped file shows the mapping step; mapped in the window, it validates to the exact totals', async () => {
    await dropFiles(page, [exportFile('meta-custom-spend.csv', FIRST)]);
    await expect.poll(() => cardOf('meta-custom-spend.csv').getByTestId('file-state').textContent()).toBe('Refused: MISSING_COLUMN');
    expect(await cardOf('meta-custom-spend.csv').getByTestId('card-map').textContent()).toContain('Map the columns');
    await cardOf('meta-custom-spend.csv').getByRole('button').first().click();
    const step = page.getByTestId('mapping-step');
    await step.waitFor();
    // The proposal is pre-filled from the header table; spend has two candidates, so it is left to the person.
    expect(await page.getByLabel('Column for Day').locator('option:checked').textContent()).toBe('Day');
    expect(await page.getByLabel('Column for Clicks').locator('option:checked').textContent()).toBe('Link clicks');
    expect(await page.getByTestId('mapping-samples-impressions').textContent()).toBe('15208801610');
    expect(await page.getByLabel('Column for Spend').locator('option:checked').textContent()).toBe('— none —');
    expect(await page.getByTestId('mapping-row-spend').getByLabel('required').count()).toBe(1);
    expect(await page.getByTestId('mapping-problems').textContent()).toContain('Pick the column that holds Spend.');
    expect(await step.getByRole('button', { name: 'Validate with this mapping' }).isDisabled()).toBe(true);

    // Keyboard only: focus the spend picker, choose its column, then Tab to the button and press Enter.
    await page.getByLabel('Column for Spend').focus();
    await page.getByLabel('Column for Spend').selectOption({ label: 'Budget used (USD)' });
    expect(await page.getByTestId('mapping-samples-spend').textContent()).toBe('23.179.0524.80');
    expect(await page.getByTestId('mapping-problems').count()).toBe(0);
    await saveScreen(page, '30-mapping-step');
    const submit = step.getByRole('button', { name: 'Validate with this mapping' });
    await submit.focus();
    await page.keyboard.press('Enter');

    await expect.poll(() => cardOf('meta-custom-spend.csv').getByTestId('file-state').textContent(), { timeout: 60_000 }).toBe('Valid');
    const note = page.getByTestId('mapped-note');
    expect(await note.textContent()).toMatch(
      /^Columns mapped as you confirmed on \d{1,2} \w{3} \d{4} \(Meta Ads Manager; Spend = "Budget used \(USD\)"\)\.$/,
    );
    expect(await page.getByTestId('mapping-step').count()).toBe(0);
    expect(await page.locator('.stat').filter({ hasText: 'Spend' }).textContent()).toContain('67.13');
    await saveScreen(page, '31-mapped-report');
  }, 120_000);

  it('uploads the mapped file to the sandbox; the history entry and data_uploads.summary carry the mapping', async () => {
    await page.getByRole('tab', { name: 'Dry run' }).click();
    await page.getByRole('button', { name: 'Dry run for Acme Outdoor' }).click();
    await page.getByTestId('dry-run-plan').waitFor({ timeout: 60_000 });
    await page.getByRole('button', { name: 'Upload 4 rows to Acme Outdoor' }).click();
    await page.getByTestId('upload-done').waitFor({ timeout: 60_000 });
    const db = await sandbox.db.query<{ n: number; spend: string }>(
      `select count(*)::int as n, sum(spend)::text as spend from public.daily_metrics where client_id = $1 and date between '2026-11-02' and '2026-11-03'`,
      [acme().id],
    );
    expect(db.rows[0]).toEqual({ n: 4, spend: '67.13' });
    const up = await sandbox.db.query<{ mapping: { platform: string; fields: Record<string, string> } }>(
      `select summary -> 'column_mapping' as mapping from public.data_uploads where client_id = $1 and file_name = 'meta-custom-spend.csv' and mode = 'COMMIT'`,
      [acme().id],
    );
    expect(up.rows.map((r) => r.mapping)).toEqual([expect.objectContaining({ platform: 'meta', fields: { spend: 'Budget used (USD)' } })]);

    await page.getByRole('button', { name: 'History' }).click();
    await page.getByTestId('history-table').waitFor();
    await page.getByTestId('history-row').filter({ hasText: 'meta-custom-spend.csv' }).filter({ hasText: 'upload' }).first().click();
    const detail = page.getByTestId('history-detail');
    await detail.waitFor();
    expect(await detail.getByTestId('history-mapping').textContent()).toMatch(
      /Columns mapped as you confirmed on .*Spend = "Budget used \(USD\)"/,
    );
    await saveScreen(page, '32-history-mapping');
  }, 120_000);

  it('reads the next file with the same header by the saved mapping; forgotten in the Mappings screen, such a file asks again', async () => {
    await page.getByRole('button', { name: 'Upload', exact: true }).click();
    await dropFiles(page, [exportFile('meta-custom-spend-next.csv', NEXT)]);
    await expect
      .poll(() => cardOf('meta-custom-spend-next.csv').getByTestId('file-state').textContent(), { timeout: 60_000 })
      .toBe('Valid');
    await cardOf('meta-custom-spend-next.csv').getByRole('button').first().click();
    expect(await page.getByTestId('mapped-note').textContent()).toContain('Columns mapped as you confirmed on');
    expect(await page.locator('.stat').filter({ hasText: 'Spend' }).textContent()).toContain('31.31');

    await page.getByRole('button', { name: 'Mappings' }).click();
    const saved = page.getByTestId('saved-mapping');
    await expect.poll(() => saved.count()).toBe(1);
    expect(await saved.textContent()).toContain('Budget used (USD)');
    await saveScreen(page, '33-mappings');
    await saved.getByRole('button', { name: 'Forget' }).click();
    await page.getByTestId('no-mappings').waitFor();

    await page.getByRole('button', { name: 'Upload', exact: true }).click();
    await dropFiles(page, [exportFile('meta-custom-spend-again.csv', NEXT)]);
    await expect
      .poll(() => cardOf('meta-custom-spend-again.csv').getByTestId('file-state').textContent(), { timeout: 60_000 })
      .toBe('Refused: MISSING_COLUMN');
  }, 120_000);

  it('a header several platforms write: the person chooses the platform in the mapping step, and the file is read as that platform', async () => {
    await dropFiles(page, [fixture('refuse/ambiguous-day-campaign-clicks-cost.csv')]);
    const card = cardOf('ambiguous-day-campaign-clicks-cost.csv');
    await expect.poll(() => card.getByTestId('file-state').textContent(), { timeout: 60_000 }).toBe('Refused: UNKNOWN_FORMAT');
    await card.getByRole('button').first().click();
    const step = page.getByTestId('mapping-step');
    await step.waitFor();
    expect(await page.getByTestId('mapping-problems').textContent()).toContain('Choose the platform that exported this file.');
    const google = step.getByRole('radio', { name: 'Google Ads' });
    await google.focus();
    await page.keyboard.press('Space');
    expect(await google.isChecked()).toBe(true);
    expect(await page.getByLabel('Column for Spend').locator('option:checked').textContent()).toBe('Cost');
    await saveScreen(page, '34-mapping-platform');
    await step.getByRole('button', { name: 'Validate with this mapping' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => card.getByTestId('file-state').textContent(), { timeout: 60_000 }).toBe('Valid');
    expect(await card.textContent()).toContain('Google Ads');
    expect(await page.getByTestId('mapped-note').textContent()).toContain('(Google Ads)');
    expect(problems).toEqual([]);
  }, 120_000);
});
