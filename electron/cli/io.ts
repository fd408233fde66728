import { once } from 'node:events';

/** The process's streams and environment, passed in so tests run the CLI in-process. */
export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  stdin: NodeJS.ReadableStream;
  env: Readonly<Record<string, string | undefined>>;
  /**
   * The compiled thread that records a validation's rows while its file is read (bin/metricdrop.mjs
   * passes dist-cli/record-worker.mjs); without it, in-process tests record after reading.
   */
  rowRecorder?: URL | undefined;
}

/** Writes text, waiting when the stream asks for it (large JSON documents, pipes). */
export async function write(stream: NodeJS.WritableStream, text: string): Promise<void> {
  if (!stream.write(text)) await once(stream as NodeJS.EventEmitter, 'drain');
}
