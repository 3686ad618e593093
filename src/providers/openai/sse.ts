import { createParser, type EventSourceParser } from 'eventsource-parser';

export interface SseEvent {
  /** The `event:` field; undefined means the default type (`message`). */
  event: string | undefined;
  data: string;
  id: string | undefined;
}

/**
 * Server-Sent Events from bytes (WHATWG HTML, "Parsing an event stream", by
 * `eventsource-parser`): chunks may split lines and UTF-8 characters anywhere; `push` returns
 * the events each chunk completed.
 */
export class SseParser {
  private readonly decoder = new TextDecoder('utf-8');
  private readonly completed: SseEvent[] = [];
  private readonly parser: EventSourceParser = createParser({
    onEvent: (message) =>
      this.completed.push({ event: message.event, data: message.data, id: message.id }),
  });

  private started = false;

  /** Feeds bytes or text; returns the events that completed. */
  push(chunk: Uint8Array | string): SseEvent[] {
    // The decoder drops a byte order mark from bytes; text gets the same treatment here.
    let text = typeof chunk === 'string' ? chunk : this.decoder.decode(chunk, { stream: true });
    if (!this.started && text.length > 0) {
      this.started = true;
      if (text.startsWith('\uFEFF')) text = text.slice(1);
    }
    this.parser.feed(text);
    return this.completed.splice(0);
  }

  /**
   * Ends the stream. The spec drops an event that no blank line closed; this dispatches it when
   * it has data, because a server that closes right after its last `data:` line has still sent
   * a whole event. (Two line ends: the first may be taken as the LF of a CR that ended the
   * stream.)
   */
  end(): SseEvent[] {
    this.parser.feed(`${this.decoder.decode()}\n\n`);
    return this.completed.splice(0);
  }
}

/** The events of a response body, as they arrive. */
export async function* readSseEvents(body: AsyncIterable<Uint8Array>): AsyncGenerator<SseEvent> {
  const parser = new SseParser();
  for await (const chunk of body) yield* parser.push(chunk);
  yield* parser.end();
}
