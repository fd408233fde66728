import { open } from 'node:fs/promises';

/**
 * A file's bytes in chunks of `chunkBytes`, read into one buffer over and over: each chunk is valid
 * only until the next is asked for (copy what must outlive it). A stream would map a fresh megabyte
 * for every chunk, and the page faults of 40 MB of new memory cost more than the reading.
 */
export async function* fileChunks(path: string, chunkBytes: number): AsyncGenerator<Buffer, void, undefined> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.allocUnsafe(chunkBytes);
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, chunkBytes, null);
      if (bytesRead === 0) return;
      yield buffer.subarray(0, bytesRead);
    }
  } finally {
    await handle.close();
  }
}
