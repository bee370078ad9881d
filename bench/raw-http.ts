/**
 * HTTP/1.1 over raw sockets, for the benches' load clients: requests are bytes built by the caller
 * (signed before they are due). On the platform's own two cores, `node:http`'s client cost the
 * governance generator 0.36-0.41 CPU ms per request (0.19-0.21 on these sockets; at 1,000 gates/s a
 * fifth of a core) and a burst's client ~0.15-0.2 s for 500 requests inside the clock: CPU the
 * platform under test then cannot have.
 * Not a general client: plain http only, answers framed by content-length or chunked (without
 * trailers), anything else refused loudly; no redirects. A connection answers the requests written on
 * it in order; the pool writes one at a time on each.
 */
import net from 'node:net';

export interface RawAnswer {
  status: number;
  body: string;
}

/** One POST as the bytes on the wire. */
export function postBytes(url: URL, headers: Record<string, string>, body: string): Buffer {
  let head = `POST ${url.pathname}${url.search} HTTP/1.1\r\nhost: ${url.host}\r\ncontent-length: ${Buffer.byteLength(body)}\r\n`;
  for (const name in headers) head += `${name}: ${headers[name]}\r\n`;
  return Buffer.from(`${head}\r\n${body}`);
}

const HEAD_END = Buffer.from('\r\n\r\n');
const LINE_END = Buffer.from('\r\n');

/** A chunked body starting at `start` of `buffer`, and where its message ends; undefined until all of it arrived. */
function dechunk(buffer: Buffer, start: number): { text: string; end: number } | undefined {
  const parts: Buffer[] = [];
  for (let at = start; ; ) {
    const lineEnd = buffer.indexOf(LINE_END, at);
    if (lineEnd < 0) return undefined;
    const size = Number.parseInt(buffer.toString('latin1', at, lineEnd), 16);
    at = lineEnd + LINE_END.length;
    if (size === 0) {
      // No trailers expected: the last chunk is followed by an empty line.
      const trailerEnd = buffer.indexOf(LINE_END, at);
      if (trailerEnd < 0) return undefined;
      return { text: Buffer.concat(parts).toString('utf8'), end: trailerEnd + LINE_END.length };
    }
    if (buffer.length < at + size + LINE_END.length) return undefined;
    parts.push(buffer.subarray(at, at + size));
    at += size + LINE_END.length;
  }
}

/** A keep-alive connection answering one request at a time, in order. */
export class RawConnection {
  readonly #socket: net.Socket;
  readonly #waiting: { resolve(answer: RawAnswer): void; reject(error: Error): void }[] = [];
  #buffer: Buffer = Buffer.alloc(0);
  #failed: Error | undefined;

  private constructor(socket: net.Socket) {
    this.#socket = socket;
    socket.on('data', (chunk: Buffer) => this.#receive(chunk));
    socket.on('error', (error) => this.#fail(error));
    socket.on('close', () => this.#fail(new Error('raw-http: the connection closed')));
  }

  static open(url: URL): Promise<RawConnection> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host: url.hostname, port: Number(url.port || 80), noDelay: true }, () => {
        socket.off('error', reject);
        resolve(new RawConnection(socket));
      });
      socket.once('error', reject);
    });
  }

  /** Writes `request` and resolves with its answer (requests sent before it are answered first). */
  send(request: Buffer): Promise<RawAnswer> {
    if (this.#failed) return Promise.reject(this.#failed);
    return new Promise((resolve, reject) => {
      this.#waiting.push({ resolve, reject });
      this.#socket.write(request);
    });
  }

  close(): void {
    this.#failed ??= new Error('raw-http: closed');
    this.#socket.destroy();
  }

  #receive(chunk: Buffer): void {
    this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
    for (;;) {
      const end = this.#buffer.indexOf(HEAD_END);
      if (end < 0) return;
      const head = this.#buffer.toString('latin1', 0, end);
      const start = end + HEAD_END.length;
      const framed = /\r\ncontent-length: *(\d+)/i.exec(head);
      let body: { text: string; end: number } | undefined;
      if (framed) {
        const stop = start + Number(framed[1]);
        if (this.#buffer.length >= stop) body = { text: this.#buffer.toString('utf8', start, stop), end: stop };
      } else if (/\r\ntransfer-encoding: *chunked/i.test(head)) body = dechunk(this.#buffer, start);
      else {
        this.#fail(
          new Error(`raw-http: an answer neither content-length framed nor chunked: ${head.split('\r\n')[0]}`),
        );
        return;
      }
      if (!body) return;
      this.#buffer = this.#buffer.subarray(body.end);
      this.#waiting.shift()?.resolve({ status: Number(head.slice(9, 12)), body: body.text });
    }
  }

  #fail(error: Error): void {
    this.#failed ??= error;
    for (const waiting of this.#waiting.splice(0)) waiting.reject(error);
    this.#socket.destroy();
  }
}

interface Queued {
  request: Buffer;
  resolve(answer: RawAnswer): void;
  reject(error: unknown): void;
}

/** Up to `size` keep-alive connections to `url`'s host; a request waits for a free one, in order. */
export class RawPool {
  readonly #url: URL;
  readonly #size: number;
  readonly #idle: RawConnection[] = [];
  readonly #queue: Queued[] = [];
  readonly #all = new Set<RawConnection>();
  #opening = 0;

  constructor(url: URL, size: number) {
    this.#url = url;
    this.#size = size;
  }

  send(request: Buffer): Promise<RawAnswer> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ request, resolve, reject });
      this.#dispatch();
    });
  }

  close(): void {
    for (const connection of this.#all) connection.close();
  }

  #dispatch(): void {
    while (this.#queue.length > 0) {
      const connection = this.#idle.pop();
      if (!connection) {
        if (this.#all.size + this.#opening < this.#size) this.#open();
        return;
      }
      this.#run(connection, this.#queue.shift() as Queued);
    }
  }

  #open(): void {
    this.#opening++;
    RawConnection.open(this.#url).then(
      (connection) => {
        this.#opening--;
        this.#all.add(connection);
        this.#idle.push(connection);
        this.#dispatch();
      },
      (error: unknown) => {
        this.#opening--;
        this.#queue.shift()?.reject(error);
        this.#dispatch();
      },
    );
  }

  #run(connection: RawConnection, item: Queued): void {
    connection.send(item.request).then(
      (answer) => {
        this.#idle.push(connection);
        item.resolve(answer);
        this.#dispatch();
      },
      (error: unknown) => {
        this.#all.delete(connection);
        item.reject(error);
        this.#dispatch();
      },
    );
  }
}
