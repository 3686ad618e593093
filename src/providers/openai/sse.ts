/**
 * A minimal Server-Sent Events parser (WHATWG HTML, "Parsing an event stream"): lines end with
 * CRLF, LF or CR, even when a CRLF is split across two chunks; `data` lines join with "\n";
 * comments (`:`) are skipped; one space after the colon is dropped; a blank line dispatches
 * the event; an event without data is not dispatched.
 */

export interface SseEvent {
  /** The `event:` field; undefined means the default type (`message`). */
  event: string | undefined;
  data: string;
  id: string | undefined;
}

export class SseParser {
  private buffer = '';
  private lastWasCR = false;
  private started = false;
  private eventType: string | undefined;
  private data: string[] = [];
  private lastId: string | undefined;
  private readonly decoder = new TextDecoder('utf-8');

  /** Feeds bytes or text; returns the events that completed. */
  push(chunk: Uint8Array | string): SseEvent[] {
    let text = typeof chunk === 'string' ? chunk : this.decoder.decode(chunk, { stream: true });
    if (!this.started && text.length > 0) {
      this.started = true;
      if (text.startsWith('\uFEFF')) text = text.slice(1);
    }
    const events: SseEvent[] = [];
    let start = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text[i];
      if (c === '\n' && this.lastWasCR && i === start && this.buffer === '') {
        // The LF of a CRLF whose CR ended the previous chunk or line.
        start = i + 1;
        this.lastWasCR = false;
        continue;
      }
      if (c === '\r' || c === '\n') {
        this.line(this.buffer + text.slice(start, i), events);
        this.buffer = '';
        this.lastWasCR = c === '\r';
        start = i + 1;
      } else {
        this.lastWasCR = false;
      }
    }
    this.buffer += text.slice(start);
    return events;
  }

  /**
   * Ends the stream. The spec drops an event that no blank line closed; this parser dispatches
   * it when it has data, because a server that closes right after its last `data:` line has
   * still sent a whole event.
   */
  end(): SseEvent[] {
    const events: SseEvent[] = [];
    const rest = this.buffer + this.decoder.decode();
    this.buffer = '';
    if (rest !== '') this.line(rest, events);
    this.line('', events);
    return events;
  }

  private line(line: string, events: SseEvent[]): void {
    if (line === '') {
      if (this.data.length > 0) {
        events.push({ event: this.eventType, data: this.data.join('\n'), id: this.lastId });
      }
      this.data = [];
      this.eventType = undefined;
      return;
    }
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') this.data.push(value);
    else if (field === 'event') this.eventType = value === '' ? undefined : value;
    else if (field === 'id' && !value.includes('\0')) this.lastId = value;
    // `retry` and unknown fields do not matter to a single-request reader.
  }
}

/** The events of a response body, as they arrive. */
export async function* readSseEvents(body: AsyncIterable<Uint8Array>): AsyncGenerator<SseEvent> {
  const parser = new SseParser();
  for await (const chunk of body) yield* parser.push(chunk);
  yield* parser.end();
}
