// Request and response schemas of vCon exports (Administration → Compliance → Exports, and "Export as vCon").
import { Type, type Static } from 'typebox';
import { Id, Nullable, Timestamp } from '../../platform/http/schemas.ts';
import { SearchFilterBody } from '../../search/filter.ts';

export const MAX_IDS = 1000;
/** A search exports at most this many conversations in one package: narrow it (or export per month) beyond. */
export const MAX_SEARCH_EXPORT = 5000;

export const MediaMode = Type.Union([Type.Literal('files'), Type.Literal('inline'), Type.Literal('none')], {
  description:
    'files: recordings beside the vCons in the package, referenced by url and content_hash (default); inline: base64url in the vCon (files over 20 MB go beside it); none: referenced by URL and SHA-512 only',
});

export const ExportCreate = Type.Object(
  {
    conversationIds: Type.Optional(Type.Array(Id, { minItems: 1, maxItems: MAX_IDS, description: 'These conversations' })),
    filter: Type.Optional(SearchFilterBody),
    media: Type.Optional(MediaMode),
  },
  { additionalProperties: false, description: 'Give conversationIds or a search filter (every conversation it finds now, at most 5,000)' },
);
export type ExportCreate = Static<typeof ExportCreate>;

export const ExportView = Type.Object({
  id: Id,
  status: Type.Union([Type.Literal('queued'), Type.Literal('running'), Type.Literal('done'), Type.Literal('failed')]),
  scope: Type.Union([Type.Literal('conversations'), Type.Literal('search')]),
  media: Type.String(),
  total: Type.Integer(),
  done: Type.Integer(),
  skipped: Type.Integer(),
  fileName: Nullable(Type.String()),
  bytes: Nullable(Type.Integer()),
  sha256: Nullable(Type.String({ description: 'SHA-256 of the whole package file' })),
  error: Nullable(Type.String()),
  createdBy: Type.Object({ id: Type.String(), name: Nullable(Type.String()) }),
  createdAt: Timestamp,
  finishedAt: Nullable(Timestamp),
});
export const ExportList = Type.Object({ items: Type.Array(ExportView) });
export const ExportParams = Type.Object({ id: Id });
export const SigningKey = Type.Object({
  keyId: Type.String(),
  algorithm: Type.Literal('Ed25519'),
  publicKeyPem: Type.String({ description: 'Save it and pin it: earshot verify-export FILE --public-key key.pem' }),
});
