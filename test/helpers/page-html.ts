import net from 'node:net';

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"' };

/** Text of server-rendered HTML with its entities decoded (what a visitor copies). */
export function decodeHtml(html: string): string {
  return html
    .replace(/<[^>]+>/g, '')
    .replace(/&#x([0-9a-f]+);/gi, (_, hex: string) => String.fromCodePoint(parseInt(hex, 16)))
    .replace(/&#(\d+);/g, (_, dec: string) => String.fromCodePoint(Number(dec)))
    .replace(/&(amp|lt|gt|quot);/g, (_, name: string) => ENTITIES[name]!);
}

/** The code sample of one kind (`curl`, `js`, `python`, `async`) as the model page prints it. */
export function sampleOf(html: string, kind: string): string {
  const match = new RegExp(`data-sample="${kind}".*?<code>(.*?)</code>`, 's').exec(html);
  if (!match) throw new Error(`no ${kind} sample on the page`);
  return decodeHtml(match[1]!);
}

/** A port that was free a moment ago, for servers whose public URL must be known up front. */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
