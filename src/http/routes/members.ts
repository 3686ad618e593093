import type { FastifyInstance } from 'fastify';
import type { InvitesTable } from '../../db/schema.js';
import { invalidRequest, notFound } from '../../errors.js';
import type { Member } from '../../people/members.js';
import { isRole } from '../../people/permissions.js';
import { isEmail } from '../../people/tokens.js';
import type { Services } from '../../services.js';
import { principalOf, requirePermission } from '../auth.js';
import type { KeyGuard } from '../plugins.js';

const seconds = (ms: number | null) => (ms === null ? null : Math.floor(ms / 1000));

export function memberView(m: Member) {
  return {
    user_id: m.userId,
    object: 'member',
    email: m.email,
    name: m.name,
    role: m.role,
    created_at: seconds(m.createdAt),
  };
}

function inviteView(i: InvitesTable) {
  return {
    id: i.id,
    object: 'invite',
    email: i.email,
    role: i.role,
    created_at: seconds(i.created_at),
    expires_at: seconds(i.expires_at),
    accepted_at: seconds(i.accepted_at),
  };
}

function roleOf(body: unknown): 'owner' | 'developer' | 'viewer' {
  const role = (body as Record<string, unknown> | null)?.role;
  if (!isRole(role)) {
    throw invalidRequest('invalid_value', "'role' must be owner, developer or viewer.", 'role');
  }
  return role;
}

type UserParams = { Params: { userId: string } };

/** What memberRoutes uses of the services. */
export type MemberRouteDeps = Pick<Services, 'accounts' | 'mailer' | 'people' | 'publicUrl'>;

/** Members of the account and invitations by email link (owners manage them). */
export function memberRoutes(
  app: FastifyInstance,
  services: MemberRouteDeps,
  guard: KeyGuard,
): void {
  const { members } = services.people;

  app.get('/v1/members', { onRequest: guard }, async (request) => {
    const { accountId } = principalOf(request);
    const [list, invites] = await Promise.all([
      members.list(accountId),
      members.openInvites(accountId),
    ]);
    return {
      object: 'list',
      data: list.map(memberView),
      invites: invites.map(inviteView),
      has_more: false,
      last_id: null,
    };
  });

  app.post('/v1/members/invites', { onRequest: guard }, async (request, reply) => {
    const principal = requirePermission(request, 'members');
    const body = (request.body ?? {}) as Record<string, unknown>;
    if (!isEmail(body.email)) {
      throw invalidRequest('invalid_value', 'Enter a valid email address.', 'email');
    }
    const role = roleOf(body);
    const { invite, token } = await members.invite({
      accountId: principal.accountId,
      email: body.email,
      role,
      invitedBy: principal.userId,
    });
    const account = await services.accounts.get(principal.accountId);
    const inviteUrl = `${services.publicUrl()}/invite?token=${encodeURIComponent(token)}`;
    await services.mailer.send({
      to: invite.email,
      subject: `You are invited to ${account?.name ?? 'an account'} on Pixapi`,
      text: `You are invited to join ${account?.name ?? 'an account'} on Pixapi as ${role}. Open this link to accept (valid 7 days):\n\n${inviteUrl}\n`,
    });
    return reply.code(201).send({ ...inviteView(invite), invite_url: inviteUrl });
  });

  app.delete<{ Params: { inviteId: string } }>(
    '/v1/members/invites/:inviteId',
    { onRequest: guard },
    async (request) => {
      const { accountId } = requirePermission(request, 'members');
      return inviteView(await members.deleteInvite(accountId, request.params.inviteId));
    },
  );

  app.patch<UserParams>('/v1/members/:userId', { onRequest: guard }, async (request) => {
    const { accountId } = requirePermission(request, 'members');
    await members.changeRole(accountId, request.params.userId, roleOf(request.body));
    const member = (await members.list(accountId)).find((m) => m.userId === request.params.userId);
    if (!member) throw notFound('not_found', `No member ${request.params.userId}.`);
    return memberView(member);
  });

  app.delete<UserParams>('/v1/members/:userId', { onRequest: guard }, async (request, reply) => {
    const { accountId } = requirePermission(request, 'members');
    await members.remove(accountId, request.params.userId);
    return reply.code(204).send();
  });
}
