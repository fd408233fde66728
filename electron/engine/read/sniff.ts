export type Delimiter = ',' | '\t' | ';';
export type Newline = '\n' | '\r\n' | '\r';

export interface Dialect {
  delimiter: Delimiter;
  newline: Newline;
}

const CANDIDATES: readonly Delimiter[] = [',', '\t', ';'];
const SAMPLE_RECORDS = 50;

/**
 * Decides the delimiter and line ending from the start of the decoded text. Quoted text is skipped,
 * so `"Prospecting | US, CA"` does not count as a comma. The delimiter is the candidate whose count
 * per record is the same on the most records (preamble lines count zero and do not vote), with the
 * larger count winning a tie: a semicolon file with decimal commas has a steady `;` count and a
 * varying `,` count.
 */
export function sniffDialect(sample: string, atEnd: boolean): Dialect {
  const counts: number[][] = CANDIDATES.map(() => []);
  const current = [0, 0, 0];
  let newline: Newline | null = null;
  let inQuotes = false;
  let recordHasContent = false;
  let records = 0;
  const n = sample.length;

  const endRecord = () => {
    if (recordHasContent) {
      for (let k = 0; k < CANDIDATES.length; k++) counts[k]!.push(current[k]!);
      records++;
    }
    current[0] = current[1] = current[2] = 0;
    recordHasContent = false;
  };

  for (let i = 0; i < n && records < SAMPLE_RECORDS; i++) {
    const c = sample[i];
    if (inQuotes) {
      if (c === '"') {
        if (sample[i + 1] === '"') i++;
        else inQuotes = false;
      }
      continue;
    }
    if (c === '"') {
      inQuotes = true;
      recordHasContent = true;
    } else if (c === '\n' || c === '\r') {
      if (newline === null) newline = c === '\r' ? (sample[i + 1] === '\n' ? '\r\n' : i + 1 < n ? '\r' : null) : '\n';
      if (c === '\r' && sample[i + 1] === '\n') i++;
      endRecord();
    } else {
      const k = c === ',' ? 0 : c === '\t' ? 1 : c === ';' ? 2 : -1;
      if (k >= 0) current[k]!++;
      recordHasContent = true;
    }
  }
  // The last record of the sample is complete only when the sample is the whole file.
  if (atEnd && !inQuotes) endRecord();

  let best: { delimiter: Delimiter; agreeing: number; count: number } | null = null;
  for (let k = 0; k < CANDIDATES.length; k++) {
    const { value, frequency } = modeOfPositive(counts[k]!);
    if (value === 0) continue;
    if (best === null || frequency > best.agreeing || (frequency === best.agreeing && value > best.count)) {
      best = { delimiter: CANDIDATES[k]!, agreeing: frequency, count: value };
    }
  }
  return { delimiter: best?.delimiter ?? ',', newline: newline ?? '\n' };
}

function modeOfPositive(values: number[]): { value: number; frequency: number } {
  const freq = new Map<number, number>();
  for (const v of values) if (v > 0) freq.set(v, (freq.get(v) ?? 0) + 1);
  let value = 0;
  let frequency = 0;
  for (const [v, f] of freq) {
    if (f > frequency || (f === frequency && v > value)) {
      value = v;
      frequency = f;
    }
  }
  return { value, frequency };
}
