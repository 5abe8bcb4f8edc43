// Request and response schemas of webhooks (Administration → Webhooks).
import { Type, type Static } from 'typebox';
import { DOMAIN_EVENT_TYPES, type DomainEventType } from '../../platform/events/index.ts';
import { Id, Nullable, Timestamp } from '../../platform/http/schemas.ts';

export const EventType = Type.Unsafe<DomainEventType>(
  Type.String({ enum: [...DOMAIN_EVENT_TYPES], description: 'A domain event type (GET /api/webhooks lists them)' }),
);

const Url = Type.String({ minLength: 1, maxLength: 2000, description: 'http(s) URL the events are POSTed to' });
const Name = Type.String({ minLength: 1, maxLength: 120 });
const Events = Type.Array(EventType, { minItems: 1, maxItems: 50, uniqueItems: true });

export const EndpointCreate = Type.Object({ name: Name, url: Url, events: Events, enabled: Type.Optional(Type.Boolean()) }, { additionalProperties: false });
export type EndpointCreate = Static<typeof EndpointCreate>;

export const EndpointPatch = Type.Object(
  {
    name: Type.Optional(Name),
    url: Type.Optional(Url),
    events: Type.Optional(Events),
    enabled: Type.Optional(Type.Boolean({ description: 'Enabling an endpoint that was disabled after failures clears its failure streak' })),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type EndpointPatch = Static<typeof EndpointPatch>;

export const RotateBody = Type.Object(
  {
    expirePrevious: Type.Optional(
      Type.Boolean({ description: 'Stop signing with the old secret at once (default: it keeps signing beside the new one for 24 hours)' }),
    ),
  },
  { additionalProperties: false },
);

export const Endpoint = Type.Object({
  id: Type.String(),
  name: Type.String(),
  url: Type.String(),
  events: Type.Array(Type.String()),
  enabled: Type.Boolean(),
  disabledReason: Nullable(Type.String()),
  disabledAt: Nullable(Timestamp),
  failureStreak: Type.Integer(),
  failingSince: Nullable(Timestamp),
  lastSuccessAt: Nullable(Timestamp),
  lastFailureAt: Nullable(Timestamp),
  previousSecretUntil: Nullable(Timestamp),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});

export const EndpointWithSecret = Type.Object({ ...Endpoint.properties, secret: Type.String({ description: 'Shown once: store it now' }) });

export const EndpointList = Type.Object({
  items: Type.Array(Endpoint),
  events: Type.Array(Type.Object({ type: Type.String(), description: Type.String() })),
});

export const DeliveryParams = Type.Object({ id: Id, deliveryId: Id });

export const DeliveryQuery = Type.Object(
  {
    status: Type.Optional(Type.Union([Type.Literal('pending'), Type.Literal('succeeded'), Type.Literal('failed')])),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
    before: Type.Optional(Type.String({ maxLength: 64, description: 'Id of the last delivery of the previous page' })),
  },
  { additionalProperties: false },
);
export type DeliveryQuery = Static<typeof DeliveryQuery>;

export const Delivery = Type.Object({
  id: Type.String(),
  endpointId: Type.String(),
  eventId: Type.String(),
  eventType: Type.String(),
  status: Type.String({ description: 'pending, succeeded or failed' }),
  attempts: Type.Integer(),
  nextAttemptAt: Nullable(Timestamp),
  lastStatusCode: Nullable(Type.Integer()),
  lastError: Nullable(Type.String()),
  lastDurationMs: Nullable(Type.Integer()),
  lastResponse: Nullable(Type.String({ description: 'The start of the last response body' })),
  createdAt: Timestamp,
  completedAt: Nullable(Timestamp),
});

export const Attempt = Type.Object({
  attempt: Type.Integer(),
  manual: Type.Boolean(),
  ok: Type.Boolean(),
  statusCode: Nullable(Type.Integer()),
  durationMs: Type.Integer(),
  responseExcerpt: Nullable(Type.String()),
  error: Nullable(Type.String()),
  at: Timestamp,
});

export const DeliveryDetail = Type.Object({
  ...Delivery.properties,
  body: Type.String({ description: 'The JSON body sent' }),
  attemptLog: Type.Array(Attempt),
});

export const DeliveryList = Type.Object({ items: Type.Array(Delivery), next: Nullable(Type.String()) });
export const Queued = Type.Object({ deliveryId: Type.String() });
