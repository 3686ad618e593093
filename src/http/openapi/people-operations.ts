import type { Operation } from './operations.js';
import {
  keyOrSession,
  session,
  error,
  ok,
  str,
  obj,
  param,
  errors,
  sessionErrors,
  sessionSchema,
  done,
  memberSchema,
  inviteSchema,
  body,
} from './dashboard-schemas.js';
import { listOf } from './schemas.js';

/** Sign-up, sessions, profile, members and invites (docs/dashboard-api.md). */
export const PEOPLE_OPERATIONS: Record<string, Operation> = {
  'GET /v1/auth/config': {
    summary: 'What sign-up offers',
    tags: ['People'],
    operationId: 'getAuthConfig',
    response: {
      200: ok(
        obj(
          {
            object: { const: 'auth.config' },
            signup: { enum: ['open', 'invite', 'closed'] },
            email_delivery: { type: 'boolean' },
          },
          ['signup', 'email_delivery'],
        ),
        'The sign-up mode and whether mail is sent.',
      ),
    },
  },
  'POST /v1/auth/sign-up': {
    summary: 'Sign up with email and password',
    description:
      'Creates a person and an account they own with the starter credits (`PIXAPI_SIGNUP_CREDITS`), or with `invite_token` joins the inviting account. Sets the session cookies.',
    tags: ['People'],
    operationId: 'signUp',
    body: body(
      {
        email: str,
        password: { type: 'string', minLength: 8, maxLength: 256 },
        name: str,
        invite_token: str,
      },
      ['email', 'password'],
    ),
    response: {
      201: ok(sessionSchema, 'Signed in.'),
      400: errors[400],
      403: error('`signup_closed` or `invite_required`.'),
      409: error('`email_taken`.'),
      429: error('Too many sign-ups from this address.'),
    },
  },
  'POST /v1/auth/sign-in': {
    summary: 'Sign in',
    description:
      'Sets the session cookies. Failed attempts are rate-limited per email and address.',
    tags: ['People'],
    operationId: 'signIn',
    body: body({ email: str, password: str }, ['email', 'password']),
    response: {
      200: ok(sessionSchema, 'Signed in.'),
      400: errors[400],
      401: error('`invalid_credentials`.'),
      403: error('`no_account`: a member of no account.'),
      429: error('`too_many_attempts`.'),
    },
  },
  'POST /v1/auth/sign-out': {
    summary: 'Sign out',
    tags: ['People'],
    operationId: 'signOut',
    security: session,
    response: { 204: { type: 'null', description: 'Signed out.' }, ...sessionErrors },
  },
  'GET /v1/auth/session': {
    summary: 'The current session',
    tags: ['People'],
    operationId: 'getSession',
    security: session,
    response: { 200: ok(sessionSchema, 'The session.'), 401: errors[401] },
  },
  'POST /v1/auth/session/account': {
    summary: 'Act in another of my accounts',
    tags: ['People'],
    operationId: 'switchAccount',
    security: session,
    body: body({ account_id: str }, ['account_id']),
    response: { 200: ok(sessionSchema, 'The session.'), ...sessionErrors, 404: errors[404] },
  },
  'POST /v1/auth/password-reset': {
    summary: 'Mail a password-reset link',
    description: 'Always 202, whether or not the address has an account.',
    tags: ['People'],
    operationId: 'requestPasswordReset',
    body: body({ email: str }, ['email']),
    response: {
      202: ok(done('password_reset.requested'), 'Requested.'),
      400: errors[400],
      429: error('Too many requests.'),
    },
  },
  'POST /v1/auth/password-reset/confirm': {
    summary: 'Set a new password with a reset link’s token',
    description: 'Ends every session of the person.',
    tags: ['People'],
    operationId: 'confirmPasswordReset',
    body: body({ token: str, password: str }, ['token', 'password']),
    response: {
      200: ok(done('password_reset.done'), 'Done.'),
      400: error('`invalid_token` or a bad password.'),
    },
  },
  'POST /v1/auth/verify-email': {
    summary: 'Mail an email-verification link',
    tags: ['People'],
    operationId: 'requestEmailVerification',
    security: session,
    response: { 202: ok(done('email_verification.requested'), 'Requested.'), ...sessionErrors },
  },
  'POST /v1/auth/verify-email/confirm': {
    summary: 'Verify an email address with the link’s token',
    tags: ['People'],
    operationId: 'confirmEmailVerification',
    body: body({ token: str }, ['token']),
    response: {
      200: ok(done('email_verification.done'), 'Verified.'),
      400: error('`invalid_token`.'),
    },
  },
  'GET /v1/invites/:token': {
    summary: 'Preview an invitation',
    tags: ['People'],
    operationId: 'previewInvite',
    params: param('token', 'The token of the invitation link.'),
    response: {
      200: ok(
        obj(
          {
            object: { const: 'invite.preview' },
            account_name: str,
            email: str,
            role: str,
            expires_at: { type: 'integer' },
          },
          ['account_name', 'email', 'role'],
        ),
        'The invitation.',
      ),
      400: error('`invalid_token`.'),
    },
  },
  'POST /v1/invites/accept': {
    summary: 'Accept an invitation (signed in)',
    tags: ['People'],
    operationId: 'acceptInvite',
    security: session,
    body: body({ token: str }, ['token']),
    response: {
      200: ok(sessionSchema, 'The session, now acting in the joined account.'),
      ...sessionErrors,
    },
  },
  'GET /v1/members': {
    summary: 'List members and open invitations',
    tags: ['People'],
    operationId: 'listMembers',
    security: keyOrSession,
    response: {
      200: ok(
        {
          ...listOf(memberSchema),
          properties: {
            ...(listOf(memberSchema).properties as object),
            invites: { type: 'array', items: inviteSchema },
          },
        },
        'Members, oldest first.',
      ),
      ...errors,
    },
  },
  'POST /v1/members/invites': {
    summary: 'Invite a person by email',
    description: 'Owners. Mails the link when SMTP is set; the answer has it too.',
    tags: ['People'],
    operationId: 'inviteMember',
    security: keyOrSession,
    body: body({ email: str, role: { enum: ['owner', 'developer', 'viewer'] } }, ['email', 'role']),
    response: {
      201: ok(inviteSchema, 'The invitation.'),
      ...errors,
      409: error('`already_member`.'),
    },
  },
  'DELETE /v1/members/invites/:inviteId': {
    summary: 'Withdraw an invitation',
    tags: ['People'],
    operationId: 'deleteInvite',
    security: keyOrSession,
    params: param('inviteId', 'inv_...'),
    response: { 200: ok(inviteSchema, 'The withdrawn invitation.'), ...errors },
  },
  'PATCH /v1/members/:userId': {
    summary: 'Change a member’s role',
    tags: ['People'],
    operationId: 'updateMember',
    security: keyOrSession,
    params: param('userId', 'usr_...'),
    body: body({ role: { enum: ['owner', 'developer', 'viewer'] } }, ['role']),
    response: { 200: ok(memberSchema, 'The member.'), ...errors, 409: error('`last_owner`.') },
  },
  'DELETE /v1/members/:userId': {
    summary: 'Remove a member',
    tags: ['People'],
    operationId: 'removeMember',
    security: keyOrSession,
    params: param('userId', 'usr_...'),
    response: {
      204: { type: 'null', description: 'Removed.' },
      ...errors,
      409: error('`last_owner`.'),
    },
  },
};
