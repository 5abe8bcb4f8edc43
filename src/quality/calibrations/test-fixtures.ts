// Test fixtures of quality tests: a scorecard written directly (the builder API is another folder's), with a yes/no
// question worth 10 and a 1–5 scale worth 8.
import type { AppContext } from '../../context.ts';
import { newId, nowIso } from '../../platform/ids.ts';
import type { ScorecardDefinition } from '../model.ts';

const base = { required: true, naAllowed: true, autoFail: false, commentAllowed: true };
export const DEFINITION: ScorecardDefinition = {
  scoring: 'points',
  passMark: 10,
  sections: [
    {
      id: 's1',
      title: 'Call',
      weight: 1,
      questions: [
        { ...base, id: 'greet', text: 'Greeted the customer', type: 'yes_no', points: 10 },
        { ...base, id: 'empathy', text: 'Empathy', type: 'scale', min: 1, max: 5, points: 8 },
      ],
    },
  ],
};

/** A scorecard with one version, written directly (the builder API is another folder's). */
export async function makeScorecard(ctx: AppContext, tenantId: string, opts: { archived?: boolean; definition?: ScorecardDefinition } = {}) {
  const id = newId();
  const now = nowIso();
  await ctx.db
    .insertInto('scorecards')
    .values({
      id,
      tenant_id: tenantId,
      name: `Card ${id.slice(-4)}`,
      description: '',
      latest_version: 1,
      archived_at: opts.archived ? now : null,
      created_by: null,
      created_at: now,
      updated_at: now,
    })
    .execute();
  await ctx.db
    .insertInto('scorecard_versions')
    .values({
      id: newId(),
      tenant_id: tenantId,
      scorecard_id: id,
      version: 1,
      definition: ctx.adapter.json(opts.definition ?? DEFINITION),
      created_by: null,
      created_at: now,
    })
    .execute();
  return id;
}
