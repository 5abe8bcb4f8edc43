// Every column that holds blob ids, declared once (as jobs are in jobs.ts). The orphan sweep deletes a blob only
// when none of these points at it, and judges no blob at all while the schema has a `blob_id` / `*_blob_id` column
// missing here — so a feature that stores media adds its column to this list.
import type { BlobReference } from './platform/blobs/repository.ts';

export const BLOB_REFERENCES: readonly BlobReference[] = [
  { table: 'streams', column: 'blob_id' }, // uploaded call audio and screen recordings
  { table: 'stream_renditions', column: 'pcm_blob_id' }, // per-party PCM from the media pipeline
  { table: 'stream_renditions', column: 'peaks_blob_id' }, // waveform peaks pyramid
  { table: 'stream_renditions', column: 'redacted_pcm_blob_id' }, // per-party PCM with the PII spans toned out (src/speech/redaction)
  { table: 'import_files', column: 'blob_id' }, // files uploaded on the Import screen, until their import job has read them
  { table: 'offline_interactions', column: 'file_blob_id' }, // the file attached to an offline interaction (src/quality/offline)
  { table: 'moments', column: 'clip_blob_id' }, // a moment's clip (src/quality/moments)
  { table: 'moments', column: 'redacted_clip_blob_id' }, // the same clip from the redacted PCM
  { table: 'vcon_exports', column: 'blob_id' }, // a vCon export package (src/compliance/vcon)
  // Records, not holders: the blob a copy was archived from (src/compliance/archive) and the blobs a deletion
  // crypto-shredded (src/compliance/deletion). Declared so the sweep knows them; they keep no blob from it, and verify
  // does not read them as references to a missing object.
  { table: 'archive_items', column: 'blob_id', record: true },
  { table: 'deleted_blobs', column: 'blob_id', record: true },
];
