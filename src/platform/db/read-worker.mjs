// Entry of a read worker thread. From the build (dist/, `npm run build`) it loads the compiled worker beside it;
// from the sources, the TypeScript worker through tsx (threads do not inherit the main loader).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const compiled = new URL('./read-worker.js', import.meta.url);
if (existsSync(fileURLToPath(compiled))) {
  await import(compiled.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('./read-worker.ts');
}
