// Thin HTTP edge of evaluations: create (review now / plan), read, start, save a draft, submit, comment, the queues,
// and a conversation's review history and Reviewed column.
import { Type } from 'typebox';
import type { AppContext } from '../../context.ts';
import { needs } from '../../platform/http/access.ts';
import { actorOf } from '../../platform/http/auth.ts';
import { ErrorResponse, IdParams, authErrors } from '../../platform/http/schemas.ts';
import type { App } from '../../platform/http/types.ts';
import * as schemas from './schemas.ts';
import * as service from './service.ts';
import { MentionableList, MentionableQuery } from '../../conversations/comments/schemas.ts';

const errors = { 400: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse, ...authErrors };
const tags = ['Evaluations'];
/** Everyone who takes part in quality work reads evaluations; the service decides which ones. */
const readers = needs('quality.review', 'quality.review_self', 'quality.plan', 'quality.respond', 'quality.view_others', 'quality.calibrate');
const writers = needs('quality.review', 'quality.review_self', 'quality.calibrate');

export function evaluationRoutes(app: App, ctx: AppContext) {
  app.post(
    '/api/evaluations',
    {
      config: { access: needs('quality.review', 'quality.review_self', 'quality.plan') },
      schema: {
        tags,
        summary:
          "Review now (mode now: a draft for the caller, or the caller's open one; quality.review, or quality.review_self for one's own conversation) or plan reviews (mode plan: one per reviewer with a due date; quality.plan). The agent must take part in the conversation; audited",
        body: schemas.CreateEvaluation,
        response: { 201: Type.Union([schemas.EvaluationView, schemas.PlannedEvaluations]), ...errors },
      },
    },
    async (req, reply) => {
      const made = await service.createEvaluation(ctx, actorOf(req), req.body);
      // The two shapes of the 201 union; TypeBox's union inference does not narrow a reply to one of them.
      return reply.status(201).send(('draft' in made ? made.draft : made.planned) as never);
    },
  );
  app.get(
    '/api/evaluations',
    {
      config: { access: readers },
      schema: {
        tags,
        summary:
          'Evaluation queues: mine (I evaluate), team (agents in my scope, quality.view_others), own (submitted evaluations of my conversations); state todo / overdue / done / all',
        querystring: schemas.ListQuery,
        response: { 200: schemas.EvaluationList, ...errors },
      },
    },
    (req) => service.listEvaluations(ctx, actorOf(req), req.query),
  );
  app.get(
    '/api/evaluations/:id',
    {
      config: { access: readers },
      schema: {
        tags,
        summary:
          'One evaluation with its scorecard version, answers, result, pre-fill, revisions, comments and disputes (its evaluator, planner, agent once submitted, managers in scope)',
        params: IdParams,
        response: { 200: schemas.EvaluationView, ...errors },
      },
    },
    (req) => service.getEvaluation(ctx, actorOf(req), req.params.id),
  );
  app.post(
    '/api/evaluations/:id/start',
    {
      config: { access: writers },
      schema: {
        tags,
        summary: 'The evaluator opens a planned evaluation: it becomes a draft with its automated pre-fill; audited',
        params: IdParams,
        response: { 200: schemas.EvaluationView, ...errors },
      },
    },
    (req) => service.startEvaluation(ctx, actorOf(req), req.params.id),
  );
  app.put(
    '/api/evaluations/:id/draft',
    {
      config: { access: writers },
      schema: {
        tags,
        summary: 'Save the answers and general comment of an open evaluation (checked against its scorecard version, required ones may be missing); audited',
        params: IdParams,
        body: schemas.AnswersBody,
        response: { 200: schemas.EvaluationView, ...errors },
      },
    },
    (req) => service.saveDraft(ctx, actorOf(req), req.params.id, req.body),
  );
  app.post(
    '/api/evaluations/:id/submit',
    {
      config: { access: writers },
      schema: {
        tags,
        summary:
          'Submit: every required question answered (400 REQUIRED_ANSWERS_MISSING names them), scored with its scorecard version, a revision written, the conversation marked reviewed, the agent notified. A disputed evaluation may be submitted again (re-evaluation); audited',
        params: IdParams,
        body: schemas.AnswersBody,
        response: { 200: schemas.EvaluationView, ...errors },
      },
    },
    (req) => service.submitEvaluation(ctx, actorOf(req), req.params.id, req.body),
  );
  app.post(
    '/api/evaluations/:id/comments',
    {
      config: { access: readers },
      schema: {
        tags,
        summary: 'A comment on the evaluation, optionally at a player position (positionMs); anyone who may read the evaluation; audited',
        params: IdParams,
        body: schemas.CommentBody,
        response: { 201: schemas.CommentView, ...errors },
      },
    },
    async (req, reply) => reply.status(201).send(await service.addComment(ctx, actorOf(req), req.params.id, req.body)),
  );
  app.get(
    '/api/evaluations/:id/mentionable',
    {
      config: { access: readers },
      schema: {
        tags,
        summary: "Who the @mention picker offers in an evaluation's comments: enabled users who may read it, matching q (name or e-mail), at most 20",
        params: IdParams,
        querystring: MentionableQuery,
        response: { 200: MentionableList, ...errors },
      },
    },
    (req) => service.mentionable(ctx, actorOf(req), req.params.id, req.query.q),
  );
  app.get(
    '/api/conversations/:id/evaluations',
    {
      config: { access: needs('conversations.view', 'conversations.view_own') },
      schema: {
        tags,
        summary: 'Review history of a conversation: the reviews of it the caller may read',
        params: IdParams,
        response: { 200: Type.Object({ items: Type.Array(schemas.EvaluationSummary) }), ...errors },
      },
    },
    (req) => service.conversationEvaluations(ctx, actorOf(req), req.params.id),
  );
  app.get(
    '/api/conversations/:id/review-agents',
    {
      config: { access: needs('quality.review', 'quality.review_self', 'quality.plan') },
      schema: {
        tags,
        summary: 'The agents taking part in a conversation (whom a review can be about)',
        params: IdParams,
        response: { 200: schemas.ReviewableAgents, ...errors },
      },
    },
    (req) => service.reviewableAgents(ctx, actorOf(req), req.params.id),
  );
  app.get(
    '/api/conversations/:id/reviewers',
    {
      config: { access: needs('quality.plan') },
      schema: {
        tags,
        summary: 'Users a review of this conversation can be planned for: they hold quality.review and may see it',
        params: IdParams,
        response: { 200: schemas.ReviewableAgents, ...errors },
      },
    },
    (req) => service.possibleReviewers(ctx, actorOf(req), req.params.id),
  );
}
