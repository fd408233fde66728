import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWindow, dropFiles, fixture, launchChromium, saveScreen, startWeb, watchConsole, type WebApp } from './support.ts';

/**
 * The window in Chromium against `npm run web` with the real engine: files dropped and chosen with
 * the keyboard, the validation report, the errors CSV as downloaded, text shown as text, and a
 * file with 100,000 issues.
 */
let web: WebApp;
let browser: Browser;
let page: Page;
let problems: string[];

beforeAll(async () => {
  const rendererDir = await buildWindow();
  web = await startWeb({ home: mkdtempSync(join(tmpdir(), 'md-home-')), rendererDir });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1366, height: 900 }, acceptDownloads: true });
  problems = watchConsole(page);
  // Listening from the start turns on file-chooser interception before any chooser can open.
  page.on('filechooser', () => {});
  await page.goto(web.link);
  await page.getByTestId('dropzone').waitFor();
}, 120_000);

/** Meta's ad-level daily export header, with or without the purchase columns. */
const META_HEADER =
  'Day,"Campaign name","Campaign ID","Ad set name","Ad set ID","Ad name","Ad ID","Amount spent (USD)",Impressions,"Link clicks"';
const META_HEADER_PURCHASES = `${META_HEADER},Purchases,"Purchases conversion value"`;

/** A Meta export made for one test, in a folder of its own; returns its path. */
function writeMetaExport(name: string, header: string, rows: readonly string[]): string {
  const path = join(mkdtempSync(join(tmpdir(), 'md-export-')), name);
  writeFileSync(path, `${[header, ...rows].join('\n')}\n`);
  return path;
}

afterAll(async () => {
  await browser?.close();
  await web?.stop();
});

const card = (name: string) => page.getByRole('article', { name: `File ${name}` });

describe('dropping exports and reading the report', () => {
  it('removes the secret from the address bar and shows the empty screen', async () => {
    expect(page.url()).toBe(`${web.url}/`);
    await saveScreen(page, '01-start');
  });

  it('takes one file of each platform and a refused one in a single drop, with a card each', async () => {
    await dropFiles(page, [
      fixture('meta/ad-daily-row-errors.csv'),
      fixture('google/adgroup-daily-excel-utf16le-tab.csv'),
      fixture('tiktok/ad-daily-by-day-total-row.csv'),
      fixture('refuse/unknown-bank-statement.csv'),
    ]);
    await expect.poll(() => page.getByTestId('file-card').count()).toBe(4);
    await expect.poll(() => page.getByTestId('file-state').allTextContents()).not.toContain('Validating…');
    const meta = card('ad-daily-row-errors.csv');
    await expect.poll(() => meta.textContent()).toContain('Meta Ads');
    expect(await meta.textContent()).toMatch(/Ad level.*USD.*1–3 Sep 2025.*4 valid · 9 with errors.*2 campaigns · 2 ad sets · 3 ads/);
    expect(await card('adgroup-daily-excel-utf16le-tab.csv').textContent()).toMatch(/Google Ads.*Ad set level.*USD.*6 valid/);
    expect(await card('ad-daily-by-day-total-row.csv').textContent()).toMatch(/TikTok Ads.*Ad level/);
    expect(await card('unknown-bank-statement.csv').getByTestId('file-state').textContent()).toBe('Refused: UNKNOWN_FORMAT');
    await saveScreen(page, '02-files-and-report');
  });

  it('shows counts by code, filters the issues, and names row and column as the spreadsheet does', async () => {
    await card('ad-daily-row-errors.csv').getByRole('button').first().click();
    expect(await page.getByTestId('code-count-INVALID_VALUE').textContent()).toMatch(/INVALID_VALUE\s*6/);
    expect(await page.getByTestId('issues-count').textContent()).toContain('Showing 9 of 9 issues');
    await page.getByTestId('code-count-CONFLICTING_DIMENSION').click();
    expect(await page.getByTestId('issues-count').textContent()).toContain('Showing 2 of 9 issues');
    const first = page.getByTestId('issues-table').locator('.issues-spacer [role=row]').first();
    expect(await first.textContent()).toMatch(/^10Ad nameCONFLICTING_DIMENSIONerror/);
    await first.click();
    expect(await page.getByTestId('issue-detail').textContent()).toMatch(/Row 10 · Ad name · CONFLICTING_DIMENSION \(error\)/);
    await page.getByTestId('code-count-CONFLICTING_DIMENSION').click();
    await page.getByLabel('Severity').selectOption('warning');
    expect(await page.getByTestId('issues-count').textContent()).toContain('Showing 0 of 9 issues');
    await page.getByLabel('Severity').selectOption('');
  });

  it('saves the errors as a CSV whose rows match the report and whose text cannot run as a formula', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Save errors as CSV' }).click()]);
    expect(download.suggestedFilename()).toBe('ad-daily-row-errors-errors.csv');
    const csv = readFileSync((await download.path())!, 'utf8');
    expect(csv.startsWith('\uFEFF"Row","Column","Code","Severity","Message"\r\n')).toBe(true);
    const lines = csv.slice(1).trimEnd().split('\r\n');
    expect(lines).toHaveLength(10);
    expect(lines[1]).toMatch(/^"4","Amount spent \(USD\)","INVALID_VALUE","error","Amount spent \(USD\) ""12,5x"" is not a number/);
    expect(lines.slice(1).map((l) => Number(/^"(\d*)"/.exec(l)![1]))).toEqual([4, 5, 6, 7, 9, 10, 11, 12, 13]);
    for (const line of lines) for (const cell of line.slice(1, -1).split('","')) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
  });

  it('shows a refusal with its code and sentence', async () => {
    await card('unknown-bank-statement.csv').getByRole('button').first().click();
    const refusal = page.getByTestId('refusal');
    expect(await refusal.textContent()).toMatch(/^UNKNOWN_FORMAT metricdrop does not recognise this file/);
  });
});

