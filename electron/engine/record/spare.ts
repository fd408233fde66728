import { stat } from 'node:fs/promises';
import { Worker } from 'node:worker_threads';
import { FILE_WORTH_A_THREAD_BYTES } from '../threads.ts';

/**
 * A recording thread started ahead of need: the command line starts it for a large file while it
 * loads the engine, so the thread's own start-up (Node, SQLite, its modules) is over when the rows
 * come. Taken once, by the first recording; one never taken, or that ended meanwhile, is not given
 * out, and it never keeps the process alive.
 */
export class SpareRecordingThread {
  private worker: Worker | null;

  constructor(url: URL) {
    const w = new Worker(url);
    w.unref();
    const gone = () => {
      if (this.worker === w) this.worker = null;
    };
    w.once('exit', gone);
    w.once('error', gone);
    this.worker = w;
  }

  /** The thread, for a recording to use (null: it was taken or has ended); it keeps the process alive from now on. */
  take(): Worker | null {
    const w = this.worker;
    this.worker = null;
    w?.ref();
    return w;
  }

  /** Ends the thread if no recording took it. */
  end(): void {
    const w = this.worker;
    this.worker = null;
    void w?.terminate();
  }
}

/** A spare thread for recording `file` if it is large enough to be recorded while it is read (else, or unreadable: null). */
export async function spareThreadFor(file: string, url: URL): Promise<SpareRecordingThread | null> {
  const size = await stat(file).then(
    (s) => (s.isFile() ? s.size : 0),
    () => 0,
  );
  return size >= FILE_WORTH_A_THREAD_BYTES ? new SpareRecordingThread(url) : null;
}
