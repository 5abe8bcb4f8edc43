// Request and response schemas of outgoing e-mail (Settings → E-mail).
import { Type } from 'typebox';
import { Nullable, Timestamp } from '../platform/http/schemas.ts';

export const TestEmailBody = Type.Object(
  { to: Type.Optional(Type.String({ maxLength: 254, description: "Recipient; the administrator's own address when absent" })) },
  { additionalProperties: false },
);

export const TestEmailResult = Type.Object({
  delivered: Type.Boolean({ description: 'Whether the mail server accepted the message' }),
  to: Type.String(),
  message: Type.String({ description: "The server's answer, or why it failed" }),
});

export const OutboxItem = Type.Object({
  id: Type.String(),
  kind: Type.String({ description: 'subscription_alert or subscription_digest' }),
  to: Type.String(),
  subject: Type.String(),
  status: Type.String({ description: 'pending, sent or failed' }),
  attempts: Type.Integer(),
  lastError: Nullable(Type.String()),
  createdAt: Timestamp,
  sentAt: Nullable(Timestamp),
});

export const OutboxQuery = Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })) }, { additionalProperties: false });
