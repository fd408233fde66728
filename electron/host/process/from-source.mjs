// Runs the engine host from its TypeScript source in a worker thread or a forked child (`npm run web`,
// tests, bench): neither inherits tsx's loader, so it is registered here before the entry is
// imported. The desktop app runs the bundled dist-electron/host.cjs instead.
import { register } from 'tsx/esm/api';

register();
await import('./entry.ts');
