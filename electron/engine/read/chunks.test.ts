import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileChunks } from './chunks.ts';
import { FILE_WORTH_A_THREAD_BYTES } from '../threads.ts';
import { hashFile, hashFileHere, hashFileInBackground } from './hash.ts';

const file = (bytes: Buffer) => {
  const path = join(mkdtempSync(join(tmpdir(), 'metricdrop-chunks-')), 'f.bin');
  writeFileSync(path, bytes);
  return path;
};

describe('reading a file in chunks, two buffers in turn', () => {
  it('gives every byte once, in chunks of the size asked for but the last', async () => {
    const bytes = randomBytes(2.5 * 1024 * 1024);
    const path = file(bytes);
    const copies: Buffer[] = [];
    for await (const chunk of fileChunks(path, 1 << 20)) copies.push(Buffer.from(chunk));
    expect(copies.map((c) => c.length)).toEqual([1 << 20, 1 << 20, 0.5 * 1024 * 1024]);
    expect(Buffer.concat(copies).equals(bytes)).toBe(true);
    const none: Buffer[] = [];
    for await (const chunk of fileChunks(file(Buffer.alloc(0)), 1 << 20)) none.push(chunk);
    expect(none).toEqual([]);
  });

  it('keeps each chunk whole until the next is asked for, while the next is read into the other buffer', async () => {
    const bytes = randomBytes(4 * 1024 * 1024 + 5);
    const path = file(bytes);
    let at = 0;
    for await (const chunk of fileChunks(path, 1 << 20)) {
      // Looked at only after a turn of the event loop, when the next chunk's read has had time to land.
      await new Promise((resolve) => setImmediate(resolve));
      expect(chunk.equals(bytes.subarray(at, at + chunk.length))).toBe(true);
      at += chunk.length;
    }
    expect(at).toBe(bytes.length);
  });

  // Linux lists a process's open files in /proc; elsewhere the file's closing is not observable here.
  it.runIf(existsSync('/proc/self/fd'))('closes the file when the reader stops early, with the next read still in flight', async () => {
    const path = file(randomBytes(3 * 1024 * 1024));
    const open = () => readdirSync('/proc/self/fd').length;
    const before = open();
    for await (const chunk of fileChunks(path, 1 << 20)) {
      expect(chunk.length).toBe(1 << 20);
      break;
    }
    expect(open()).toBe(before);
  });

  it('hashes a file on this thread as a thread of its own does, and stops when cancelled', async () => {
    const bytes = randomBytes(3 * 1024 * 1024 + 17);
    const path = file(bytes);
    const expected = { sha256: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.length };
    expect(await hashFileHere(path).result).toEqual(expected);
    expect(await hashFileInBackground(path).result).toEqual(expected);
    const cancelled = hashFileHere(path);
    cancelled.cancel();
    await expect(cancelled.result).rejects.toThrow('hashing stopped');
    await expect(hashFileHere(join(tmpdir(), 'no-such-metricdrop-file.csv')).result).rejects.toThrow(/ENOENT/);
  });

  it('hashes a file just under and just at the size hashed on a thread of its own alike, and stops either when cancelled', async () => {
    for (const size of [0, FILE_WORTH_A_THREAD_BYTES - 1, FILE_WORTH_A_THREAD_BYTES]) {
      const bytes = randomBytes(size);
      const path = file(bytes);
      expect(await hashFile(path, size).result).toEqual({ sha256: createHash('sha256').update(bytes).digest('hex'), bytes: size });
      const cancelled = hashFile(path, size);
      cancelled.cancel();
      await expect(cancelled.result).rejects.toThrow();
    }
  });
});
