import { Type } from 'typebox';
import type { AppContext } from '../context.ts';
import { needs } from '../platform/http/access.ts';
import { actorOf } from '../platform/http/auth.ts';
import { authErrors } from '../platform/http/schemas.ts';
import type { App } from '../platform/http/types.ts';
import * as settings from './service.ts';

const fields = {
  name: Type.String({ minLength: 1, maxLength: 200 }),
  language: Type.String({ maxLength: 10 }),
  sessionTimeoutHours: Type.Integer(),
  lockoutThreshold: Type.Integer(),
  lockoutMinutes: Type.Integer(),
  passwordMinLength: Type.Integer(),
  silenceMinSeconds: Type.Integer({
    description: 'Speech events: silence longer than this many seconds (1–120, default 5); applies to conversations analysed from now on',
  }),
  crosstalkMinSeconds: Type.Integer({ description: 'Speech events: crosstalk longer than this many seconds (1–30, default 1)' }),
  apiTokenMaxDays: Type.Integer({
    description:
      'Longest life of an API token in days, 0 for no cap (0–3650, default 0); creating a longer token or one without expiry is refused (400 VALIDATION_FAILED, reason TOKEN_LIFETIME_TOO_LONG) and older tokens stop working',
  }),
  speechEngine: Type.String({
    maxLength: 20,
    description: 'Speech engine: auto (best available: local model, OpenAI-compatible server, pocketsphinx), none, pocketsphinx, openai or local',
  }),
  speechEngineByLanguage: Type.Record(Type.String(), Type.String({ maxLength: 20 }), {
    description: 'Engine per primary language code, overriding speechEngine',
  }),
  speechVocabulary: Type.Array(Type.String({ maxLength: 100 }), {
    maxItems: 2000,
    description: 'Words and phrases the speech engines should expect (products, companies, jargon)',
  }),
  piiTypes: Type.Array(Type.String({ maxLength: 40 }), {
    maxItems: 20,
    description:
      'PII redaction: card_number, card_expiry, card_security_code, phone_number, email, date_of_birth, national_id, street_address; hidden from users without media.play_unredacted',
  }),
  searchLanguage: Type.String({
    maxLength: 10,
    description: 'Search analysis language: en, fr, es, pt, de, ru or cs; a change reindexes in the background (job search.reindex)',
  }),
  smtpHost: Type.String({ maxLength: 253, description: 'Outgoing e-mail: SMTP server host name or address; empty turns e-mail off' }),
  smtpPort: Type.Integer({ description: 'SMTP port (1–65535, default 587; 465 with smtpSecurity tls)' }),
  smtpSecurity: Type.String({ maxLength: 10, description: 'starttls (upgrade required, default), tls (TLS from the start) or none' }),
  smtpUser: Type.String({ maxLength: 200, description: 'SMTP login; empty: no authentication' }),
  smtpFrom: Type.String({ maxLength: 300, description: 'Sender: name@example.com or Name <name@example.com>; required with a host' }),
  qualityRequireAcknowledgement: Type.Boolean({
    description: 'Quality: agents must acknowledge or dispute each evaluation of their interactions (default false)',
  }),
  qualityAutoAcknowledgeDays: Type.Integer({
    description:
      'Quality: with acknowledgement required, an evaluation left unanswered is acknowledged automatically after this many days (0–365, 0 never; default 0)',
  }),
};
const Settings = Type.Object({
  ...fields,
  smtpPasswordSet: Type.Boolean({ description: 'Whether an SMTP password is stored (it is never returned)' }),
});
const SettingsPatch = Type.Partial(
  Type.Object({
    ...fields,
    smtpPassword: Type.String({ maxLength: 500, description: 'SMTP password, stored encrypted and never returned; empty removes it' }),
  }),
  { additionalProperties: false },
);

export function settingsRoutes(app: App, ctx: AppContext) {
  const schema = { tags: ['Settings'] };
  app.get(
    '/api/settings',
    { config: { access: needs('settings.manage') }, schema: { ...schema, summary: 'Tenant settings', response: { 200: Settings, ...authErrors } } },
    (req) => settings.getSettings(ctx, actorOf(req)),
  );
  app.patch(
    '/api/settings',
    {
      config: { access: needs('settings.manage') },
      schema: { ...schema, summary: 'Change tenant settings (audited field by field)', body: SettingsPatch, response: { 200: Settings, ...authErrors } },
    },
    (req) => settings.updateSettings(ctx, actorOf(req), req.body),
  );
}
