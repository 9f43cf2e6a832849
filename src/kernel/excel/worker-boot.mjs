// The reader's worker thread starts here. Node 20 does not hand the parent's `--import tsx`
// loader to a worker's own imports, so the worker registers tsx itself, then loads the
// TypeScript worker (the same under `npm start` and mocha).
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
