// Stands for Electron's utility process in tests (where the Electron binary is missing): a forked
// Node child given `process.parentPort` as Electron gives it (messages arrive as `{ data }`), then
// the module is run. Used by test/support/utility-process.ts.
import { EventEmitter } from 'node:events';
import { pathToFileURL } from 'node:url';

const port = new EventEmitter();
port.postMessage = (message) => process.send(message);
process.on('message', (message) => port.emit('message', { data: message }));
process.on('disconnect', () => process.exit(0));
process.parentPort = port;
await import(pathToFileURL(process.argv[2]).href);
