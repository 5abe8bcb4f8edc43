// Request and response schemas of a user's own notification preferences.
import { Type, type Static } from 'typebox';
import { QUALITY_EVENTS } from '../../quality/notification-emails.ts';

export const NotificationEvent = Type.Union(
  [
    Type.Literal('evaluation_assigned'),
    Type.Literal('evaluation_reminder'),
    Type.Literal('evaluation_submitted'),
    Type.Literal('evaluation_acknowledged'),
    Type.Literal('dispute_raised'),
    Type.Literal('dispute_resolved'),
    Type.Literal('calibration_assigned'),
    Type.Literal('comment_mention'),
  ],
  { description: 'What the e-mail is about' },
);
// The schema names every event of the server's list, no more, no less (checked when the module loads).
if (NotificationEvent.anyOf.map((s: { const: string }) => s.const).join() !== QUALITY_EVENTS.join())
  throw new Error('NotificationEvent is out of step with QUALITY_EVENTS');

export const NotificationPreference = Type.Object({
  event: NotificationEvent,
  email: Type.Boolean({ description: 'Whether this event sends an e-mail (default on)' }),
  relevant: Type.Boolean({ description: "Whether the user's permissions make this event reach them at all (the page shows these)" }),
});

export const NotificationPreferences = Type.Object({ items: Type.Array(NotificationPreference) });

export const NotificationPreferencesPatch = Type.Object(
  {
    items: Type.Array(Type.Object({ event: NotificationEvent, email: Type.Boolean() }, { additionalProperties: false }), {
      minItems: 1,
      maxItems: QUALITY_EVENTS.length,
    }),
  },
  { additionalProperties: false },
);
export type NotificationPreferencesPatch = Static<typeof NotificationPreferencesPatch>;
