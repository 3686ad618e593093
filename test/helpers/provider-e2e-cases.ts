import { describe, expect, it } from 'vitest';
import {
  dataUrl,
  expectImageUrlRejected,
  expectNoImageToImage,
  REJECTED_URL,
} from './provider-e2e-inputs.js';
import {
  withPixapi,
  type Env,
  type ProviderE2E,
  type ProviderFake,
  type Session,
} from './provider-e2e-setup.js';
import { expectOpenAIError, type Body } from './provider-e2e.js';
import type { ApiResponse } from './server.js';

/**
 * The cases every provider's end-to-end tests share, whatever the provider's wire format: its
 * failures as a client sees them (status, code, nothing charged, a failed usage record), and the
 * edits Pixapi refuses before calling the provider.
 */

/** What a provider's generation tests share. */
export interface GenerationSetup {
  e2e: ProviderE2E<ProviderFake>;
  /** Pixapi's environment for this provider. */
  env: () => Env;
  /** A request the provider serves with one image... */
  body: Body;
  /** ...of this size and price. */
  image: { width: number; height: number; credits: number };
  /** The `route` that usage records name for `body`. */
  route: string;
  /** The upstream calls made once per attempt (a submission, a prediction...). */
  calls: () => unknown[];
}

function expectNoLeak(value: unknown, leak: string | RegExp | undefined): void {
  if (leak === undefined) return;
  const text = JSON.stringify(value);
  if (typeof leak === 'string') expect(text).not.toContain(leak);
  else expect(text).not.toMatch(leak);
}

/** A provider's failures (and recoveries) as the client sees them, for its generation tests. */
export class GenerationFailures {
  constructor(readonly setup: GenerationSetup) {}

  /** `body` after the scripted transient failures: served at the third attempt, charged once. */
  async expectRetriedThenCharged(): Promise<void> {
    const { e2e, image } = this.setup;
    const res = await e2e.generate(this.setup.body);
    await e2e.expectServed(res, { n: 1, ...image });
    expect(this.setup.calls()).toHaveLength(3);
    await e2e.expectSucceededUsage({
      route: this.setup.route,
      attempts: 3,
      credits: image.credits,
    });
  }

  /** 400 `content_policy_violation` after `calls` upstream calls, none repeated; not charged. */
  async expectContentRefused(res: ApiResponse, calls: number): Promise<void> {
    const { e2e } = this.setup;
    expectOpenAIError(res, 400, 'content_policy_violation');
    expect(this.setup.calls()).toHaveLength(calls);
    await e2e.expectCharged(0);
    await e2e.expectFailedUsage('content_policy_violation', {
      route: this.setup.route,
      attempts: 1,
    });
  }

  /**
   * 503 `provider_unavailable` (an operator problem) after one call, not retried: nothing
   * charged, and neither the answer nor the usage record shows `leak`.
   */
  async expectProviderUnavailable(
    res: ApiResponse,
    leak?: string | RegExp,
    session: Session = this.setup.e2e,
  ): Promise<void> {
    expectOpenAIError(res, 503, 'provider_unavailable');
    expectNoLeak(res.body, leak);
    expect(this.setup.calls()).toHaveLength(1);
    await session.expectCharged(0);
    const usage = await session.expectFailedUsage('provider_unavailable', { attempts: 1 });
    expectNoLeak(usage, leak);
  }

  /** With the provider's credential replaced (`wrong`), the provider refuses it: as above. */
  async expectKeyRefused(wrong: Env, leak: string | RegExp): Promise<void> {
    await withPixapi({ ...this.setup.env(), ...wrong }, async (session) => {
      const res = await session.generate(this.setup.body);
      await this.expectProviderUnavailable(res, leak, session);
    });
  }

  /** After each `script` the provider answers garbage: 502 `provider_error`; not charged. */
  async expectGarbageRejected(...scripts: Array<() => void>): Promise<void> {
    const { e2e } = this.setup;
    for (const script of scripts) {
      script();
      expectOpenAIError(await e2e.generate(this.setup.body), 502, 'provider_error');
    }
    await e2e.expectCharged(0);
    await e2e.expectFailedUsage('provider_error');
  }

  /**
   * Without an allow entry (`env`), the provider's loopback follow-up URL is refused: 502 after
   * one call, never fetched nor retried, nothing charged.
   */
  async expectLoopbackRefused(env: Env, script?: () => void): Promise<void> {
    await withPixapi(env, async (session) => {
      script?.();
      const res = await session.generate(this.setup.body);
      expectOpenAIError(res, 502, 'provider_error');
      expect(this.setup.calls()).toHaveLength(1);
      const gets = this.setup.e2e.fake.requests.filter((r) => r.method === 'GET');
      expect(gets).toHaveLength(0);
      await session.expectCharged(0);
      await session.expectFailedUsage('provider_error', { attempts: 1 });
    });
  }

  /** With `env`, `body`'s provider is not configured: 503 naming `variable`; nothing sent. */
  async expectNotConfigured(env: Env, variable: string, body = this.setup.body): Promise<void> {
    await withPixapi(env, async (session) => {
      const res = await session.generate(body);
      expectOpenAIError(res, 503, 'provider_not_configured');
      expect((res.body.error as { message: string }).message).toContain(variable);
      expect(this.setup.e2e.fake.requests).toHaveLength(0);
      await session.expectCharged(0);
    });
  }
}

/** Nothing reached the provider and nothing was charged. */
export async function expectNothingSent(e2e: ProviderE2E<ProviderFake>): Promise<void> {
  expect(e2e.fake.requests).toHaveLength(0);
  await e2e.expectCharged(0);
}

export interface RefusedInputs {
  /** The describe block's title. */
  title: string;
  /** An edit request but for its image. */
  body: Body;
  /** A model routed to this provider without image-to-image: the test's name, and the request. */
  textOnly: { name: string; body: Body };
  /** More provider-specific tests for the same block. */
  more?: () => void;
}

/** The edits Pixapi refuses before the provider: a refused image URL, a text-only model. */
export function describeRefusedInputs(
  e2e: ProviderE2E<ProviderFake>,
  refused: RefusedInputs,
): void {
  describe(refused.title, () => {
    it('an image URL on a loopback port without an allow entry → 400 image_url_rejected', async () => {
      expectImageUrlRejected(await e2e.edit({ ...refused.body, image: REJECTED_URL }));
      await expectNothingSent(e2e);
    });

    it(refused.textOnly.name, async () => {
      const res = await e2e.edit({ ...refused.textOnly.body, image: dataUrl(e2e.inputs.red) });
      expectNoImageToImage(res);
      await expectNothingSent(e2e);
    });

    refused.more?.();
  });
}
