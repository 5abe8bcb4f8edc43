// Entry of a read worker thread: loads the TypeScript worker through tsx (threads do not inherit the main loader).
import { register } from 'tsx/esm/api';

register();
await import('./read-worker.ts');
