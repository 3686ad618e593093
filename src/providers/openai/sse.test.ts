import { describe, expect, it } from 'vitest';
import { SseParser, readSseEvents } from './sse.js';

function parseAll(chunks: string[]) {
  const parser = new SseParser();
  return [...chunks.flatMap((c) => parser.push(c)), ...parser.end()];
}

describe('SseParser', () => {
  it('parses events with names and data', () => {
    expect(parseAll(['event: a\ndata: {"x":1}\n\nevent: b\ndata: 2\n\n'])).toEqual([
      { event: 'a', data: '{"x":1}', id: undefined },
      { event: 'b', data: '2', id: undefined },
    ]);
  });

  it('joins multi-line data with newlines', () => {
    expect(parseAll(['data: first\ndata: second\ndata:third\n\n'])).toEqual([
      { event: undefined, data: 'first\nsecond\nthird', id: undefined },
    ]);
  });

  it('handles CRLF and CR line ends, also when a CRLF is split between chunks', () => {
    expect(parseAll(['event: a\r\ndata: 1\r', '\n\r', '\nevent: b\rdata: 2\r\r'])).toEqual([
      { event: 'a', data: '1', id: undefined },
      { event: 'b', data: '2', id: undefined },
    ]);
  });

  it('reassembles fields split at any byte, including inside a UTF-8 character', () => {
    const text = 'event: image_generation.completed\r\ndata: {"p":"é✓"}\r\n\r\n';
    const bytes = new TextEncoder().encode(text);
    for (let cut = 1; cut < bytes.length; cut++) {
      const parser = new SseParser();
      const events = [
        ...parser.push(bytes.slice(0, cut)),
        ...parser.push(bytes.slice(cut)),
        ...parser.end(),
      ];
      expect(events).toEqual([
        { event: 'image_generation.completed', data: '{"p":"é✓"}', id: undefined },
      ]);
    }
  });

  it('skips comments, keeps ids, strips one leading space only, and drops events without data', () => {
    expect(
      parseAll([': keep-alive\n\nevent: only-a-name\n\nid: 7\ndata:  two spaces\n\n']),
    ).toEqual([{ event: undefined, data: ' two spaces', id: '7' }]);
  });

  it('strips a byte order mark and dispatches a last event that no blank line closed', () => {
    expect(parseAll(['\uFEFFdata: 1\n\ndata: last'])).toEqual([
      { event: undefined, data: '1', id: undefined },
      { event: undefined, data: 'last', id: undefined },
    ]);
  });
});

describe('readSseEvents', () => {
  it('reads events from a byte stream', async () => {
    async function* body() {
      const encoder = new TextEncoder();
      yield encoder.encode('event: x\nda');
      yield encoder.encode('ta: 1\n');
      yield encoder.encode('\n');
    }
    const events = [];
    for await (const event of readSseEvents(body())) events.push(event);
    expect(events).toEqual([{ event: 'x', data: '1', id: undefined }]);
  });
});
