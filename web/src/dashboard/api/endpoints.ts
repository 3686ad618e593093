import { json, query, request } from './client.js';
import type {
  Account,
  AdminAccount,
  ApiKey,
  AuthConfig,
  BillingEntry,
  CheckoutStatus,
  CreatedKey,
  Estimate,
  ImageResult,
  Invite,
  InvitePreview,
  KeyLimits,
  LedgerEntry,
  ListPage,
  Member,
  MemberList,
  Model,
  Packs,
  ProviderRoute,
  Role,
  Scope,
  Session,
  Task,
  UsageDaily,
  UsageDetail,
  UsageRecord,
} from './types.js';

/** Every API path the dashboard calls, in one place (the contract: docs/dashboard-api.md). */

const id = encodeURIComponent;

export interface UsageFilter {
  from?: string;
  to?: string;
  model?: string;
  key_id?: string;
  status?: string;
  request_id?: string;
  task_id?: string;
  account_id?: string;
}

export const sessions = {
  config: () => json<AuthConfig>('/v1/auth/config'),
  current: () => json<Session>('/v1/auth/session'),
  signIn: (body: { email: string; password: string }) =>
    json<Session>('/v1/auth/sign-in', { body }),
  signUp: (body: { email: string; password: string; name: string; invite_token?: string }) =>
    json<Session>('/v1/auth/sign-up', { body }),
  signOut: () => request('/v1/auth/sign-out', { method: 'POST' }),
  switchAccount: (accountId: string) =>
    json<Session>('/v1/auth/session/account', { body: { account_id: accountId } }),
  requestReset: (email: string) => json('/v1/auth/password-reset', { body: { email } }),
  confirmReset: (token: string, password: string) =>
    json('/v1/auth/password-reset/confirm', { body: { token, password } }),
  requestVerification: () => json('/v1/auth/verify-email', { body: {} }),
  confirmEmail: (token: string) => json('/v1/auth/verify-email/confirm', { body: { token } }),
};

export const account = {
  get: () => json<Account>('/v1/account'),
  update: (body: { name?: string; default_webhook_url?: string | null }) =>
    json<Account>('/v1/account', { method: 'PATCH', body }),
  webhookSecret: () => json<{ webhook_secret: string }>('/v1/account/webhook-secret'),
  rotateWebhookSecret: () =>
    json<{ webhook_secret: string }>('/v1/account/webhook-secret/rotate', { method: 'POST' }),
};

export const keys = {
  list: () => json<ListPage<ApiKey>>('/v1/keys'),
  create: (body: { name: string; scope: Scope; limits?: KeyLimits }) =>
    json<CreatedKey>('/v1/keys', { body }),
  revoke: (keyId: string) => json<ApiKey>(`/v1/keys/${id(keyId)}`, { method: 'DELETE' }),
};

const PAGE = 50;

export const usage = {
  list: (filter: UsageFilter, after?: string) =>
    json<ListPage<UsageRecord>>(`/v1/usage${query({ ...filter, after, limit: PAGE })}`),
  get: (recordId: string) => json<UsageDetail>(`/v1/usage/${id(recordId)}`),
  daily: (days: number) => json<UsageDaily>(`/v1/usage/daily${query({ days })}`),
  csvUrl: (filter: UsageFilter) => `/v1/usage/export.csv${query({ ...filter })}`,
};

export const tasks = {
  list: (status?: string, after?: string) =>
    json<ListPage<Task>>(`/v1/tasks${query({ status, after, limit: PAGE })}`),
  get: (taskId: string) => json<Task>(`/v1/tasks/${id(taskId)}`),
  redeliver: (taskId: string) => json<Task>(`/v1/tasks/${id(taskId)}/redeliver`, { body: {} }),
};

export const members = {
  list: () => json<MemberList>('/v1/members'),
  invite: (body: { email: string; role: Role }) => json<Invite>('/v1/members/invites', { body }),
  cancelInvite: (inviteId: string) =>
    json<Invite>(`/v1/members/invites/${id(inviteId)}`, { method: 'DELETE' }),
  setRole: (userId: string, role: Role) =>
    json<Member>(`/v1/members/${id(userId)}`, { method: 'PATCH', body: { role } }),
  remove: (userId: string) => request(`/v1/members/${id(userId)}`, { method: 'DELETE' }),
  preview: (token: string) => json<InvitePreview>(`/v1/invites/${id(token)}`),
  accept: (token: string) => json<Session>('/v1/invites/accept', { body: { token } }),
};

export const images = {
  models: () => json<ListPage<Model>>('/v1/models'),
  estimate: (body: Record<string, unknown>) => json<Estimate>('/v1/images/estimate', { body }),
  generate: (body: Record<string, unknown>) =>
    json<ImageResult>('/v1/images/generations', { body }),
  edit: (form: FormData) => json<ImageResult>('/v1/images/edits', { form }),
};

export const admin = {
  accounts: (q: string) => json<ListPage<AdminAccount>>(`/v1/admin/accounts${query({ q })}`),
  adjust: (accountId: string, body: { amount: number; note: string }) =>
    json<LedgerEntry>(`/v1/admin/accounts/${id(accountId)}/credits`, { body }),
  setSuspended: (accountId: string, suspended: boolean) =>
    json<AdminAccount>(
      `/v1/admin/accounts/${id(accountId)}/${suspended ? 'suspend' : 'unsuspend'}`,
      { body: {} },
    ),
  usage: (filter: UsageFilter, after?: string) =>
    json<ListPage<UsageRecord>>(`/v1/admin/usage${query({ ...filter, after, limit: PAGE })}`),
  csvUrl: (filter: UsageFilter) => `/v1/admin/usage/export.csv${query({ ...filter })}`,
  routes: () => json<ListPage<ProviderRoute>>('/v1/admin/routes'),
  settings: () =>
    json<{ signup: string; signup_credits: number; email_delivery: boolean; public_url: string }>(
      '/v1/admin/settings',
    ),
};

export const billing = {
  packs: () => json<Packs>('/v1/billing/packs'),
  checkout: (body: { pack: string } | { credits: number }) =>
    json<{ id: string; url: string }>('/v1/billing/checkout', { body }),
  checkoutStatus: (sessionId: string) =>
    json<CheckoutStatus>(`/v1/billing/checkout/${id(sessionId)}`),
  redeem: (code: string) =>
    json<{ credits: number; balance: number }>('/v1/billing/redeem', { body: { code } }),
  history: (after?: string) =>
    json<ListPage<BillingEntry>>(`/v1/billing/history${query({ limit: PAGE, after })}`),
  csvUrl: '/v1/billing/history.csv',
};
