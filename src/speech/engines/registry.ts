// Which engine transcribes a call: the tenant's Settings choose per language ("speechEngineByLanguage"), else one
// for all ("speechEngine"); "auto" takes the best one that can run here — the local model, then an OpenAI-compatible
// server, then pocketsphinx — and "none" turns transcription off. Engines are built once per process from the
// configuration (the OpenAI engine's request bound is per process, a loaded local model is kept) and whether each
// can run is asked at most once a minute, so a model fixed or a package installed is picked up without a restart.
import type { Config } from '../../config.ts';
import type { AsrEngine, EngineAvailability } from '../model.ts';
import { LocalModelEngine } from './local.ts';
import { OpenAiEngine } from './openai.ts';
import { PocketsphinxEngine } from './pocketsphinx/index.ts';

/** The part of the tenant settings that chooses the engine (src/settings/model.ts). */
export interface EngineChoice {
  speechEngine: string;
  speechEngineByLanguage: Record<string, string>;
}

export type ResolvedEngine = { engine: AsrEngine } | { engine: null; reason: string };

export interface EngineStatus {
  id: string;
  label: string;
  available: boolean;
  /** Why it cannot run here; null when it can. */
  reason: string | null;
  languages: readonly string[] | '*';
}

/** The engine ids Settings may name, in the order "auto" tries them. */
export const ENGINE_IDS = ['local', 'openai', 'pocketsphinx'] as const;
export const NO_ENGINE = 'No speech engine configured';
export const TURNED_OFF = 'Speech transcription is turned off in Settings';
const LABELS: Record<string, string> = {
  local: 'Local model (sherpa-onnx)',
  openai: 'OpenAI-compatible server',
  pocketsphinx: 'pocketsphinx (offline, built in)',
};
const RECHECK_MS = 60_000;
const STATUS_WAIT_MS = 3000;

export interface RegistryOptions {
  /** Engines to use instead of the ones the configuration makes (tests). */
  engines?: AsrEngine[];
  now?: () => number;
}

/** The primary language code of a BCP 47 tag ("en-US" → "en"). */
const primary = (language: string) => language.split(/[-_]/)[0]!.toLowerCase();

function speaks(engine: AsrEngine, language: string): boolean {
  return engine.languages === '*' || !language || engine.languages.includes(primary(language));
}

export class EngineRegistry {
  private readonly engines = new Map<string, AsrEngine>();
  private readonly checked = new Map<string, { at: number; availability: Promise<EngineAvailability> }>();
  private readonly now: () => number;

  constructor(config: Config, opts: RegistryOptions = {}) {
    this.now = opts.now ?? Date.now;
    const engines = opts.engines ?? [
      new LocalModelEngine({ model: config.asr.localModel, modelsDir: config.asr.modelsDir, threads: config.asr.localThreads }),
      ...(config.asr.openai
        ? [
            new OpenAiEngine({
              url: config.asr.openai.url,
              apiKey: config.asr.openai.apiKey,
              model: config.asr.openai.model,
              concurrency: config.asr.concurrency,
              timeoutMs: config.asr.timeoutMs,
            }),
          ]
        : []),
      new PocketsphinxEngine(),
    ];
    for (const e of engines) this.engines.set(e.id, e);
  }

  /** Whether an engine can run here, asked again at most once a minute. */
  availability(id: string): Promise<EngineAvailability> {
    const engine = this.engines.get(id);
    if (!engine) {
      return Promise.resolve({
        ok: false,
        reason: id === 'openai' ? 'Not configured: set EARSHOT_ASR_OPENAI_URL to the server (e.g. http://127.0.0.1:8000)' : `Unknown speech engine "${id}"`,
      });
    }
    const hit = this.checked.get(id);
    if (hit && this.now() - hit.at < RECHECK_MS) return hit.availability;
    const availability = engine.available().catch((err: unknown): EngineAvailability => ({ ok: false, reason: String((err as Error)?.message ?? err) }));
    this.checked.set(id, { at: this.now(), availability });
    return availability;
  }

  /** Forget what was found, so the next question asks the engines again (after an administrator fixed something). */
  recheck(): void {
    this.checked.clear();
  }

  engine(id: string): AsrEngine | undefined {
    return this.engines.get(id);
  }

  async resolve(settings: EngineChoice, language: string): Promise<ResolvedEngine> {
    const byLanguage = settings.speechEngineByLanguage ?? {};
    const choice = byLanguage[language] ?? byLanguage[primary(language)] ?? settings.speechEngine ?? 'auto';
    if (choice === 'none') return { engine: null, reason: TURNED_OFF };
    if (choice === 'auto') {
      let unavailableForLanguage = false;
      for (const id of ENGINE_IDS) {
        const engine = this.engines.get(id);
        if (!engine || !(await this.availability(id)).ok) continue;
        if (speaks(engine, language)) return { engine };
        unavailableForLanguage = true;
      }
      return { engine: null, reason: unavailableForLanguage ? `${NO_ENGINE} for the language "${language}"` : NO_ENGINE };
    }
    const label = LABELS[choice] ?? choice;
    const availability = await this.availability(choice);
    if (!availability.ok) return { engine: null, reason: `The speech engine chosen in Settings (${label}) cannot run: ${availability.reason}` };
    const engine = this.engines.get(choice)!;
    if (!speaks(engine, language)) {
      const langs = engine.languages === '*' ? '' : ` (it knows ${engine.languages.join(', ')})`;
      return { engine: null, reason: `The speech engine chosen in Settings (${label}) does not transcribe the language "${language}"${langs}` };
    }
    return { engine };
  }

  /**
   * Every engine, whether it can run here and why not (for /api/health and the Settings screen). A check still
   * running after `waitMs` (a large local model being test-loaded) is reported as such rather than holding the answer.
   */
  async status(waitMs = STATUS_WAIT_MS): Promise<EngineStatus[]> {
    return Promise.all(
      ENGINE_IDS.map(async (id) => {
        let timer: NodeJS.Timeout | undefined;
        const pending = new Promise<EngineAvailability>((resolve) => {
          timer = setTimeout(() => resolve({ ok: false, reason: 'Still checking whether it can run (loading the model to test it)' }), waitMs);
        });
        const a = await Promise.race([this.availability(id), pending]).finally(() => clearTimeout(timer));
        const engine = this.engines.get(id);
        return { id, label: engine?.label ?? LABELS[id]!, available: a.ok, reason: a.ok ? null : a.reason, languages: engine?.languages ?? '*' };
      }),
    );
  }
}

const registries = new WeakMap<Config, EngineRegistry>();

/** The process's registry for a configuration (built on first use). */
export function engineRegistry(ctx: { config: Config }): EngineRegistry {
  let r = registries.get(ctx.config);
  if (!r) {
    r = new EngineRegistry(ctx.config);
    registries.set(ctx.config, r);
  }
  return r;
}

export function resolveEngine(ctx: { config: Config }, settings: EngineChoice, language: string): Promise<ResolvedEngine> {
  return engineRegistry(ctx).resolve(settings, language);
}

export function engineStatus(ctx: { config: Config }): Promise<EngineStatus[]> {
  return engineRegistry(ctx).status();
}
