// One measurement in a fresh process, so its peak RSS is its own: `tsx bench/rss-child.ts MODE FILE`.
import { runMode, type Mode } from './measure.ts';

const [mode, path] = process.argv.slice(2) as [Mode, string];
const before = process.memoryUsage().rss;
const started = performance.now();
await runMode(mode, path);
const ms = performance.now() - started;
process.stdout.write(JSON.stringify({ ms, startRss: before, peakRss: process.resourceUsage().maxRSS * 1024 }) + '\n');
