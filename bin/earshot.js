#!/usr/bin/env node
// The CLI runs the compiled server (dist/, `npm run build`) when it matches the sources, or when there are no
// sources (a production image). In a checkout whose src/ changed since the last build it runs the TypeScript
// directly through tsx (a development dependency), so editing and running need no build step.
import { TARGETS, buildState } from '../scripts/build-state.mjs';

const { state } = buildState(TARGETS.server);
let main;
if (state === 'current' || state === 'prebuilt') {
  ({ main } = await import('../dist/main.js'));
} else {
  let register;
  try {
    ({ register } = await import('tsx/esm/api'));
  } catch {
    if (state === 'missing') {
      console.error('earshot: the server is not built (dist/main.js) and tsx is not installed: run `npm install && npm run build`');
      process.exit(1);
    }
    console.error(
      'earshot: src/ changed since the last build and tsx is not installed (npm ci --omit=dev): running the existing build; run `npm run build` to update it',
    );
  }
  if (register) {
    register();
    ({ main } = await import('../src/main.ts'));
  } else {
    ({ main } = await import('../dist/main.js'));
  }
}
await main(process.argv.slice(2));
