import { Type } from 'typebox';
import { Id } from '../../platform/http/schemas.ts';
import { ANONYMIZATION_PARTS, type AnonymizationPart } from './model.ts';

const Part = Type.Unsafe<AnonymizationPart>({ type: 'string', enum: [...ANONYMIZATION_PARTS], description: `A data class: ${ANONYMIZATION_PARTS.join(', ')}` });

export const SetupInput = Type.Object(
  {
    parts: Type.Array(Part, { maxItems: ANONYMIZATION_PARTS.length, uniqueItems: true }),
    customFieldIds: Type.Array(Id, { maxItems: 500, description: 'Custom fields whose values anonymization overwrites with [anonymized]' }),
  },
  { additionalProperties: false },
);

export const SetupView = Type.Object({
  parts: Type.Array(Type.String()),
  customFieldIds: Type.Array(Type.String()),
  customFields: Type.Array(Type.Object({ id: Type.String(), key: Type.String(), label: Type.String(), filterable: Type.Boolean() })),
});
