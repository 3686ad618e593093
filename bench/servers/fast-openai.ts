import http from 'node:http';
import type { AddressInfo } from 'node:net';
import sharp from 'sharp';

/**
 * An OpenAI images endpoint that costs next to nothing: one precomputed answer (a 1024×1024 PNG
 * with some structure, ~25 KB of base64) sent for every POST, so that what the bench measures
 * is the cost of whatever sits between the client and this server.
 */
const API_KEY = 'sk-bench-fast-openai';
const SIZE = 1024;

async function benchImage(): Promise<Buffer> {
  const raw = Buffer.alloc(SIZE * SIZE * 3);
  for (let y = 0; y < SIZE; y++) {
    for (let x = 0; x < SIZE; x++) {
      const i = (y * SIZE + x) * 3;
      raw[i] = (x >> 4) * 4;
      raw[i + 1] = (y >> 5) * 8;
      raw[i + 2] = ((x >> 6) ^ (y >> 6)) * 16;
    }
  }
  return sharp(raw, { raw: { width: SIZE, height: SIZE, channels: 3 } })
    .png({ compressionLevel: 9 })
    .toBuffer();
}

const png = await benchImage();
const answer = Buffer.from(
  JSON.stringify({
    created: Math.floor(Date.now() / 1000),
    data: [{ b64_json: png.toString('base64') }],
    usage: {
      input_tokens: 10,
      output_tokens: 272,
      total_tokens: 282,
      input_tokens_details: { text_tokens: 10, image_tokens: 0 },
    },
  }),
);

const server = http.createServer((req, res) => {
  // The request body is drained, not parsed: the answer does not depend on it.
  req.resume();
  req.on('end', () => {
    if (req.headers.authorization !== `Bearer ${API_KEY}`) {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end('{"error":{"message":"bad key","type":"invalid_request_error","code":null}}');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': answer.length });
    res.end(answer);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  process.stdout.write(
    `${JSON.stringify({ url: `http://127.0.0.1:${port}/v1`, apiKey: API_KEY, answerBytes: answer.length })}\n`,
  );
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
