import type { Generated } from 'kysely';

/**
 * Row types of every table. Times are UTC milliseconds; money is integer millicredits; JSON is
 * stored as text so that one schema serves SQLite and PostgreSQL.
 */

export interface AccountsTable {
  id: string;
  name: string;
  is_admin: number;
  webhook_secret: string;
  created_at: number;
  suspended_at: number | null;
  default_webhook_url: string | null;
}

export interface ApiKeysTable {
  id: string;
  account_id: string;
  name: string | null;
  key_hash: string;
  display_prefix: string;
  rpm: number | null;
  images_per_minute: number | null;
  max_concurrent: number | null;
  daily_credits: number | null;
  monthly_credits: number | null;
  created_at: number;
  revoked_at: number | null;
  scope: 'full' | 'read' | 'admin';
  /** The person who created it from the dashboard; null for keys made by the CLI. */
  created_by: string | null;
  last_used_at: number | null;
}

/** An account's own limits and moderation override; null columns fall back to the config. */
export interface AccountPoliciesTable {
  account_id: string;
  rpm: number | null;
  images_per_minute: number | null;
  max_concurrent: number | null;
  daily_credits: number | null;
  monthly_credits: number | null;
  moderation: string | null;
  updated_at: number;
}

/** Immutable: one row per movement of an account's balance. */
export interface LedgerEntriesTable {
  id: string;
  account_id: string;
  kind: LedgerKind;
  amount: number;
  hold_id: string | null;
  note: string | null;
  /** The outside event the row answers; unique, so that it is posted once. Null by default. */
  external_ref: Generated<string | null>;
  /** The Stripe payment (Checkout Session id) of a purchase, refund or dispute row. */
  payment_id: Generated<string | null>;
  created_at: number;
}

/**
 * `grant`/`deduction`: an admin's; `purchase`: a paid Checkout Session; `refund`/`dispute`:
 * taken back for one; `redemption`: a redeem code; `capture`: a request's cost.
 */
export type LedgerKind =
  | 'grant'
  | 'deduction'
  | 'capture'
  | 'adjustment'
  | 'purchase'
  | 'refund'
  | 'dispute'
  | 'redemption';

/** A Stripe Checkout Session this server created, and what became of it. */
export interface PaymentsTable {
  id: string;
  account_id: string;
  credits: number;
  amount: number;
  currency: string;
  status: 'open' | 'paid' | 'expired';
  payment_intent: string | null;
  charge_id: string | null;
  receipt_url: string | null;
  credits_reversed: Generated<number>;
  created_at: number;
  paid_at: number | null;
}

export interface RedeemCodesTable {
  id: string;
  code: string;
  credits: number;
  max_uses: number;
  uses: Generated<number>;
  expires_at: number | null;
  note: string | null;
  created_at: number;
}

export interface CodeRedemptionsTable {
  id: string;
  code_id: string;
  account_id: string;
  created_at: number;
}

/**
 * The running sums of an account's ledger rows (`balance`) and open holds (`held`), updated in
 * the same transaction as each of them; the ledger stays the source of truth.
 */
export interface AccountBalancesTable {
  account_id: string;
  balance: number;
  held: number;
}

/** A reservation of credits; settled exactly once (captured, released or expired). */
export interface HoldsTable {
  id: string;
  account_id: string;
  amount: number;
  status: 'open' | 'captured' | 'released' | 'expired';
  captured_amount: number | null;
  reference: string | null;
  expires_at: number;
  created_at: number;
  settled_at: number | null;
}

export interface AssetsTable {
  id: string;
  account_id: string;
  storage_key: string;
  content_type: string;
  bytes: number;
  etag: string;
  width: number;
  height: number;
  created_at: number;
  expires_at: number | null;
  task_id: string | null;
  request_id: string | null;
}

/** Credits charged per account, key ('' for none) and UTC day (ms); kept by the usage log. */
export interface SpendByDayTable {
  account_id: string;
  key_id: string;
  day: number;
  credits: number;
}

