import { createReadStream } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';
import { createEngine, silentLogger, systemClock } from '../electron/engine/index.ts';
import { openStore, storeFile } from '../electron/engine/store/open.ts';
import { validateExport } from '../electron/engine/validate/index.ts';
import type { ValidateReport } from '../shared/report.ts';

export type Mode = 'parse' | 'validate' | 'validate+record';

/** Bare papaparse: the file streamed through `Papa.parse` with a chunk callback, rows counted. */
export function bareParse(path: string): Promise<number> {
  let rows = 0;
  return new Promise((resolve, reject) => {
    Papa.parse(createReadStream(path, { encoding: 'utf8' }) as unknown as File, {
      chunk: (r: Papa.ParseResult<unknown>) => {
        rows += r.data.length;
      },
      complete: () => resolve(rows),
      error: reject,
    });
  });
}

export async function validateOnly(path: string): Promise<ValidateReport> {
  return (await validateExport(path)).report;
}

/** What `metricdrop validate` does: validate and record file, issues and rows in a fresh store. */
export async function validateAndRecord(path: string): Promise<ValidateReport> {
  const home = mkdtempSync(join(tmpdir(), 'metricdrop-bench-home-'));
  const db = openStore(storeFile(home));
  try {
    return (await createEngine({ db, clock: systemClock, logger: silentLogger, home }).validateFile(path)).report;
  } finally {
    db.close();
  }
}

export async function runMode(mode: Mode, path: string): Promise<unknown> {
  if (mode === 'parse') return bareParse(path);
  if (mode === 'validate') return validateOnly(path);
  return validateAndRecord(path);
}
