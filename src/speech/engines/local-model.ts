// What kind of sherpa-onnx model a folder holds, from its files (the layouts sherpa-onnx's own model archives use),
// or from the earshot-model.json that `earshot models pull` writes beside them:
//   whisper      <name>-encoder[.int8].onnx, <name>-decoder[.int8].onnx, <name>-tokens.txt
//   transducer   encoder*.onnx, decoder*.onnx, joiner*.onnx, tokens.txt (zipformer; NeMo when the name says nemo/parakeet)
//   paraformer   model[.int8].onnx, tokens.txt
//   sense_voice  model[.int8].onnx, tokens.txt, with "sense-voice" in the folder name or the manifest
// The int8 files are taken when both are there: a third of the memory and faster on CPU, for a small loss.
import fs from 'node:fs';
import path from 'node:path';

export const LAYOUTS = ['whisper', 'transducer', 'nemo_transducer', 'paraformer', 'sense_voice'] as const;
export type ModelLayout = (typeof LAYOUTS)[number];

export const MANIFEST = 'earshot-model.json';

export interface Manifest {
  name?: string;
  layout?: ModelLayout;
  /** Primary language codes, or "*" for a multilingual model. */
  languages?: string[] | '*';
}

export interface DetectedModel {
  dir: string;
  layout: ModelLayout;
  languages: string[] | '*';
  /** Whisper: the model is multilingual and takes a language. */
  multilingual: boolean;
  files: { encoder?: string; decoder?: string; joiner?: string; model?: string; tokens: string };
}

export type Detection = { ok: true; model: DetectedModel } | { ok: false; reason: string };

function pick(files: readonly string[], re: RegExp): string | undefined {
  const matches = files.filter((f) => re.test(f)).sort();
  return matches.find((f) => f.includes('.int8.')) ?? matches[0];
}

function readManifest(dir: string): Manifest {
  try {
    const m = JSON.parse(fs.readFileSync(path.join(dir, MANIFEST), 'utf8')) as Manifest;
    return m && typeof m === 'object' ? m : {};
  } catch {
    return {};
  }
}

/** The model folder's layout and files, or what is missing, in words an administrator can act on. */
export function detectModel(dir: string): Detection {
  let files: string[];
  try {
    if (!fs.statSync(dir).isDirectory()) return { ok: false, reason: `${dir} is not a folder (point it at the folder that holds the model's .onnx files)` };
    files = fs.readdirSync(dir);
  } catch {
    return { ok: false, reason: `The model folder ${dir} does not exist` };
  }
  const manifest = readManifest(dir);
  const name = `${manifest.name ?? ''} ${path.basename(dir)}`.toLowerCase();
  const onnx = files.filter((f) => f.endsWith('.onnx'));
  const tokens = pick(files, /(^|[-_.])tokens\.txt$/);
  const encoder = pick(onnx, /(^|[-_.])encoder([-_.].*)?\.onnx$/);
  const decoder = pick(onnx, /(^|[-_.])decoder([-_.].*)?\.onnx$/);
  const joiner = pick(onnx, /(^|[-_.])joiner([-_.].*)?\.onnx$/);
  const single = pick(onnx, /^model(\.int8)?\.onnx$/);
  let layout: ModelLayout | undefined = manifest.layout && (LAYOUTS as readonly string[]).includes(manifest.layout) ? manifest.layout : undefined;
  if (!layout) {
    if (joiner) layout = /nemo|parakeet/.test(name) ? 'nemo_transducer' : 'transducer';
    else if (encoder || decoder) layout = 'whisper';
    else if (single) layout = /sense-?voice/.test(name) ? 'sense_voice' : 'paraformer';
  }
  if (!layout) {
    return {
      ok: false,
      reason: `No speech model found in ${dir}: expected the files of a sherpa-onnx whisper, transducer or paraformer model (.onnx files and tokens.txt)`,
    };
  }
  const needed: Record<string, string | undefined> =
    layout === 'whisper'
      ? { encoder, decoder, tokens }
      : layout === 'transducer' || layout === 'nemo_transducer'
        ? { encoder, decoder, joiner, tokens }
        : { model: single, tokens };
  const missing = Object.entries(needed)
    .filter(([, f]) => !f)
    .map(([k]) => k);
  if (missing.length) return { ok: false, reason: `The ${layout} model in ${dir} is incomplete: no ${missing.join(', ')} file` };
  for (const f of Object.values(needed)) {
    const size = fs.statSync(path.join(dir, f!)).size;
    if (size === 0) return { ok: false, reason: `The ${layout} model in ${dir} is incomplete: ${f} is empty` };
  }
  const abs = Object.fromEntries(Object.entries(needed).map(([k, f]) => [k, path.join(dir, f!)])) as DetectedModel['files'];
  // Whisper's English-only models are named "*.en-encoder.onnx"; the others are multilingual.
  const multilingual = layout === 'whisper' && !/\.en[-_.]/.test(encoder!);
  const languages: string[] | '*' =
    manifest.languages ?? (layout === 'whisper' ? (multilingual ? '*' : ['en']) : /(^|[-_ ])en([-_ ]|$)/.test(name) ? ['en'] : '*');
  return { ok: true, model: { dir, layout, languages, multilingual, files: abs } };
}

/** sherpa-onnx's recognizer configuration for a detected model. */
export function recognizerConfig(model: DetectedModel, opts: { threads: number; language?: string }): Record<string, unknown> {
  const f = model.files;
  const modelConfig: Record<string, unknown> = { tokens: f.tokens, numThreads: opts.threads, provider: 'cpu', debug: 0 };
  switch (model.layout) {
    case 'whisper':
      modelConfig.whisper = { encoder: f.encoder, decoder: f.decoder, language: model.multilingual ? (opts.language ?? '') : '', task: 'transcribe' };
      break;
    case 'transducer':
      modelConfig.transducer = { encoder: f.encoder, decoder: f.decoder, joiner: f.joiner };
      break;
    case 'nemo_transducer':
      modelConfig.transducer = { encoder: f.encoder, decoder: f.decoder, joiner: f.joiner };
      modelConfig.modelType = 'nemo_transducer';
      break;
    case 'paraformer':
      modelConfig.paraformer = { model: f.model };
      break;
    case 'sense_voice':
      modelConfig.senseVoice = { model: f.model, language: opts.language ?? 'auto', useInverseTextNormalization: 1 };
      break;
  }
  return { featConfig: { sampleRate: 16000, featureDim: 80 }, modelConfig, decodingMethod: 'greedy_search' };
}