describe('file content is text', () => {
  it('shows names with SQL, formulas and right-to-left text exactly as written', async () => {
    await dropFiles(page, [fixture('meta/ad-daily-tricky-text.csv')]);
    await card('ad-daily-tricky-text.csv').getByRole('button').first().click();
    const table = page.getByTestId('campaigns-table');
    await table.waitFor();
    const names = await table.locator('.campaign-name').allTextContents();
    expect(names).toContain("Brand'); DROP TABLE campaigns;--");
    expect(names).toContain('=HYPERLINK("http://evil.example","click")');
    expect(names.some((n) => n.startsWith('Ramadan 🌙'))).toBe(true);
    expect(names).toContain('עברית | ישראל');
  });

  it('shows a campaign named <img src=x onerror=alert(1)> as those characters, in the campaigns and in an issue, and runs nothing', async () => {
    const path = writeMetaExport('meta-xss.csv', META_HEADER, [
      '2025-09-01,<img src=x onerror=alert(1)>,1,S,2,Plain ad,3,1.5,10,1',
      '2025-09-02,<img src=x onerror=alert(1)>,1,S,2,<script>alert(2)</script>,3,1.5,10,1',
    ]);
    await dropFiles(page, [{ name: 'meta-xss.csv', path }]);
    await expect.poll(() => card('meta-xss.csv').getByTestId('file-state').textContent()).toBe('1 row with errors');
    await card('meta-xss.csv').getByRole('button').first().click();
    const rows = await page.getByTestId('issues-table').locator('.issues-spacer [role=row]').allTextContents();
    expect(rows.join('\n')).toContain('<script>alert(2)</script>');
    await expect
      .poll(() => page.getByTestId('campaigns-table').locator('.campaign-name').allTextContents())
      .toEqual(['<img src=x onerror=alert(1)>']);
    expect(await page.locator('img, script:not([src])').count()).toBe(0);
    await saveScreen(page, '03-text-is-text');
  });
});

