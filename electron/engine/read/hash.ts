import { createHash } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import { FILE_WORTH_A_THREAD_BYTES } from '../threads.ts';
import { fileChunks } from './chunks.ts';

// Runs in a worker thread: the file is hashed on the second core while the main thread parses it
// (`hashFileHere`, as plain script text: this thread needs no bundle file of its own).
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const { createReadStream } = require('node:fs');
const hash = createHash('sha256');
let bytes = 0;
createReadStream(workerData.path, { highWaterMark: 1 << 20 })
  .on('data', (chunk) => { bytes += chunk.length; hash.update(chunk); })
  .on('error', (err) => parentPort.postMessage({ error: String(err && err.message || err) }))
  .on('end', () => parentPort.postMessage({ sha256: hash.digest('hex'), bytes }));
`;

export interface FileHash {
  sha256: string;
  bytes: number;
}

/** A hash being computed: `cancel()` stops it (the promise then rejects). */
export interface FileHashing {
  result: Promise<FileHash>;
  cancel: () => void;
}

/**
 * A SHA-256 of a file computed on this thread, as the file is read in 1 MiB chunks (the recording
 * thread hashes the file this way beside recording its rows, `record/worker.ts`).
 */
export function hashFileHere(path: string): FileHashing {
  const wanted = { yes: true };
  const result = (async () => {
    const hash = createHash('sha256');
    let bytes = 0;
    for await (const chunk of fileChunks(path, 1 << 20)) {
      if (!wanted.yes) throw new Error('hashing stopped');
      bytes += chunk.length;
      hash.update(chunk);
    }
    // Cancelled as the last chunk was read (or before an empty file's end was seen): rejects all the same.
    if (!wanted.yes) throw new Error('hashing stopped');
    return { sha256: hash.digest('hex'), bytes };
  })();
  result.catch(() => undefined);
  return {
    result,
    cancel: () => {
      wanted.yes = false;
    },
  };
}

/**
 * A SHA-256 of a file of `bytes` bytes: on this thread when it is too small to be worth a thread
 * (hashing 1 MiB here takes a few milliseconds), else on a thread of its own.
 */
export function hashFile(path: string, bytes: number): FileHashing {
  return bytes < FILE_WORTH_A_THREAD_BYTES ? hashFileHere(path) : hashFileInBackground(path);
}

/** A SHA-256 of a file computed in a worker thread; `cancel()` stops it (the promise then rejects). */
export function hashFileInBackground(path: string): FileHashing {
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { path } });
  const result = new Promise<FileHash>((resolve, reject) => {
    worker.once('message', (m: { sha256?: string; bytes?: number; error?: string }) => {
      if (m.sha256 !== undefined && m.bytes !== undefined) resolve({ sha256: m.sha256, bytes: m.bytes });
      else reject(new Error(m.error ?? 'hashing failed'));
      void worker.terminate();
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`hashing stopped (${code})`)));
  });
  result.catch(() => undefined);
  return { result, cancel: () => void worker.terminate() };
}
