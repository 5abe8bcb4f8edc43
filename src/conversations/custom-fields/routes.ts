// Thin HTTP edge for custom field definitions and their values on conversations.
import { Type } from 'typebox';
import type { AppContext } from '../../context.ts';
import { needs } from '../../platform/http/access.ts';
import { actorOf } from '../../platform/http/auth.ts';
import { ErrorResponse, NoContent, authErrors } from '../../platform/http/schemas.ts';
import type { App } from '../../platform/http/types.ts';
import * as schemas from './schemas.ts';
import * as service from './service.ts';

const errors = { 400: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse, ...authErrors };

export function customFieldRoutes(app: App, ctx: AppContext) {
  const tags = ['Custom fields'];
  const manage = { access: needs('customfields.manage') };
  app.get(
    '/api/custom-fields',
    {
      config: { access: needs('conversations.view', 'conversations.view_own', 'customfields.manage', 'conversations.edit_custom_fields') },
      schema: {
        tags,
        summary: 'Custom field definitions of the tenant, in display order',
        response: { 200: Type.Object({ items: Type.Array(schemas.CustomField) }), ...authErrors },
      },
    },
    (req) => service.listFields(ctx, actorOf(req)),
  );
  app.post(
    '/api/custom-fields',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Define a custom field (text, date or option); audited',
        body: schemas.CustomFieldCreate,
        response: { 200: schemas.CustomField, ...errors },
      },
    },
    (req) => service.createField(ctx, actorOf(req), req.body),
  );
  app.patch(
    '/api/custom-fields/:id',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Edit a custom field (the type only while no conversation has a value; options in use stay); audited',
        params: schemas.FieldParams,
        body: schemas.CustomFieldPatch,
        response: { 200: schemas.CustomField, ...errors },
      },
    },
    (req) => service.updateField(ctx, actorOf(req), req.params.id, req.body),
  );
  app.delete(
    '/api/custom-fields/:id',
    {
      config: manage,
      schema: { tags, summary: 'Delete a custom field and its values; audited', params: schemas.FieldParams, response: { 204: NoContent, ...errors } },
    },
    async (req, reply) => {
      await service.deleteField(ctx, actorOf(req), req.params.id);
      return reply.status(204).send(null);
    },
  );
  app.put(
    '/api/conversations/:id/custom-fields',
    {
      config: { access: needs('conversations.edit_custom_fields') },
      schema: {
        tags,
        summary: 'Set custom field values of a conversation by key (null removes; keys not given stay); audited with old and new values',
        params: schemas.ConversationParams,
        body: schemas.ValuesPut,
        response: { 200: schemas.ConversationValues, ...errors },
      },
    },
    (req) => service.setValues(ctx, actorOf(req), req.params.id, req.body),
  );
}
