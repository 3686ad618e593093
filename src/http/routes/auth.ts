import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { invalidRequest, notFound, PixapiError } from '../../errors.js';
import { forbidden, invalidToken } from '../../people/errors.js';
import type { ActiveSession, NewSession } from '../../people/sessions.js';
import { checkPassword } from '../../people/signup.js';
import { isEmail, normalizeEmail } from '../../people/tokens.js';
import type { Services } from '../../services.js';
import { checkOrigin, CSRF_COOKIE, notSignedIn, SESSION_COOKIE, sessionOf } from '../auth.js';
import { SignInThrottle } from '../sign-in-throttle.js';

type Body = Record<string, unknown>;

const seconds = (ms: number) => Math.floor(ms / 1000);

function body(request: FastifyRequest): Body {
  const b = request.body;
  return b && typeof b === 'object' && !Array.isArray(b) ? (b as Body) : {};
}

function invalidCredentials() {
  return new PixapiError({
    code: 'invalid_credentials',
    message: 'Wrong email or password.',
  });
}

/** The session answer of sign-up, sign-in, switching accounts and `GET /v1/auth/session`. */
export async function sessionAnswer(services: Services, session: ActiveSession) {
  const memberships = await services.people.sessions.memberships(session.user.id);
  return {
    object: 'session',
    user: {
      id: session.user.id,
      email: session.user.email,
      name: session.user.name,
      email_verified: session.user.emailVerified,
      site_admin: session.user.siteAdmin,
    },
    account: {
      id: session.accountId,
      name: session.accountName,
      role: session.role,
      suspended: session.suspended,
    },
    memberships: memberships.map((m) => ({
      account_id: m.account_id,
      account_name: m.account_name,
      role: m.role,
    })),
    csrf_token: session.csrfToken,
    expires_at: seconds(session.expiresAt),
  };
}

/**
 * Email and password sign-up, sign-in and sign-out, password reset and email verification,
 * and accepting invitations. Sessions are cookies: httpOnly, SameSite=Lax, Secure over https.
 */
