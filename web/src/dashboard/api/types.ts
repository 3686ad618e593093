/** What the JSON API answers (docs/api.md, docs/dashboard-api.md), as the pages read it. */

export interface ListPage<T> {
  object: 'list';
  data: T[];
  has_more: boolean;
  last_id?: string | null;
}

export type Role = 'owner' | 'developer' | 'viewer';
export type Scope = 'full' | 'read' | 'admin';

export interface Session {
  user: {
    id: string;
    email: string;
    name: string | null;
    email_verified: boolean;
    site_admin: boolean;
  };
  account: { id: string; name: string; role: Role };
  memberships: { account_id: string; account_name: string; role: Role }[];
  csrf_token: string;
}

export interface AuthConfig {
  signup: 'open' | 'invite' | 'closed';
  email_delivery: boolean;
}

export interface Account {
  id: string;
  name: string;
  balance: number;
  held: number;
  available: number;
  spend_today: number;
  spend_month: number;
  default_webhook_url: string | null;
  suspended: boolean;
  role: Role | null;
  webhook_secret?: string;
  created_at: number;
}

export interface KeyLimits {
  rpm?: number | null;
  images_per_minute?: number | null;
  max_concurrent?: number | null;
  daily_credits?: number | null;
  monthly_credits?: number | null;
}

export interface ApiKey {
  id: string;
  name: string;
  prefix: string;
  scope: Scope;
  status: 'active' | 'revoked';
  created_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
  limits: KeyLimits | null;
}

export interface CreatedKey extends ApiKey {
  /** The secret, shown once. */
  key: string;
}

export interface UsageRecord {
  id: string;
  request_id: string;
  task_id: string | null;
  key_id: string | null;
  model: string;
  requested_model: string;
  endpoint: string;
  status: 'succeeded' | 'failed' | 'blocked';
  error_code: string | null;
  blocked_reason: string | null;
  images: number;
  credits: number;
  latency_ms: number | null;
  attempts: number;
  created: number;
  account_id?: string;
}

export interface UsageImage {
  id: string;
  url: string;
  content_type: string;
  width: number | null;
  height: number | null;
  expired: boolean;
}

/** `GET /v1/usage/:id`: `images` is the stored outputs here, not a count. */
export interface UsageDetail extends Omit<UsageRecord, 'images'> {
  error: { code: string; message: string | null } | null;
  images: UsageImage[];
}

export interface UsageDay {
  date: string;
  model: string;
  requests: number;
  images: number;
  credits: number;
}

export interface UsageDaily {
  from: string;
  to: string;
  data: UsageDay[];
}

export interface TaskDelivery {
  attempt: number;
  status: number | null;
  error: string | null;
  duration_ms: number | null;
  at: number;
}

export interface Task {
  id: string;
  status: string;
  progress: number | null;
  model: string;
  created_at: number;
  started_at: number | null;
  completed_at: number | null;
  attempts: number;
  result?: { data?: { url?: string; b64_json?: string }[] };
  error?: { message?: string; code?: string };
  webhook?: {
    url: string;
    state: string;
    attempts: number;
    last_status: number | null;
    last_error: string | null;
    next_retry_at?: number | null;
    deliveries: TaskDelivery[];
  };
}

export interface Member {
  user_id: string;
  email: string;
  name: string | null;
  role: Role;
  created_at: number;
}

export interface Invite {
  id: string;
  email: string;
  role: Role;
  created_at: number;
  expires_at: number;
  invite_url?: string;
}

export interface MemberList extends ListPage<Member> {
  invites: Invite[];
}

export interface InvitePreview {
  account_name: string;
  email: string;
  role: Role;
  expires_at: number;
}

export interface Model {
  id: string;
  name: string;
  description: string;
  capabilities: string[];
  pricing: { from_credits: number };
  sizes: string[];
  qualities: string[];
  output_formats: string[];
  max_n: number;
  stream: boolean;
  available: boolean;
}

export interface Estimate {
  model: string;
  n: number;
  size: string;
  quality: string;
  credits_per_image: number;
  max_charge_credits: number;
  available_credits: number;
  sufficient: boolean;
  available: boolean;
}

export interface ImageResult {
  created: number;
  data: { url?: string; b64_json?: string; revised_prompt?: string }[];
  billing?: Record<string, unknown>;
}

export interface AdminAccount {
  id: string;
  name: string;
  balance: number;
  held: number;
  available: number;
  suspended: boolean;
  is_admin: boolean;
  members: number;
  created_at: number;
}

export interface LedgerEntry {
  id: string;
  account_id: string;
  amount: number;
  note: string;
  balance: number;
}

export interface ProviderRoute {
  route: string;
  provider: string;
  models: string[];
  configured: boolean;
  breaker: 'closed' | 'half_open' | 'open';
}

/** A pack for sale, and the custom amount when the server allows one (README "Top-ups"). */
export interface CreditPack {
  id: string;
  credits: number;
  amount: number;
  price: string;
}

export interface Packs {
  configured: boolean;
  currency: string;
  packs: CreditPack[];
  custom: { min_credits: number; max_credits: number; unit_price: string } | null;
  message: string | null;
}

export interface CheckoutStatus {
  id: string;
  status: 'open' | 'paid' | 'expired';
  credits: number;
  amount: string;
  currency: string;
  receipt_url: string | null;
}

export interface BillingEntry {
  id: string;
  type: 'purchase' | 'refund' | 'dispute' | 'grant' | 'deduction' | 'adjustment' | 'redemption';
  credits: number;
  note: string | null;
  payment: { id: string; amount: string; currency: string; receipt_url: string | null } | null;
  created: number;
}
