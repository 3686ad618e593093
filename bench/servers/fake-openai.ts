import { startFakeOpenAI } from '../../test/fakes/openai/index.js';

/** The OpenAI fake as its own process, so that it does not share an event loop with the load. */
const fake = await startFakeOpenAI();
process.stdout.write(`${JSON.stringify({ url: fake.url, apiKey: fake.apiKey })}\n`);
process.on('SIGTERM', () => void fake.close().then(() => process.exit(0)));
