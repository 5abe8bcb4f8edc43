// `earshot models list` and `earshot models pull NAME [--sha256 HEX] [--force]` (no database needed).
import { parseArgs } from 'node:util';
import type { Config } from '../../config.ts';
import { invalid } from '../../platform/errors.ts';
import { resolveModelDir } from '../engines/local.ts';
import { listModels, pullModel } from './pull.ts';

export const MODELS_USAGE = 'Usage: earshot models list | earshot models pull NAME [--sha256 HEX] [--force]';

const mb = (n: number) => `${(n / 1e6).toFixed(1)} MB`;

export async function runModelsCommand(config: Config, args: string[], out: (line: string) => void = console.log): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args, allowPositionals: true, options: { sha256: { type: 'string' }, force: { type: 'boolean' } } });
  } catch (err) {
    throw invalid(`${(err as Error).message}\n${MODELS_USAGE}`);
  }
  const { values, positionals } = parsed;
  const dir = config.asr.modelsDir;
  if (positionals[0] === 'list' && positionals.length === 1) {
    const configured = config.asr.localModel ? resolveModelDir(config.asr.localModel, dir) : null;
    out(`Models folder: ${dir}`);
    for (const m of listModels(dir)) {
      const langs = m.languages === '*' ? 'multilingual' : m.languages.join(',');
      const state = m.installed ? (configured && resolveModelDir(m.name, dir) === configured ? 'installed, in use' : 'installed') : 'not installed';
      const size = m.sizeBytes ? `, ${mb(m.sizeBytes)}` : '';
      out(
        `  ${m.name.padEnd(26)} ${state.padEnd(17)} ${m.layout} (${langs}${size})${m.pinned || m.installed ? '' : ', no pinned checksum'} — ${m.description}`,
      );
    }
    out(configured ? `EARSHOT_ASR_LOCAL_MODEL: ${configured}` : 'EARSHOT_ASR_LOCAL_MODEL is not set: the local model engine is off');
    return 0;
  }
  if (positionals[0] === 'pull' && positionals.length === 2) {
    const name = positionals[1]!;
    const tty = process.stderr.isTTY;
    let last = 0;
    let lastTenth = -1;
    const r = await pullModel(name, {
      dir,
      sha256: values.sha256,
      force: values.force,
      onProgress: ({ received, total }) => {
        if (tty) {
          if (Date.now() - last < 200) return;
          last = Date.now();
          const pct = total ? received / total : 0;
          const bar = total ? `[${'#'.repeat(Math.round(pct * 30)).padEnd(30)}] ${(pct * 100).toFixed(0).padStart(3)}% ` : '';
          process.stderr.write(`\rDownloading ${name} ${bar}${mb(received)}${total ? ` of ${mb(total)}` : ''}\x1b[K`);
        } else if (total) {
          const tenth = Math.floor((received / total) * 10);
          if (tenth > lastTenth) {
            lastTenth = tenth;
            process.stderr.write(`Downloading ${name}: ${tenth * 10}%\n`);
          }
        }
      },
    }).finally(() => tty && process.stderr.write('\r\x1b[K'));
    out(`Installed ${r.name} in ${r.dir} (${mb(r.bytes)}, SHA-256 ${r.sha256} verified)`);
    out(`To use it: EARSHOT_ASR_LOCAL_MODEL=${r.name}, and the engine "auto" or "local" in Settings → Speech`);
    return 0;
  }
  throw invalid(MODELS_USAGE);
}
