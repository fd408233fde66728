// A whole process that does nothing but stream a file through papaparse and count its rows: the
// floor `metricdrop validate` is compared with as a process (bench/cli-process.ts).
import { createReadStream } from 'node:fs';
import Papa from 'papaparse';

let rows = 0;
await new Promise((resolve, reject) => {
  Papa.parse(createReadStream(process.argv[2], { encoding: 'utf8' }), {
    chunk: (r) => {
      rows += r.data.length;
    },
    complete: resolve,
    error: reject,
  });
});
process.stdout.write(`${rows}\n`);
