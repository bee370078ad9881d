import { readFileSync } from 'node:fs';
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { assertPortsFree, freePort, PortInUseError } from './ports.ts';

function listen(port: number): Promise<net.Server> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

describe('freePort', () => {
  it('gives a port that can be bound, outside the range outgoing connections take theirs from', async () => {
    const [low = 0] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    const ports = await Promise.all(Array.from({ length: 20 }, () => freePort()));
    for (const port of ports) {
      expect(port).toBeGreaterThanOrEqual(20_000);
      expect(port).toBeLessThan(low);
    }
    const server = await listen(ports[0] ?? 0);
    server.close();
  });
});

describe('assertPortsFree', () => {
  it('names the variable of a taken port, and passes a free one and port 0', async () => {
    const server = await listen(0);
    const taken = (server.address() as net.AddressInfo).port;
    try {
      await expect(
        assertPortsFree([
          { variable: 'TRELLIS_PORT', host: '127.0.0.1', port: taken },
          { variable: 'OTHER', host: '127.0.0.1', port: 0 },
        ]),
      ).rejects.toThrow(new PortInUseError([{ variable: 'TRELLIS_PORT', host: '127.0.0.1', port: taken }]));
      await expect(
        assertPortsFree([{ variable: 'TRELLIS_PORT', host: '127.0.0.1', port: await freePort() }]),
      ).resolves.toBeUndefined();
    } finally {
      server.close();
    }
  });
});
