// Outgoing e-mail: written to the outbox in the transaction that decides to send it, delivered by the notify.send job
// (retried with back-off; the last SMTP error stays on the row), and the administrator's "send a test e-mail".
import type { AppContext } from '../context.ts';
import { initiatorOf, requirePermission, type Actor } from '../auth/actor.ts';
import { languageOf } from '../auth/languages.ts';
import type { Uow } from '../platform/db/uow.ts';
import { DomainError, invalid } from '../platform/errors.ts';
import { newId, nowIso } from '../platform/ids.ts';
import * as repo from './repository.ts';
import type { MailLanguage } from './mail-language.ts';
import { isEmailAddress, mailError, MailNotConfigured, sendMail, type MailMessage } from './smtp.ts';

export const SEND_ATTEMPTS = 6;

/** Where users reach the server, for links in e-mail: EARSHOT_PUBLIC_URL, else the address it listens on. */
export function publicBaseUrl(ctx: Pick<AppContext, 'config'>): string {
  const c = ctx.config;
  return c.publicUrl ?? `http://${c.host === '0.0.0.0' || c.host === '::' ? 'localhost' : c.host}:${c.port}`;
}

export interface QueuedEmail extends MailMessage {
  tenantId: string;
  userId: string | null;
  /** What the e-mail is, for the outbox list: subscription_alert, subscription_digest… */
  kind: string;
}

/** Queues an e-mail in the caller's unit of work: it goes out only if the transaction commits. */
export async function queueEmail(ctx: AppContext, uow: Uow, mail: QueuedEmail): Promise<string> {
  const id = newId();
  await repo.insertOutbox(uow.tx, {
    id,
    tenant_id: mail.tenantId,
    user_id: mail.userId,
    kind: mail.kind,
    to_address: mail.to,
    subject: mail.subject,
    body_text: mail.text,
    body_html: mail.html ?? null,
    headers: mail.headers ? ctx.adapter.json(mail.headers) : null,
    status: 'pending',
    attempts: 0,
    last_error: null,
    message_id: null,
    created_at: nowIso(),
    sent_at: null,
  });
  await ctx.jobs.enqueue(uow, 'notify.send', { outboxId: id }, { tenantId: mail.tenantId });
  return id;
}

/** The notify.send job: one attempt at one outbox e-mail. Throws to be retried; settles the row on the last attempt. */
export async function deliverQueued(ctx: AppContext, outboxId: string, attempt: number) {
  const row = await repo.getOutbox(ctx.db, outboxId);
  if (!row || row.status !== 'pending') return { skipped: row?.status ?? 'gone' };
  try {
    const { messageId } = await sendMail(ctx, row.tenant_id, {
      to: row.to_address,
      subject: row.subject,
      text: row.body_text,
      html: row.body_html,
      headers: row.headers ? ctx.adapter.fromJson<Record<string, string>>(row.headers) : undefined,
    });
    await repo.markSent(ctx.db, outboxId, attempt, messageId, nowIso());
    return { sent: messageId };
  } catch (err) {
    // No mail server configured, or a password this server cannot open: retrying will not help until an
    // administrator fixes the settings; the row says why.
    const hopeless = err instanceof MailNotConfigured || (err instanceof DomainError && err.code === 'INTEGRITY_FAILURE');
    const final = hopeless || attempt >= SEND_ATTEMPTS;
    await repo.markAttempt(ctx.db, outboxId, attempt, mailError(err), final);
    if (final) return { failed: mailError(err) };
    throw err;
  }
}

/** The test e-mail in the administrator's language: subject, then the body around the sender's name. */
const TEST_MAIL: Record<MailLanguage, { subject: string; text: (name: string) => string }> = {
  en: {
    subject: 'Earshot test e-mail',
    text: (n) => `This is a test e-mail from Earshot, sent by ${n} from Settings → E-mail.\n\nIf you can read it, the mail server settings work.\n`,
  },
  fr: {
    subject: 'E-mail de test Earshot',
    text: (n) =>
      `Ceci est un e-mail de test d’Earshot, envoyé par ${n} depuis Paramètres → E-mail.\n\nSi vous pouvez le lire, les réglages du serveur de messagerie fonctionnent.\n`,
  },
  es: {
    subject: 'Correo de prueba de Earshot',
    text: (n) =>
      `Este es un correo de prueba de Earshot, enviado por ${n} desde Configuración → Correo electrónico.\n\nSi puede leerlo, la configuración del servidor de correo funciona.\n`,
  },
  'pt-BR': {
    subject: 'E-mail de teste do Earshot',
    text: (n) =>
      `Este é um e-mail de teste do Earshot, enviado por ${n} em Configurações → E-mail.\n\nSe você consegue lê-lo, as configurações do servidor de e-mail funcionam.\n`,
  },
  de: {
    subject: 'Earshot-Test-E-Mail',
    text: (n) =>
      `Dies ist eine Test-E-Mail von Earshot, gesendet von ${n} unter Einstellungen → E-Mail.\n\nWenn Sie sie lesen können, funktionieren die Mailserver-Einstellungen.\n`,
  },
  ru: {
    subject: 'Тестовое письмо Earshot',
    text: (n) =>
      `Это тестовое письмо Earshot, отправленное пользователем ${n} из раздела «Настройки → Эл. почта».\n\nЕсли вы его читаете, настройки почтового сервера работают.\n`,
  },
  cs: {
    subject: 'Zkušební e-mail Earshot',
    text: (n) => `Toto je zkušební e-mail z Earshot, který odeslal(a) ${n} v Nastavení → E-mail.\n\nPokud ho čtete, nastavení poštovního serveru funguje.\n`,
  },
};

/** Settings → E-mail → "Send a test e-mail": sends now, to the given address or the administrator's own, and says how it went. */
export async function sendTestEmail(ctx: AppContext, actor: Actor, input: { to?: string }) {
  requirePermission(actor, 'settings.manage');
  const to = (input.to ?? actor.email).trim();
  if (!isEmailAddress(to)) throw invalid(`"${to}" is not an e-mail address`, { field: 'to' });
  let result: { delivered: boolean; to: string; message: string };
  const words = TEST_MAIL[await languageOf(ctx.db, actor.tenantId, actor.userId)];
  try {
    const { messageId } = await sendMail(ctx, actor.tenantId, { to, subject: words.subject, text: words.text(actor.name) });
    result = { delivered: true, to, message: `The mail server accepted the message (${messageId})` };
  } catch (err) {
    // Not configured or refused: the answer to "does e-mail work?", shown as is.
    result = { delivered: false, to, message: mailError(err) };
  }
  await ctx.audit.append({
    tenantId: actor.tenantId,
    initiator: initiatorOf(actor),
    resourceType: 'settings',
    resourceId: actor.tenantId,
    action: 'EMAIL_TEST',
    details: result.delivered ? `Sent a test e-mail to ${to}` : `A test e-mail to ${to} failed: ${result.message}`,
  });
  return result;
}

/** The latest e-mails of the tenant and how their delivery went (Settings → E-mail). */
export async function listOutbox(ctx: AppContext, actor: Actor, limit = 100) {
  requirePermission(actor, 'settings.manage');
  const rows = await repo.listOutbox(ctx.db, actor.tenantId, Math.min(Math.max(limit, 1), 500));
  return {
    items: rows.map((r) => ({
      id: r.id,
      kind: r.kind,
      to: r.to_address,
      subject: r.subject,
      status: r.status,
      attempts: r.attempts,
      lastError: r.last_error,
      createdAt: r.created_at,
      sentAt: r.sent_at,
    })),
  };
}