export function authRoutes(app: FastifyInstance, services: Services): void {
  const { users, sessions, members, signup } = services.people;
  const throttle = new SignInThrottle();
  const secure = (request: FastifyRequest) =>
    request.protocol === 'https' || services.publicUrl().startsWith('https:');

  const setCookies = (request: FastifyRequest, reply: FastifyReply, created: NewSession) => {
    const options = {
      path: '/',
      sameSite: 'lax' as const,
      secure: secure(request),
      expires: new Date(created.expiresAt),
    };
    reply.setCookie(SESSION_COOKIE, created.token, { ...options, httpOnly: true });
    // Readable by the dashboard's script, which sends it back in x-pixapi-csrf.
    reply.setCookie(CSRF_COOKIE, created.csrfToken, { ...options, httpOnly: false });
  };

  const startSession = async (
    request: FastifyRequest,
    reply: FastifyReply,
    userId: string,
    accountId: string,
  ) => {
    const created = await sessions.create(userId, accountId);
    setCookies(request, reply, created);
    const session = await sessions.resolve(created.token);
    if (!session) throw notSignedIn();
    return sessionAnswer(services, session);
  };

  const link = (page: string, token: string) =>
    `${services.publicUrl()}/${page}?token=${encodeURIComponent(token)}`;

  const sendVerification = async (userId: string, email: string) => {
    if (!services.mailer.enabled) return;
    const token = await users.issueToken(userId, 'email_verification');
    await services.mailer.send({
      to: email,
      subject: 'Confirm your email address for Pixapi',
      text: `Confirm your email address by opening this link (valid 7 days):\n\n${link('verify-email', token)}\n`,
    });
  };

  app.get('/v1/auth/config', async () => ({
    object: 'auth.config',
    signup: services.config.signup.mode,
    email_delivery: services.mailer.enabled,
  }));

  app.post('/v1/auth/sign-up', async (request, reply) => {
    checkOrigin(request, services.publicUrl());
    await throttle.form(request.ip);
    const b = body(request);
    const created = await signup.run({
      email: b.email,
      password: b.password,
      name: b.name,
      inviteToken: b.invite_token,
    });
    const answer = await startSession(request, reply, created.userId, created.accountId);
    if (!answer.user.email_verified) await sendVerification(created.userId, answer.user.email);
    return reply.code(201).send(answer);
  });

  app.post('/v1/auth/sign-in', async (request, reply) => {
    checkOrigin(request, services.publicUrl());
    const b = body(request);
    if (!isEmail(b.email))
      throw invalidRequest('invalid_value', 'Enter a valid email address.', 'email');
    if (typeof b.password !== 'string') {
      throw invalidRequest('missing_required_parameter', 'Enter your password.', 'password');
    }
    const email = normalizeEmail(b.email);
    await throttle.check(request.ip, email);
    const user = await users.checkPassword(email, b.password);
    if (!user) {
      await throttle.failed(request.ip, email);
      throw invalidCredentials();
    }
    await throttle.succeeded(request.ip, email);
    const first = (await sessions.memberships(user.id))[0];
    if (!first) {
      throw forbidden('no_account', 'You are not a member of any account on this server.');
    }
    return startSession(request, reply, user.id, first.account_id);
  });

  app.post('/v1/auth/sign-out', async (request, reply) => {
    const session = await sessionOf(request, services);
    await sessions.end(session.id);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    reply.clearCookie(CSRF_COOKIE, { path: '/' });
    return reply.code(204).send();
  });

  app.get('/v1/auth/session', async (request) =>
    sessionAnswer(services, await sessionOf(request, services)),
  );

  app.post('/v1/auth/session/account', async (request) => {
    const session = await sessionOf(request, services);
    const accountId = body(request).account_id;
    if (typeof accountId !== 'string' || !(await members.role(accountId, session.user.id))) {
      throw notFound('not_found', 'You are not a member of that account.', 'account_id');
    }
    await sessions.switchAccount(session.id, accountId);
    return sessionAnswer(services, await sessionOf(request, services));
  });

  app.post('/v1/auth/password-reset', async (request, reply) => {
    checkOrigin(request, services.publicUrl());
    await throttle.form(request.ip);
    const email = body(request).email;
    if (!isEmail(email))
      throw invalidRequest('invalid_value', 'Enter a valid email address.', 'email');
    const user = await users.byEmail(email);
    // The same answer whether or not the address has an account.
    if (user && services.mailer.enabled) {
      const token = await users.issueToken(user.id, 'password_reset');
      await services.mailer.send({
        to: user.email,
        subject: 'Reset your Pixapi password',
        text: `Someone asked to reset the password of this address on Pixapi. To choose a new one, open this link (valid 1 hour):\n\n${link('reset-password', token)}\n\nIf it was not you, ignore this mail.\n`,
      });
    }
    return reply.code(202).send({ object: 'password_reset.requested' });
  });

  app.post('/v1/auth/password-reset/confirm', async (request) => {
    checkOrigin(request, services.publicUrl());
    const b = body(request);
    const password = checkPassword(b.password);
    const userId =
      typeof b.token === 'string' ? await users.consumeToken(b.token, 'password_reset') : undefined;
    if (!userId) throw invalidToken();
    await users.setPassword(userId, password);
    // The mail reached the person: the address is theirs.
    await users.markVerified(userId);
    return { object: 'password_reset.done' };
  });

  app.post('/v1/auth/verify-email', async (request, reply) => {
    const session = await sessionOf(request, services);
    if (!session.user.emailVerified) await sendVerification(session.user.id, session.user.email);
    return reply.code(202).send({ object: 'email_verification.requested' });
  });

  app.post('/v1/auth/verify-email/confirm', async (request) => {
    checkOrigin(request, services.publicUrl());
    const token = body(request).token;
    const userId =
      typeof token === 'string' ? await users.consumeToken(token, 'email_verification') : undefined;
    if (!userId) throw invalidToken();
    await users.markVerified(userId);
    return { object: 'email_verification.done' };
  });

  app.get<{ Params: { token: string } }>('/v1/invites/:token', async (request) => {
    const invite = await members.findInvite(request.params.token);
    if (!invite) throw invalidToken();
    return {
      object: 'invite.preview',
      account_name: invite.account_name,
      email: invite.email,
      role: invite.role,
      expires_at: seconds(invite.expires_at),
    };
  });

  app.post('/v1/invites/accept', async (request) => {
    const session = await sessionOf(request, services);
    const token = body(request).token;
    const invite = typeof token === 'string' ? await members.findInvite(token) : undefined;
    if (!invite || typeof token !== 'string') throw invalidToken();
    if (invite.email !== session.user.email) {
      throw invalidRequest('invalid_value', `This invitation is for ${invite.email}.`, 'token');
    }
    const joined = await members.accept(token, session.user.id);
    await users.markVerified(session.user.id);
    await sessions.switchAccount(session.id, joined.accountId);
    return sessionAnswer(services, await sessionOf(request, services));
  });
}
