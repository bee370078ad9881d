/** A Server-Sent Events test client that records messages, comments and how the stream ended. */

export interface SseMessage {
  id?: string;
  event?: string;
  data?: string;
}

export interface SseStream {
  status: number;
  contentType: string | null;
  messages: SseMessage[];
  comments: string[];
  /** The body when the answer was not a stream. */
  raw: string;
  /** Set when the server ended the stream: 'end' (clean end of body) or 'error' (cut). */
  ended?: 'end' | 'error';
  close(): void;
}

/** Opens `url` and reads it in the background; resolves once the response head has arrived. */
export async function openSse(url: string, headers: Record<string, string>): Promise<SseStream> {
  const controller = new AbortController();
  const response = await fetch(url, { headers, signal: controller.signal });
  const stream: SseStream = {
    status: response.status,
    contentType: response.headers.get('content-type'),
    messages: [],
    comments: [],
    raw: '',
    close: () => controller.abort(),
  };
  if (response.status !== 200 || !response.body) {
    stream.raw = await response.text();
    return stream;
  }
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  void (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) {
          stream.ended = 'end';
          return;
        }
        buffer += decoder.decode(value, { stream: true });
        let end = buffer.indexOf('\n\n');
        while (end !== -1) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const message: SseMessage = {};
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) stream.comments.push(line.slice(1).trim());
            else {
              const colon = line.indexOf(':');
              const key = line.slice(0, colon) as keyof SseMessage;
              if (key === 'id' || key === 'event' || key === 'data') message[key] = line.slice(colon + 1).trim();
            }
          }
          if (message.data !== undefined) stream.messages.push(message);
          end = buffer.indexOf('\n\n');
        }
      }
    } catch {
      stream.ended ??= 'error';
    }
  })();
  return stream;
}
