// Request and response schemas of automated scoring.
import { Type, type Static } from 'typebox';
import { Id, Nullable } from '../../platform/http/schemas.ts';

export const PrefillRunCreate = Type.Object(
  {
    savedSearchId: Id,
    scorecardId: Type.Optional(Nullable({ ...Id, description: "Only this scorecard's reviews (default: every open review)" })),
  },
  { additionalProperties: false },
);
export type PrefillRunCreate = Static<typeof PrefillRunCreate>;

export const PrefillRun = Type.Object({ jobId: Id });
