/**
 * From this size a file is worth a thread of its own (to record its rows while it is read, to hash
 * it): below it, starting the thread (Node's own start-up, tens of milliseconds) costs more than the
 * work it would take off the reading thread. `record/spare.ts`, `record/in-background.ts` and
 * `read/hash.ts` decide by it. No imports: the command line loads it before the engine.
 */
export const FILE_WORTH_A_THREAD_BYTES = 1024 * 1024;