/** Requests, images and credits per account, UTC day (ms) and served model; kept by the usage log. */
export interface UsageByDayTable {
  account_id: string;
  day: number;
  model: string;
  requests: number;
  images: number;
  credits: number;
}

export interface UsageRecordsTable {
  id: string;
  request_id: string;
  account_id: string;
  key_id: string | null;
  model: string;
  /** The model the client named, when a redirect had another model serve it. */
  requested_model: string | null;
  route: string | null;
  endpoint: string;
  status: 'succeeded' | 'failed' | 'blocked';
  error_code: string | null;
  blocked_reason: string | null;
  images: number;
  credits: number;
  latency_ms: number;
  attempts: number;
  user_ref: string | null;
  metadata: string | null;
  created_at: number;
}

export type TaskStatus = 'submitted' | 'processing' | 'completed' | 'failed' | 'canceled';

export interface TasksTable {
  id: string;
  account_id: string;
  key_id: string | null;
  model: string;
  endpoint: string;
  status: TaskStatus;
  progress: number;
  request: string;
  hold_id: string | null;
  price_per_image: number;
  result: string | null;
  error: string | null;
  attempts: number;
  metadata: string | null;
  webhook_url: string | null;
  webhook_state: 'pending' | 'delivered' | 'failed' | 'disabled' | null;
  request_id: string;
  created_at: number;
  started_at: number | null;
  completed_at: number | null;
}

export interface QueueJobsTable {
  id: string;
  name: string;
  payload: string;
  run_at: number;
  attempts: number;
  max_attempts: number;
  /** Higher runs first; see migration 004 (fair scheduling across accounts). */
  priority: number;
  lease_owner: string | null;
  lease_until: number | null;
  last_error: string | null;
  created_at: number;
}

export interface WebhookDeliveriesTable {
  id: string;
  task_id: string;
  message_id: string;
  attempt: number;
  status_code: number | null;
  error: string | null;
  duration_ms: number;
  created_at: number;
}

export interface IdempotencyKeysTable {
  account_id: string;
  key: string;
  fingerprint: string;
  state: 'in_flight' | 'done';
  response_status: number | null;
  response_headers: string | null;
  response_body: string | null;
  created_at: number;
  locked_until: number;
  expires_at: number;
}

export type Role = 'owner' | 'developer' | 'viewer';

export interface UsersTable {
  id: string;
  email: string;
  name: string | null;
  password_hash: string | null;
  site_admin: number;
  email_verified_at: number | null;
  created_at: number;
}

export interface MembershipsTable {
  account_id: string;
  user_id: string;
  role: Role;
  created_at: number;
}

export interface SessionsTable {
  id: string;
  user_id: string;
  account_id: string;
  csrf_token: string;
  created_at: number;
  expires_at: number;
}

export interface InvitesTable {
  id: string;
  account_id: string;
  email: string;
  role: Role;
  token_hash: string;
  invited_by: string | null;
  created_at: number;
  expires_at: number;
  accepted_at: number | null;
}

export interface AuthTokensTable {
  token_hash: string;
  user_id: string;
  purpose: 'password_reset' | 'email_verification';
  created_at: number;
  expires_at: number;
  used_at: number | null;
}

export interface Database {
  users: UsersTable;
  memberships: MembershipsTable;
  sessions: SessionsTable;
  invites: InvitesTable;
  auth_tokens: AuthTokensTable;
  accounts: AccountsTable;
  api_keys: ApiKeysTable;
  account_policies: AccountPoliciesTable;
  ledger_entries: LedgerEntriesTable;
  holds: HoldsTable;
  account_balances: AccountBalancesTable;
  assets: AssetsTable;
  usage_records: UsageRecordsTable;
  spend_by_day: SpendByDayTable;
  usage_by_day: UsageByDayTable;
  tasks: TasksTable;
  queue_jobs: QueueJobsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  idempotency_keys: IdempotencyKeysTable;
  payments: PaymentsTable;
  redeem_codes: RedeemCodesTable;
  code_redemptions: CodeRedemptionsTable;
}
