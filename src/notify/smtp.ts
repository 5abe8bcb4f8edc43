// Outgoing e-mail through the tenant's own SMTP server (Settings → E-mail): the settings' rules, and one delivery.
import nodemailer from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport';
import type { AppContext } from '../context.ts';
import * as authRepo from '../auth/repository.ts';
import { DomainError, invalid, notFound } from '../platform/errors.ts';
import type { Keyring } from '../platform/crypto/keys.ts';
import { readSettings, type TenantSettings } from '../settings/model.ts';
import { openSecret, sealSecret } from './secrets.ts';

export const SMTP_SECURITY = ['starttls', 'tls', 'none'] as const;
const PASSWORD_PURPOSE = 'SMTP password';
const HOST = /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*$|^\[[0-9A-Fa-f:.]+\]$/;
const ADDRESS = /^[^\s@<>",;]+@[^\s@<>",;]+\.[^\s@<>",;]+$/;
// "Name <address>" or a bare address; the name may be quoted.
const FROM = /^\s*(?:"?([^"<>\r\n]*?)"?\s*<([^<>\s]+)>|([^<>\s]+))\s*$/;

export type SmtpFields = Pick<TenantSettings, 'smtpHost' | 'smtpPort' | 'smtpSecurity' | 'smtpUser' | 'smtpPassword' | 'smtpFrom'>;

export const isEmailAddress = (s: string) => s.length <= 254 && ADDRESS.test(s);

/** The address inside a From value, or null when it is not one. */
export function fromAddress(from: string): string | null {
  const m = FROM.exec(from);
  const address = m ? (m[2] ?? m[3] ?? '') : '';
  return isEmailAddress(address) ? address : null;
}

/**
 * Checks the SMTP fields of a settings change and applies them to `after` (the settings view, whose password is
 * always ''); returns the password to store: the new one sealed, '' when cleared, the stored one when untouched.
 */
export function applySmtpSettings(keyring: Keyring, tenantId: string, after: SmtpFields, patch: Partial<SmtpFields>, storedPassword: string): string {
  if (patch.smtpHost !== undefined) {
    const host = patch.smtpHost.trim();
    if (host && !HOST.test(host)) throw invalid(`"${host}" is not a host name or address`, { field: 'smtpHost' });
    after.smtpHost = host;
  }
  if (patch.smtpSecurity !== undefined) {
    if (!(SMTP_SECURITY as readonly string[]).includes(patch.smtpSecurity))
      throw invalid(`The connection security must be one of ${SMTP_SECURITY.join(', ')}, not "${patch.smtpSecurity}"`, { field: 'smtpSecurity' });
    after.smtpSecurity = patch.smtpSecurity;
  }
  if (patch.smtpUser !== undefined) {
    if (/[\r\n]/.test(patch.smtpUser)) throw invalid('The SMTP user name cannot contain line breaks', { field: 'smtpUser' });
    after.smtpUser = patch.smtpUser.trim();
  }
  if (patch.smtpFrom !== undefined) {
    const from = patch.smtpFrom.trim();
    if (from && !fromAddress(from)) throw invalid(`"${from}" is not a sender address (name@example.com or Name <name@example.com>)`, { field: 'smtpFrom' });
    after.smtpFrom = from;
  }
  if (after.smtpHost && !after.smtpFrom) throw invalid('E-mail needs a sender address (smtpFrom) as well as a server', { field: 'smtpFrom' });
  if (patch.smtpPassword === undefined) return storedPassword;
  if (/[\r\n]/.test(patch.smtpPassword)) throw invalid('The SMTP password cannot contain line breaks', { field: 'smtpPassword' });
  return patch.smtpPassword === '' ? '' : sealSecret(keyring, tenantId, PASSWORD_PURPOSE, patch.smtpPassword);
}

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html?: string | null;
  headers?: Record<string, string>;
}

/** Why e-mail cannot be sent at all (no server configured): not worth retrying. */
export class MailNotConfigured extends DomainError {
  constructor() {
    super('VALIDATION_FAILED', 'No mail server is configured: set one in Settings → E-mail (SMTP host and sender address)', { reason: 'SMTP_NOT_CONFIGURED' });
  }
}

export async function tenantMailSettings(ctx: AppContext, tenantId: string): Promise<TenantSettings> {
  const t = await authRepo.getTenant(ctx.db, tenantId);
  if (!t) throw notFound('Tenant', tenantId);
  return readSettings(ctx.adapter.fromJson(t.settings));
}

function transportOptions(ctx: AppContext, tenantId: string, s: TenantSettings): SMTPTransport.Options {
  const pass = s.smtpPassword ? openSecret(ctx.keyring, tenantId, PASSWORD_PURPOSE, s.smtpPassword) : undefined;
  return {
    host: s.smtpHost,
    port: s.smtpPort,
    // tls: TLS from the first byte (port 465); starttls: upgrade and refuse to go on without it; none: plain text.
    secure: s.smtpSecurity === 'tls',
    requireTLS: s.smtpSecurity === 'starttls',
    ignoreTLS: s.smtpSecurity === 'none',
    auth: s.smtpUser ? { user: s.smtpUser, pass: pass ?? '' } : undefined,
    // A person may be waiting (the test e-mail); a stuck server must not hold a worker for minutes.
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  };
}

/** Sends one message now through the tenant's server; throws MailNotConfigured, or the server's error. */
export async function sendMail(ctx: AppContext, tenantId: string, msg: MailMessage, settings?: TenantSettings): Promise<{ messageId: string }> {
  const s = settings ?? (await tenantMailSettings(ctx, tenantId));
  if (!s.smtpHost || !s.smtpFrom) throw new MailNotConfigured();
  const transport = nodemailer.createTransport(transportOptions(ctx, tenantId, s));
  try {
    const info = await transport.sendMail({
      from: s.smtpFrom,
      to: msg.to,
      subject: msg.subject,
      text: msg.text,
      html: msg.html ?? undefined,
      headers: msg.headers,
    });
    return { messageId: info.messageId };
  } finally {
    transport.close();
  }
}

/** What an SMTP failure says, short enough to show and store (no stack, no credentials: nodemailer never puts them in). */
export function mailError(err: unknown): string {
  const e = err as { message?: string; code?: string; responseCode?: number };
  const msg = (e?.message ?? String(err)).replace(/\s+/g, ' ').trim();
  return (e?.code && !msg.includes(e.code) ? `${e.code}: ${msg}` : msg).slice(0, 500);
}
