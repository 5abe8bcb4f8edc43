// The pocketsphinx engine's public face: the transcription job and the engine registry import from here.
export {
  DEFAULT_BINARY,
  DEFAULT_MODEL_DIR,
  EngineUnavailableError,
  PocketsphinxEngine,
  TUNED_DECODER,
  pocketsphinxAvailable,
  type DecoderSettings,
  type PocketsphinxOptions,
} from './engine.ts';
