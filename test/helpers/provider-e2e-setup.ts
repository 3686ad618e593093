import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest';
import {
  edit,
  editMultipart,
  makeEditInputs,
  startInputHost,
  type EditInputs,
  type ImageHost,
  type UploadPart,
} from './provider-e2e-inputs.js';
import {
  expectCharged,
  expectFailedUsage,
  expectImages,
  generate,
  lastUsage,
  removeCatalogs,
  startPixapi,
  writeCatalog,
  type Body,
  type CatalogModel,
} from './provider-e2e.js';
import type { ApiResponse, TestServer } from './server.js';

/**
 * The set-up every provider end-to-end test file shares: its fake provider, a new Pixapi with a
 * funded account for each test, and (for edits) the client's images on a loopback host.
 */

export type Env = Record<string, string>;

/** What the tests need of any fake provider. */
export interface ProviderFake {
  url: string;
  requests: Array<{ method: string; path: string }>;
  reset(): void;
  close(): Promise<void>;
}

/** An account on a running Pixapi, opened with `credits`, and the calls its client makes. */
export class Session {
  server!: TestServer;
  key!: string;

  constructor(readonly credits: number) {}

  /** Opens the account on `server`. */
  async open(server: TestServer): Promise<void> {
    this.server = server;
    this.key = (await server.account(this.credits)).apiKey;
  }

  generate(body: Body): Promise<ApiResponse> {
    return generate(this.server, this.key, body);
  }

  edit(body: Body): Promise<ApiResponse> {
    return edit(this.server, this.key, body);
  }

  editMultipart(fields: Record<string, string>, parts: UploadPart[]): Promise<ApiResponse> {
    return editMultipart(this.server, this.key, fields, parts);
  }

  /** The balance is the opening one less exactly `credits`, with nothing held. */
  expectCharged(credits: number): Promise<void> {
    return expectCharged(this.server, this.key, this.credits, credits);
  }

  /** `expectImages`, and the account charged exactly their price. */
  async expectServed(
    res: ApiResponse,
    expected: { n: number; width: number; height: number; credits: number; format?: string },
  ): Promise<void> {
    await expectImages(res, expected);
    await this.expectCharged(expected.credits);
  }

  lastUsage(): Promise<Body> {
    return lastUsage(this.server, this.key);
  }

  /** The newest usage record is a success, with `fields`. */
  async expectSucceededUsage(fields: Body): Promise<void> {
    expect(await this.lastUsage()).toMatchObject({ status: 'succeeded', ...fields });
  }

  expectFailedUsage(code: string, also: Body = {}): Promise<Body> {
    return expectFailedUsage(this.server, this.key, code, also);
  }
}

/** A second Pixapi with `env` and an account of 10 credits, for part of one test. */
export async function withPixapi<T>(env: Env, use: (session: Session) => Promise<T>): Promise<T> {
  const server = await startPixapi(env);
  try {
    const session = new Session(10);
    await session.open(server);
    return await use(session);
  } finally {
    await server.close();
  }
}

/** A test file's context: the current test's Pixapi and account (100 credits), and the fake. */
export class ProviderE2E<F extends ProviderFake> extends Session {
  fake!: F;
  /** The `PIXAPI_CATALOG` file, when the file has one. */
  catalog!: string;
  /** The client's images and the host serving them, in edits files. */
  inputs!: EditInputs;
  host!: ImageHost;
}

export interface ProviderE2EOptions<F extends ProviderFake> {
  startFake: () => Promise<F>;
  /** Pixapi's environment for each test (after the fake, inputs and catalog exist). */
  env: (e2e: ProviderE2E<F>) => Env;
  /** Models written once to a `PIXAPI_CATALOG` file (`e2e.catalog`). */
  catalog?: CatalogModel[];
  /** Makes the client's images and starts the loopback host serving them (edits). */
  inputs?: boolean;
}

/**
 * Registers the file's hooks: the fake (then the inputs, host and catalog) once for the file; for
 * each test a reset fake and a new Pixapi, so that route breakers never carry over.
 */
export function useProviderE2E<F extends ProviderFake>(
  options: ProviderE2EOptions<F>,
): ProviderE2E<F> {
  const e2e = new ProviderE2E<F>(100);
  beforeAll(async () => {
    e2e.fake = await options.startFake();
    if (options.inputs) {
      e2e.inputs = await makeEditInputs();
      e2e.host = await startInputHost(e2e.inputs);
    }
    if (options.catalog) e2e.catalog = writeCatalog(options.catalog);
  });
  afterAll(async () => {
    await e2e.fake?.close();
    await e2e.host?.close();
    removeCatalogs();
  });
  beforeEach(async () => {
    e2e.fake.reset();
    await e2e.open(await startPixapi(options.env(e2e)));
  });
  afterEach(async () => e2e.server?.close());
  return e2e;
}
