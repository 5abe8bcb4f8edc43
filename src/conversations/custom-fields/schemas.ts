// Request and response schemas of custom field definitions and their values on conversations.
import { Type, type Static } from 'typebox';
import { Id, Nullable, Timestamp } from '../../platform/http/schemas.ts';

export const TEXT_VALUE_MAX = 1000;
export const FIELD_TYPES = ['text', 'date', 'option'] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

const Key = Type.String({ pattern: '^[a-z][a-z0-9_]{0,39}$', description: 'Lower-case letters, digits and _, starting with a letter (at most 40); permanent' });
const Label = Type.String({ minLength: 1, maxLength: 100 });
const FieldTypeSchema = Type.Union([Type.Literal('text'), Type.Literal('date'), Type.Literal('option')], {
  description: 'text (at most 1000 characters), date (YYYY-MM-DD) or option (one of options)',
});
const Options = Type.Array(Type.String({ minLength: 1, maxLength: 200 }), {
  maxItems: 200,
  description: 'The choices of an option field: non-empty and unique; none for other types',
});
const Position = Type.Integer({ minimum: 0, maximum: 100000 });

export const CustomField = Type.Object({
  id: Id,
  key: Type.String(),
  label: Type.String(),
  type: Type.String(),
  options: Type.Array(Type.String()),
  showInList: Type.Boolean({ description: 'A column of the conversation list' }),
  showInFilters: Type.Boolean({ description: 'Offered by "Add new filter" (a saved search using it keeps working either way)' }),
  position: Type.Integer(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});

export const CustomFieldCreate = Type.Object(
  {
    key: Key,
    label: Label,
    type: FieldTypeSchema,
    options: Type.Optional(Options),
    showInList: Type.Optional(Type.Boolean()),
    showInFilters: Type.Optional(Type.Boolean({ description: 'Default true' })),
    position: Type.Optional(Position),
  },
  { additionalProperties: false },
);
export type CustomFieldCreate = Static<typeof CustomFieldCreate>;

export const CustomFieldPatch = Type.Object(
  {
    label: Type.Optional(Label),
    type: Type.Optional(FieldTypeSchema),
    options: Type.Optional(Options),
    showInList: Type.Optional(Type.Boolean()),
    showInFilters: Type.Optional(Type.Boolean({ description: 'Default true' })),
    position: Type.Optional(Position),
  },
  { additionalProperties: false },
);
export type CustomFieldPatch = Static<typeof CustomFieldPatch>;

export const FieldParams = Type.Object({ id: Id });
export const ConversationParams = Type.Object({ id: Id });

export const ValuesPut = Type.Object(
  {
    values: Type.Record(Type.String({ maxLength: 40 }), Nullable(Type.String()), {
      maxProperties: 100,
      description: 'Field key → value; null (or an empty text) removes the value; keys not given stay as they are',
    }),
  },
  { additionalProperties: false },
);
export type ValuesPut = Static<typeof ValuesPut>;

export const ConversationValues = Type.Object({
  items: Type.Array(Type.Object({ fieldId: Id, key: Type.String(), label: Type.String(), type: Type.String(), value: Nullable(Type.String()) })),
});
