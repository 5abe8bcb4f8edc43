// Conversation factories: chats need no media, so they make quick fixtures for tags, comments, access and lists.
import { randomBytes } from 'node:crypto';
import type { AppContext } from '../../src/context.ts';
import { actorFor } from '../../src/auth/session-service.ts';
import type { Actor } from '../../src/auth/actor.ts';
import { ingestChat } from '../../src/conversations/ingest/chats.ts';
import type { App } from '../../src/platform/http/types.ts';
import { makeTenant } from './factories.ts';
import { signIn } from './http.ts';

export async function actorOfUser(ctx: AppContext, userId: string): Promise<Actor> {
  const a = await actorFor(ctx, userId, { ip: '127.0.0.1', application: 'api' });
  if (!a) throw new Error(`no actor for ${userId}`);
  return a;
}

/** A fresh tenant with its admin signed in over HTTP and the admin's actor for ingesting conversations. */
export async function tenantWithAdmin(ctx: AppContext & { app: App }) {
  const tenant = await makeTenant(ctx);
  const admin = await signIn(ctx.app, tenant.admin);
  const ingest = await actorOfUser(ctx, tenant.admin.id);
  return { tenantId: tenant.tenantId, adminUser: tenant.admin, admin, ingest };
}

/** A chat conversation handled by the agent with the given extension (or an unknown agent). */
export async function makeChat(
  ctx: AppContext,
  ingestActor: Actor,
  opts: { agentExtension?: string; customerName?: string; at?: Date; engagementId?: string; text?: string } = {},
) {
  const at = opts.at ?? new Date();
  const t = (s: number) => new Date(at.getTime() + s * 1000).toISOString();
  return ingestChat(ctx, ingestActor, {
    chatId: `chat-${randomBytes(6).toString('hex')}`,
    engagementId: opts.engagementId,
    roomName: `Support chat with ${opts.customerName ?? 'Pat Customer'}`,
    participants: [
      { key: 'cust', role: 'customer', name: opts.customerName ?? 'Pat Customer', email: 'pat@example.com' },
      { key: 'agent', role: 'agent', name: 'Agent', extension: opts.agentExtension ?? '9999' },
    ],
    messages: [
      { sender: 'cust', at: t(0), text: opts.text ?? 'Hello, my invoice is wrong.' },
      { sender: 'agent', at: t(20), text: 'Sorry to hear that, let me check.' },
      { sender: 'cust', at: t(45), text: 'Thank you.' },
    ],
  });
}
