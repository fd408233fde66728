// The thread that records a validation while its file is read (`in-background.ts` starts it; the
// command line's bundle has it as dist-cli/record-worker.mjs). One validation per thread.
import { parentPort, workerData } from 'node:worker_threads';
import { hashFileHere, type FileHashing } from '../read/hash.ts';
import { openStore } from '../store/open.ts';
import { RecordingSession, type HashAnswer, type RecordingAnswer, type RecordingMessage } from './session.ts';

const { file, validationId } = workerData as { file: string; validationId: string };
// Loaded meanwhile: the end of the recording needs the zod schemas, the rows do not.
const finishing = import('./finish.ts');
finishing.catch(() => undefined);
const db = openStore(file);
const session = new RecordingSession(db, validationId);

// This thread's own state: the file's hashing, if asked for, and whether the recording has ended.
const thread: { hashing: FileHashing | null; ended: boolean } = { hashing: null, ended: false };
const tell = (m: HashAnswer) => {
  if (!thread.ended) parentPort!.postMessage(m);
};

const end = (answer: RecordingAnswer) => {
  thread.ended = true;
  thread.hashing?.cancel();
  db.close();
  parentPort!.postMessage(answer);
  parentPort!.close();
};

parentPort!.on('message', (m: RecordingMessage) => {
  if (m.kind === 'hash') {
    thread.hashing = hashFileHere(m.path);
    thread.hashing.result.then(
      ({ sha256, bytes }) => tell({ kind: 'hashed', sha256, bytes }),
      (err: unknown) => tell({ kind: 'hash failed', message: err instanceof Error ? err.message : String(err) }),
    );
  } else if (m.kind === 'table' || m.kind === 'rows') session.take(m);
  else if (m.kind === 'rollback') end(session.rollback());
  else
    finishing.then(
      ({ finishValidation }) => end(session.commit(m, finishValidation)),
      (err: unknown) => end({ kind: 'failed', message: `the recording could not be finished: ${String(err)}` }),
    );
});