describe('the spend chart', () => {
  it('marks a day missing from the export and a day of unusual spend, before anything is uploaded', async () => {
    const lines: string[] = [];
    for (let day = 1; day <= 14; day++) {
      if (day === 5) continue; // the export lost a day
      for (const ad of [1, 2, 3]) {
        const spend = day === 9 ? 1500 + ad : 100 + ad * 10 + day;
        lines.push(`2025-09-${String(day).padStart(2, '0')},Brand,11,Set,22,Ad ${ad},${330 + ad},${spend}.25,${1000 * ad},${10 * ad},1,20`);
      }
    }
    const path = writeMetaExport('meta-gap-and-spike.csv', META_HEADER_PURCHASES, lines);
    await dropFiles(page, [{ name: 'meta-gap-and-spike.csv', path }]);
    await card('meta-gap-and-spike.csv').getByRole('button').first().click();
    await page.getByRole('tab', { name: 'Dry run' }).click();
    const chart = page.getByTestId('spend-chart');
    await chart.waitFor();
    expect(await chart.locator('rect.bar-missing').evaluateAll((els) => els.map((e) => e.getAttribute('data-date')))).toEqual([
      '2025-09-05',
    ]);
    expect(await chart.locator('rect.bar-spike').evaluateAll((els) => els.map((e) => e.getAttribute('data-date')))).toEqual(['2025-09-09']);
    expect(await chart.locator('rect.bar').count()).toBe(12);
    const notes = await page.getByTestId('chart-notes').textContent();
    expect(notes).toContain('A day has no rows: 5 Sep 2025.');
    expect(notes).toContain('Unusually high spend on 9 Sep 2025.');
    expect(await page.getByText('Sign in and choose a client to run a dry run.').count()).toBe(1);
    await saveScreen(page, '05-chart-gap-and-spike');
  });
});

describe('100,000 issues', () => {
  it('chosen with the keyboard, listed without slowing the window: a few dozen rows in the page at any scroll', async () => {
    const lines: string[] = [];
    for (let i = 0; i < 100_000; i++)
      lines.push(
        `2025-09-${String(1 + (i % 30)).padStart(2, '0')},Camp ${i % 40},${1000 + (i % 40)},Set,${5000 + (i % 40)},Ad ${i},${9_000_000 + i},n/a!,100,1,0,0`,
      );
    const path = writeMetaExport('meta-100k-errors.csv', META_HEADER_PURCHASES, lines);

    await page.getByTestId('dropzone').focus();
    expect(await page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.testid)).toBe('dropzone');
    const [chooser] = await Promise.all([page.waitForEvent('filechooser', { timeout: 10_000 }), page.keyboard.press('Enter')]);
    await chooser.setFiles(path);
    const big = card('meta-100k-errors.csv');
    await expect.poll(() => big.getByTestId('file-state').textContent(), { timeout: 60_000 }).toBe('100,000 rows with errors');
    await big.getByRole('button').first().click();
    expect(await page.getByTestId('issues-count').textContent()).toContain('Showing 100,000 of 100,000 issues');
    const body = page.getByTestId('issues-table').locator('.issues-body');
    const rendered = () => page.getByTestId('issues-table').locator('.issues-spacer [role=row]').count();
    expect(await rendered()).toBeLessThan(60);
    await body.evaluate((el) => (el.scrollTop = el.scrollHeight));
    await expect
      .poll(async () => (await page.getByTestId('issues-table').locator('.issues-spacer [role=row]').last().textContent()) ?? '')
      .toMatch(/^100001/);
    expect(await rendered()).toBeLessThan(60);
    await body.evaluate((el) => (el.scrollTop = el.scrollHeight / 2));
    await expect.poll(rendered).toBeLessThan(60);
    await saveScreen(page, '06-100k-issues');
  });
});

describe('the whole session', () => {
  it('logged no console errors, CSP violations or dialogs', () => {
    expect(problems).toEqual([]);
  });
});
