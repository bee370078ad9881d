/**
 * Ports a command is about to bind, checked before anything starts: a port
 * already in use is one line naming the variable that moves it, not a
 * half-started platform and a raw EADDRINUSE.
 */
import { readFileSync } from 'node:fs';
import net from 'node:net';

/** A port a service will listen on, and the variable that sets it. */
export interface PortClaim {
  variable: string;
  host: string;
  port: number;
}

/** One line per taken port; `message` is all a user needs to see. */
export class PortInUseError extends Error {
  constructor(claims: PortClaim[]) {
    super(
      claims
        .map(
          (c) =>
            `Port ${c.port} on ${c.host} is already in use: set ${c.variable} to a free port (or stop what uses it).`,
        )
        .join('\n'),
    );
    this.name = 'PortInUseError';
  }
}

/** Binds `port` on `host` and releases it: the port it got (port 0: the one given), or the bind error's code. */
function tryBind(host: string, port: number): Promise<{ port: number } | { code: string }> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', (error: NodeJS.ErrnoException) => resolve({ code: error.code ?? 'error' }));
    server.listen({ host, port, exclusive: true }, () => {
      const address = server.address();
      server.close(() => resolve({ port: typeof address === 'object' && address ? address.port : port }));
    });
  });
}

/** Throws PortInUseError naming every claimed port (0 = any, never taken) that something else holds. */
export async function assertPortsFree(claims: PortClaim[]): Promise<void> {
  const wanted = claims.filter((c) => c.port !== 0);
  const bound = await Promise.all(wanted.map((c) => tryBind(c.host, c.port)));
  const taken = wanted.filter((_, i) => (bound[i] as { code?: string }).code === 'EADDRINUSE');
  if (taken.length > 0) throw new PortInUseError(taken);
}

/** The same one-line answer when a listen loses a race with another process after the check. */
export function portInUse(error: unknown, claims: PortClaim[]): PortInUseError | undefined {
  const { code, port } = (error ?? {}) as { code?: string; port?: number };
  const claim = code === 'EADDRINUSE' ? claims.find((c) => c.port === port) : undefined;
  return claim ? new PortInUseError([claim]) : undefined;
}

/**
 * The kernel's ephemeral range (Linux), or undefined elsewhere. Ports in it are also handed out to every
 * outgoing connection, so a port picked from it and bound later can be taken in between by, say, a
 * PostgreSQL connection the same process opens while it starts (seen in CI as EADDRINUSE).
 */
function ephemeralRange(): [number, number] | undefined {
  try {
    const [low = Number.NaN, high = Number.NaN] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8')
      .trim()
      .split(/\s+/)
      .map(Number);
    return Number.isInteger(low) && Number.isInteger(high) ? [low, high] : undefined;
  } catch {
    return undefined;
  }
}

/** Ports below the ephemeral range are only ever bound by name; this far below it, few services claim them. */
const FREE_PORT_FLOOR = 20_000;

/** `port` on 127.0.0.1 once bound and released; undefined when taken (or not ours to bind). */
async function bindAndRelease(port: number): Promise<number | undefined> {
  const bound = await tryBind('127.0.0.1', port);
  if ('port' in bound) return bound.port;
  if (bound.code === 'EADDRINUSE' || bound.code === 'EACCES') return undefined;
  throw new Error(`cannot bind 127.0.0.1:${port} (${bound.code})`);
}

/**
 * A port on 127.0.0.1 that was free when asked, for a child process (or a later listen) to bind: picked at
 * random below the ephemeral range where there is room, so no outgoing connection can take it meanwhile;
 * otherwise whatever port 0 gives.
 */
export async function freePort(): Promise<number> {
  const range = ephemeralRange();
  if (range && range[0] - FREE_PORT_FLOOR >= 1_000) {
    for (let attempt = 0; attempt < 20; attempt++) {
      const candidate = FREE_PORT_FLOOR + Math.floor(Math.random() * (range[0] - FREE_PORT_FLOOR));
      const port = await bindAndRelease(candidate);
      if (port !== undefined) return port;
    }
  }
  const port = await bindAndRelease(0);
  if (port === undefined) throw new Error('no free port on 127.0.0.1');
  return port;
}
