// Thin HTTP edge for scorecards: list, read (with versions), create, update (in place or as a new version), archive,
// unarchive and duplicate.
import type { AppContext } from '../../context.ts';
import { needs } from '../../platform/http/access.ts';
import { actorOf } from '../../platform/http/auth.ts';
import { ErrorResponse, IdParams, authErrors } from '../../platform/http/schemas.ts';
import type { App } from '../../platform/http/types.ts';
import { Type } from 'typebox';
import * as schemas from './schemas.ts';
import * as service from './service.ts';

const errors = { 400: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse, ...authErrors };

export function scorecardRoutes(app: App, ctx: AppContext) {
  const tags = ['Scorecards'];
  const view = { access: needs(...service.VIEW_PERMISSIONS) };
  const manage = { access: needs('scorecards.manage') };

  app.get(
    '/api/scorecards',
    {
      config: view,
      schema: {
        tags,
        summary: 'Scorecards by name with their latest version (archived=active by default, archived or all)',
        querystring: schemas.ListQuery,
        response: { 200: schemas.ScorecardList, ...errors },
      },
    },
    (req) => service.listScorecards(ctx, actorOf(req), req.query.archived),
  );
  app.get(
    '/api/scorecards/:id',
    {
      config: view,
      schema: {
        tags,
        summary: 'A scorecard with its latest definition and every version (newest first, with how many evaluations use each)',
        params: IdParams,
        response: { 200: schemas.Scorecard, ...errors },
      },
    },
    (req) => service.getScorecard(ctx, actorOf(req), req.params.id),
  );
  app.get(
    '/api/scorecards/:id/versions/:version',
    {
      config: view,
      schema: {
        tags,
        summary: 'One version of a scorecard as it was frozen',
        params: schemas.VersionParams,
        response: { 200: schemas.ScorecardVersion, ...errors },
      },
    },
    (req) => service.getScorecardVersion(ctx, actorOf(req), req.params.id, req.params.version),
  );
  app.post(
    '/api/scorecards',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Create a scorecard (version 1); a definition with problems is refused with 400 and details.problems; audited',
        body: schemas.ScorecardCreate,
        response: { 201: schemas.Scorecard, ...errors },
      },
    },
    async (req, reply) => reply.status(201).send(await service.createScorecard(ctx, actorOf(req), req.body)),
  );
  app.put(
    '/api/scorecards/:id',
    {
      config: manage,
      schema: {
        tags,
        summary:
          'Edit a scorecard: a changed definition edits the latest version in place while no evaluation uses it, else adds a new version (newVersion: true); old evaluations keep theirs; audited with old and new values',
        params: IdParams,
        body: schemas.ScorecardUpdate,
        response: { 200: Type.Intersect([schemas.Scorecard, Type.Object({ newVersion: Type.Boolean() })]), ...errors },
      },
    },
    (req) => service.updateScorecard(ctx, actorOf(req), req.params.id, req.body),
  );
  app.post(
    '/api/scorecards/:id/archive',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Archive a scorecard: kept with its evaluations, no longer offered for new ones; audited',
        params: IdParams,
        response: { 200: schemas.Scorecard, ...errors },
      },
    },
    (req) => service.archiveScorecard(ctx, actorOf(req), req.params.id),
  );
  app.post(
    '/api/scorecards/:id/unarchive',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Bring an archived scorecard back (409 ALREADY_EXISTS if an active one took its name); audited',
        params: IdParams,
        response: { 200: schemas.Scorecard, ...errors },
      },
    },
    (req) => service.unarchiveScorecard(ctx, actorOf(req), req.params.id),
  );
  app.post(
    '/api/scorecards/:id/duplicate',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Copy a scorecard\'s latest definition into a new scorecard ("Copy of …" unless named); audited',
        params: IdParams,
        body: schemas.ScorecardDuplicate,
        response: { 201: schemas.Scorecard, ...errors },
      },
    },
    async (req, reply) => reply.status(201).send(await service.duplicateScorecard(ctx, actorOf(req), req.params.id, req.body ?? {})),
  );
}
