// The thread that records a validation while its file is read (`in-background.ts` starts it; the
// command line's bundle has it as dist-cli/record-worker.mjs). One validation per thread.
import { parentPort, workerData } from 'node:worker_threads';
import { openStore } from '../store/open.ts';
import { RecordingSession, type RecordingMessage } from './session.ts';

const { file, validationId } = workerData as { file: string; validationId: string };
const db = openStore(file);
const session = new RecordingSession(db, validationId);
parentPort!.on('message', (m: RecordingMessage) => {
  const answer = session.handle(m);
  if (answer === null) return;
  db.close();
  parentPort!.postMessage(answer);
  parentPort!.close();
});
