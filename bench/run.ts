// `npm run bench`: every benchmark, printing figures. Not part of `npm test`.
const started = Date.now();
console.log(`Earshot benchmarks on ${(await import('node:os')).cpus().length} cores, Node ${process.version}\n`);
const { runBlobBench } = await import('./blobs.bench.ts');
await runBlobBench();
console.log('');
const { runPlatformBench } = await import('./platform.bench.ts');
await runPlatformBench();
console.log('');
const { runConversationsBench } = await import('./conversations.bench.ts');
await runConversationsBench();
console.log('');
const { runAnalyzerBench } = await import('./analyzer.bench.ts');
await runAnalyzerBench();
console.log(`\nDone in ${((Date.now() - started) / 1000).toFixed(0)} s`);
