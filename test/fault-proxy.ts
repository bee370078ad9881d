/**
 * A TCP proxy the fault tests put between the platform and a dependency
 * (PostgreSQL, Redis, a subgraph) to cut, pause and restore it
 * deterministically, without touching the dependency itself:
 *
 * - `cut()`: every open connection is reset and new ones are refused
 *   (the listener closes: ECONNREFUSED), like a stopped or killed server;
 * - `pause()`: connections stay open (new ones are accepted) but no byte is
 *   forwarded either way (they wait in the sockets), like a hung or SIGSTOPped server;
 * - `holdReplies()`: requests still reach the dependency but its replies wait in the sockets, like a
 *   server that did the work and whose answer is lost on the way (the window between commit and ack);
 * - `restore()`: back to forwarding, on the same port.
 */
import net from 'node:net';

export interface FaultProxy {
  readonly port: number;
  /** `scheme://user@127.0.0.1:<proxy port>/path…`: `url` with its host and port replaced by the proxy's. */
  urlFor(url: string): string;
  cut(): Promise<void>;
  pause(): void;
  holdReplies(): void;
  restore(): Promise<void>;
  close(): Promise<void>;
}

interface Pair {
  client: net.Socket;
  upstream: net.Socket;
}

export async function startFaultProxy(target: { host: string; port: number }): Promise<FaultProxy> {
  const pairs = new Set<Pair>();
  let paused = false;
  let repliesHeld = false;
  let server: net.Server | undefined;
  let port = 0;

  const forward = (pair: Pair) => {
    const { client, upstream } = pair;
    client.on('data', (chunk) => upstream.write(chunk));
    upstream.on('data', (chunk) => client.write(chunk));
    if (paused) hold(pair, true);
    else if (repliesHeld) pair.upstream.pause();
  };
  // Paused sockets stop reading: bytes wait in the kernel and flow again on resume.
  const hold = ({ client, upstream }: Pair, on: boolean) => {
    for (const socket of [client, upstream]) on ? socket.pause() : socket.resume();
  };
  const listen = () =>
    new Promise<void>((resolve, reject) => {
      const s = net.createServer((client) => {
        const upstream = net.connect(target.port, target.host);
        const pair = { client, upstream };
        pairs.add(pair);
        const drop = () => {
          pairs.delete(pair);
          client.destroy();
          upstream.destroy();
        };
        client.on('error', drop).on('close', drop);
        upstream.on('error', drop).on('close', drop);
        forward(pair);
      });
      s.once('error', reject);
      s.listen(port, '127.0.0.1', () => {
        const address = s.address();
        port = typeof address === 'object' && address ? address.port : port;
        server = s;
        resolve();
      });
    });
  await listen();

  return {
    get port() {
      return port;
    },
    urlFor(url) {
      const parsed = new URL(url);
      parsed.hostname = '127.0.0.1';
      parsed.port = String(port);
      return parsed.toString();
    },
    async cut() {
      paused = false;
      const closing = server;
      server = undefined;
      for (const { client, upstream } of pairs) {
        client.resetAndDestroy();
        upstream.destroy();
      }
      pairs.clear();
      if (closing) await new Promise<void>((resolve) => closing.close(() => resolve()));
    },
    pause() {
      paused = true;
      for (const pair of pairs) hold(pair, true);
    },
    holdReplies() {
      repliesHeld = true;
      for (const pair of pairs) pair.upstream.pause();
    },
    async restore() {
      paused = false;
      repliesHeld = false;
      for (const pair of pairs) hold(pair, false);
      if (!server) await listen();
    },
    async close() {
      paused = false;
      for (const { client, upstream } of pairs) {
        client.destroy();
        upstream.destroy();
      }
      pairs.clear();
      const closing = server;
      server = undefined;
      if (closing) await new Promise<void>((resolve) => closing.close(() => resolve()));
    },
  };
}
