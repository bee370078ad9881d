/**
 * Ports a command is about to bind, checked before anything starts: a port
 * already in use is one line naming the variable that moves it, not a
 * half-started platform and a raw EADDRINUSE.
 */
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

/** Resolves with the bind error code, or undefined when the port could be bound (and was released). */
function tryBind({ host, port }: PortClaim): Promise<string | undefined> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve(undefined)));
  });
}

/** Throws PortInUseError naming every claimed port (0 = any, never taken) that something else holds. */
export async function assertPortsFree(claims: PortClaim[]): Promise<void> {
  const wanted = claims.filter((c) => c.port !== 0);
  const codes = await Promise.all(wanted.map(tryBind));
  const taken = wanted.filter((_, i) => codes[i] === 'EADDRINUSE');
  if (taken.length > 0) throw new PortInUseError(taken);
}

/** The same one-line answer when a listen loses a race with another process after the check. */
export function portInUse(error: unknown, claims: PortClaim[]): PortInUseError | undefined {
  const { code, port } = (error ?? {}) as { code?: string; port?: number };
  const claim = code === 'EADDRINUSE' ? claims.find((c) => c.port === port) : undefined;
  return claim ? new PortInUseError([claim]) : undefined;
}

/** A port on 127.0.0.1 that was free when asked (bound to port 0, then released): for a child process to listen on. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}
