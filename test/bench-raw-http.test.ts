/**
 * bench/raw-http.ts, the governance bench's load client: its figures are only as right as its
 * framing. Answers split across reads, several on one keep-alive connection, a pool queueing more
 * requests than it has connections, and an answer it cannot frame refused, not misread.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postBytes, RawConnection, RawPool } from '../bench/raw-http.ts';

let server: http.Server;
let url: URL;
const connections = new Set<unknown>();

beforeAll(async () => {
  server = http.createServer((request, response) => {
    connections.add(request.socket);
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => {
      body += chunk;
    });
    request.on('end', () => {
      if (request.url === '/chunked') {
        response.write('{"a":');
        response.end('1}');
        return;
      }
      const answer = JSON.stringify({ path: request.url, body, signature: request.headers['x-signature'], é: 'ü' });
      const bytes = Buffer.from(answer);
      response.writeHead(request.url === '/missing' ? 404 : 200, {
        'content-type': 'application/json',
        'content-length': String(bytes.length),
      });
      // Head and body in separate reads, the body itself split in two.
      response.flushHeaders();
      setTimeout(() => {
        response.write(bytes.subarray(0, 5));
        setTimeout(() => response.end(bytes.subarray(5)), 5);
      }, 5);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/gate`);
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('bench/raw-http', () => {
  it('reads answers split across reads, one after another on a keep-alive connection', async () => {
    const connection = await RawConnection.open(url);
    const answers = await Promise.all(
      ['{"n":1}', '{"n":2}', '{"n":3}'].map((body) =>
        connection.send(postBytes(url, { 'content-type': 'application/json', 'x-signature': `s${body}` }, body)),
      ),
    );
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200]);
    expect(answers.map((answer) => JSON.parse(answer.body))).toEqual(
      [1, 2, 3].map((n) => ({ path: '/v1/gate', body: `{"n":${n}}`, signature: `s{"n":${n}}`, é: 'ü' })),
    );
    const missing = await connection.send(postBytes(new URL('/missing', url), {}, ''));
    expect(missing.status).toBe(404);
    connection.close();
  });

  it('a pool of 3 connections answers 20 requests, each its own', async () => {
    connections.clear();
    const pool = new RawPool(url, 3);
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => pool.send(postBytes(url, {}, `{"i":${i}}`))),
    );
    expect(answers.map((answer) => JSON.parse(answer.body).body)).toEqual(
      Array.from({ length: 20 }, (_, i) => `{"i":${i}}`),
    );
    expect(connections.size).toBe(3);
    pool.close();
  });

  it('refuses an answer without content-length', async () => {
    const connection = await RawConnection.open(url);
    await expect(connection.send(postBytes(new URL('/chunked', url), {}, ''))).rejects.toThrow(/content-length/);
  });
});
