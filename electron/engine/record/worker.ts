// The thread that records a validation while its file is read (`in-background.ts` starts it; the
// command line's bundle has it as dist-cli/record-worker.mjs). One validation per thread, named by
// the first message: the command line starts the thread while it loads the engine, before either
// the validation or the store is there.
import { parentPort } from 'node:worker_threads';
import { hashFileHere, type FileHashing } from '../read/hash.ts';
import { openStore, type Store } from '../store/open.ts';
import { RecordingSession, type HashAnswer, type RecordingAnswer, type RecordingMessage } from './session.ts';

// Loaded meanwhile: the end of the recording needs the zod schemas, the rows do not.
const finishing = import('./finish.ts');
finishing.catch(() => undefined);
// This thread's own state: its store and recording once opened, the file's hashing if asked for,
// and whether the recording has ended.
const thread: { db: Store | null; session: RecordingSession | null; hashing: FileHashing | null; ended: boolean } = {
  db: null,
  session: null,
  hashing: null,
  ended: false,
};
const tell = (m: HashAnswer) => {
  if (!thread.ended) parentPort!.postMessage(m);
};

const end = (answer: RecordingAnswer) => {
  thread.ended = true;
  thread.hashing?.cancel();
  thread.db?.close();
  parentPort!.postMessage(answer);
  parentPort!.close();
};

parentPort!.on('message', (m: RecordingMessage) => {
  if (m.kind === 'open') {
    thread.db = openStore(m.file);
    thread.session = new RecordingSession(thread.db, m.validationId);
    return;
  }
  const session = thread.session;
  if (session === null) return end({ kind: 'failed', message: `${m.kind} came before the store was opened` });
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
