import { createWriteStream, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import yazl from 'yazl';
import { AppError, FILE_LIMITS } from '../../../shared/errors.ts';
import { unpackArchive } from './archive.ts';
import { openZip } from './zip.ts';

async function makeZip(members: { name: string; bytes: Buffer }[]): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'md-zip-test-'));
  const path = join(dir, 'test.zip');
  const zip = new yazl.ZipFile();
  for (const m of members) zip.addBuffer(m.bytes, m.name, { mtime: new Date(Date.UTC(2025, 0, 1)) });
  zip.end();
  await pipeline(zip.outputStream, createWriteStream(path));
  return path;
}

const csv = Buffer.from('Day,Campaign,Impr.\n2025-09-01,Brand,10\n');

describe('unpackArchive', () => {
  it('unpacks each file to a folder of its own, leaves out litter, refuses a nested archive as a member', async () => {
    const path = await makeZip([
      { name: 'a.csv', bytes: csv },
      { name: 'sub/b.csv', bytes: csv },
      { name: '__MACOSX/._a.csv', bytes: Buffer.from([0, 5]) },
      { name: '.DS_Store', bytes: Buffer.from([1]) },
      { name: 'inner.zip', bytes: Buffer.from('PK\u0003\u0004') },
    ]);
    const dir = join(await mkdtemp(join(tmpdir(), 'md-unpack-')), 'out');
    const members = await unpackArchive(path, dir);
    expect(members.map((m) => [m.name, m.refusal?.code ?? null])).toEqual([
      ['a.csv', null],
      ['sub/b.csv', null],
      ['inner.zip', 'UNKNOWN_FORMAT'],
    ]);
    expect(readFileSync(members[1]!.path!)).toEqual(csv);
    expect(members[2]!.refusal!.message).toMatch(/archive inside the archive/);
    expect((await readdir(dir)).length).toBe(2);
  });

  it('refuses an archive of more than 50 files whole, with a sentence', async () => {
    const path = await makeZip(Array.from({ length: 51 }, (_, i) => ({ name: `f${i}.csv`, bytes: csv })));
    await expect(unpackArchive(path, join(tmpdir(), 'never'))).rejects.toThrow(/holds 51 files; metricdrop opens archives of at most 50/);
  });

  it('refuses a file inside that unpacks to more than 50 MB, FILE_TOO_LARGE', async () => {
    const path = await makeZip([
      { name: 'huge.csv', bytes: Buffer.alloc(FILE_LIMITS.maxFileBytes + 1, 0x41) },
      { name: 'ok.csv', bytes: csv },
    ]);
    const members = await unpackArchive(path, join(await mkdtemp(join(tmpdir(), 'md-unpack-')), 'out'));
    expect(members[0]).toMatchObject({ name: 'huge.csv', path: null, refusal: { code: 'FILE_TOO_LARGE' } });
    expect(members[0]!.refusal!.message).toMatch(/"huge.csv" unpacks to more than 50 MB/);
    expect(members[1]!.refusal).toBeNull();
  });

  it('stops inflating at the limit whatever the archive declares (a zip bomb that lies about its size)', async () => {
    const path = await makeZip([{ name: 'bomb.csv', bytes: Buffer.alloc(4 * 1024 * 1024, 0x41) }]);
    // Rewrite the declared uncompressed size (local header at 22, central directory at 24) to 1 KB.
    const bytes = readFileSync(path);
    bytes.writeUInt32LE(1024, 22);
    const central = bytes.lastIndexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    bytes.writeUInt32LE(1024, central + 24);
    writeFileSync(path, bytes);
    const zip = await openZip(path);
    try {
      const entry = zip.find('bomb.csv')!;
      expect(entry.declaredBytes).toBe(1024);
      let seen = 0;
      const tooLarge = () => new AppError('FILE_TOO_LARGE', 'over the cap');
      const stream = await zip.openEntry(entry, 64 * 1024, tooLarge);
      await expect(
        (async () => {
          for await (const chunk of stream as AsyncIterable<Buffer>) seen += chunk.length;
        })(),
      ).rejects.toThrow(AppError);
      // Stopped at the archive's (false) size or at our cap, never after inflating the 4 MB.
      expect(seen).toBeLessThanOrEqual(64 * 1024);
    } finally {
      zip.close();
    }
  });

  it('counts inflated bytes and stops at the cap even when the archive is honest', async () => {
    const path = await makeZip([{ name: 'big.csv', bytes: Buffer.alloc(1024 * 1024, 0x41) }]);
    const zip = await openZip(path);
    try {
      let seen = 0;
      const stream = await zip.openEntry(zip.find('big.csv')!, 2 * 1024 * 1024, () => new AppError('FILE_TOO_LARGE', 'x'));
      for await (const chunk of stream as AsyncIterable<Buffer>) seen += chunk.length;
      expect(seen).toBe(1024 * 1024);
      const capped = await zip.openEntry(
        { ...zip.find('big.csv')!, declaredBytes: 0 },
        100 * 1024,
        () => new AppError('FILE_TOO_LARGE', 'capped'),
      );
      seen = 0;
      await expect(
        (async () => {
          for await (const chunk of capped as AsyncIterable<Buffer>) seen += chunk.length;
        })(),
      ).rejects.toThrow('capped');
      expect(seen).toBeLessThanOrEqual(100 * 1024);
    } finally {
      zip.close();
    }
  });
});
