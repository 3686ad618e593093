import type { Kysely } from 'kysely';

/**
 * People and access (issue 13): persons with passwords, their sessions, their memberships of
 * accounts with a role, invitations, one-use tokens (password reset, email verification); a
 * scope, creator and last use on API keys; suspension and a default webhook URL on accounts;
 * and the indexes of the dashboard's usage log.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('users')
    .addColumn('id', 'text', (c) => c.primaryKey())
    // Stored lower-cased, so that sign-in ignores case.
    .addColumn('email', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text')
    // scrypt, self-describing (see src/people/passwords.ts); null until a password is set.
    .addColumn('password_hash', 'text')
    .addColumn('site_admin', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('email_verified_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('memberships')
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('memberships_pk', ['account_id', 'user_id'])
    .execute();
  await db.schema.createIndex('memberships_user').on('memberships').column('user_id').execute();

  await db.schema
    .createTable('sessions')
    // SHA-256 of the cookie's token: a leaked table opens no session.
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('csrf_token', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sessions_user').on('sessions').column('user_id').execute();

  await db.schema
    .createTable('invites')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('invited_by', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('accepted_at', 'bigint')
    .execute();
  await db.schema.createIndex('invites_account').on('invites').column('account_id').execute();

  await db.schema
    .createTable('auth_tokens')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('used_at', 'bigint')
    .execute();

  await db.schema
    .alterTable('api_keys')
    .addColumn('scope', 'text', (c) => c.notNull().defaultTo('full'))
    .execute();
  await db.schema.alterTable('api_keys').addColumn('created_by', 'text').execute();
  await db.schema.alterTable('api_keys').addColumn('last_used_at', 'bigint').execute();
  await db.schema.alterTable('accounts').addColumn('suspended_at', 'bigint').execute();
  await db.schema.alterTable('accounts').addColumn('default_webhook_url', 'text').execute();
  // Which request stored an asset, so that the usage log can show a request's images.
  await db.schema.alterTable('assets').addColumn('request_id', 'text').execute();
  await db.schema.createIndex('assets_request').on('assets').column('request_id').execute();

  // The usage log pages newest first by (created_at, id) within an account on the index of
  // 003 (account_id, created_at); a rare status (failed, blocked) gets its own index, else a
  // page walks most of the account's history; the daily chart reads a covering index instead
  // of the rows. Measured on 1M rows with bench/usage-log.ts (npm run bench -- usage).
  await db.schema
    .createIndex('usage_records_account_status')
    .on('usage_records')
    .columns(['account_id', 'status', 'created_at', 'id'])
    .execute();
  await db.schema
    .createIndex('usage_records_daily')
    .on('usage_records')
    .columns(['account_id', 'created_at', 'model', 'images', 'credits'])
    .execute();
  // A task's usage records share its request id (lookup by task id).
  await db.schema.createIndex('tasks_request').on('tasks').column('request_id').execute();
  await db.schema
    .createIndex('usage_records_request')
    .on('usage_records')
    .column('request_id')
    .execute();
}
