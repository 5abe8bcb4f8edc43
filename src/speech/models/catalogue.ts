// The models `earshot models pull NAME` knows: sherpa-onnx's own archives of models the local engine runs.
// A download is installed only when its SHA-256 matches. Where this version pins no checksum (sha256: null) the
// administrator must give one from a source they trust (--sha256): a model is code-adjacent (parsed by a native
// library), and an unverified archive is not installed.
import type { ModelLayout } from '../engines/local-model.ts';

export interface CatalogueModel {
  name: string;
  description: string;
  url: string;
  /** Archive size in bytes where known (the progress bar takes the server's Content-Length first). */
  sizeBytes: number | null;
  /** SHA-256 of the archive (hex), or null where none is pinned here. */
  sha256: string | null;
  layout: ModelLayout;
  languages: string[] | '*';
}

const RELEASES = 'https://github.com/k2-fsa/sherpa-onnx/releases/download/asr-models';

export const CATALOGUE: readonly CatalogueModel[] = [
  {
    name: 'parakeet-tdt-0.6b-v2',
    description: 'NVIDIA Parakeet TDT 0.6B v2, int8 (English; the most accurate of these)',
    url: `${RELEASES}/sherpa-onnx-nemo-parakeet-tdt-0.6b-v2-int8.tar.bz2`,
    sizeBytes: 482_468_385,
    sha256: '157c157bc51155e03e37d2466522a3a737dd9c72bb25f36eb18912964161e1ad',
    layout: 'nemo_transducer',
    languages: ['en'],
  },
  {
    name: 'whisper-tiny.en',
    description: 'OpenAI Whisper tiny.en (English; small and fast, least accurate)',
    url: `${RELEASES}/sherpa-onnx-whisper-tiny.en.tar.bz2`,
    sizeBytes: null,
    sha256: null,
    layout: 'whisper',
    languages: ['en'],
  },
  {
    name: 'whisper-small',
    description: 'OpenAI Whisper small (multilingual)',
    url: `${RELEASES}/sherpa-onnx-whisper-small.tar.bz2`,
    sizeBytes: null,
    sha256: null,
    layout: 'whisper',
    languages: '*',
  },
  {
    name: 'zipformer-en-2023-06-26',
    description: 'k2 Zipformer transducer trained on LibriSpeech (English)',
    url: `${RELEASES}/sherpa-onnx-zipformer-en-2023-06-26.tar.bz2`,
    sizeBytes: null,
    sha256: null,
    layout: 'transducer',
    languages: ['en'],
  },
  {
    name: 'sense-voice-2024-07-17',
    description: 'SenseVoice small (Chinese, English, Japanese, Korean, Cantonese)',
    url: `${RELEASES}/sherpa-onnx-sense-voice-zh-en-ja-ko-yue-2024-07-17.tar.bz2`,
    sizeBytes: null,
    sha256: null,
    layout: 'sense_voice',
    languages: ['zh', 'en', 'ja', 'ko', 'yue'],
  },
];
