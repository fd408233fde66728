import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
// @ts-expect-error plain .mjs without types
import { RECORD_WORKER } from '../../../scripts/build-cli.mjs';
import { FILE_WORTH_A_THREAD_BYTES } from '../threads.ts';
import { SpareRecordingThread, spareThreadFor } from './spare.ts';

const worker = pathToFileURL(RECORD_WORKER as string);

describe('a recording thread started ahead of need', () => {
  it('is started only for a file large enough to be recorded while it is read', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'metricdrop-spare-'));
    const small = join(dir, 'small.csv');
    writeFileSync(small, 'Day,Impressions\n2025-09-01,1\n');
    const large = join(dir, 'large.csv');
    writeFileSync(large, Buffer.alloc(FILE_WORTH_A_THREAD_BYTES, 'a'));
    expect(await spareThreadFor(small, worker)).toBeNull();
    expect(await spareThreadFor(join(dir, 'missing.csv'), worker)).toBeNull();
    const spare = await spareThreadFor(large, worker);
    expect(spare).not.toBeNull();
    const w = spare!.take()!;
    expect(spare!.take()).toBeNull();
    await w.terminate();
  });

  it('one never taken is ended, and never keeps the process alive', async () => {
    const spare = new SpareRecordingThread(worker);
    const w = spare.take()!;
    const exited = once(w, 'exit');
    const other = new SpareRecordingThread(worker);
    other.end();
    expect(other.take()).toBeNull();
    await w.terminate();
    await exited;
    // A process that starts one and does nothing else ends at once, though the thread would wait for
    // its first message for ever.
    const waiting = 'data:text/javascript,import { parentPort } from "node:worker_threads"; parentPort.on("message", () => {});';
    const code = `import { SpareRecordingThread } from ${JSON.stringify(join(import.meta.dirname, 'spare.ts'))};
      new SpareRecordingThread(new URL(${JSON.stringify(waiting)}));`;
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { encoding: 'utf8', timeout: 20_000 });
    expect(r.error).toBeUndefined();
    expect(r.status).toBe(0);
  });
});
