/**
 * bench/raw-http.ts, the governance bench's load client: its figures are only as right as its
 * framing. Answers split across reads, several on one keep-alive connection, chunked answers, a pool
 * queueing more requests than it has connections, and an answer it cannot frame refused, not misread.
 */
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
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
        response.writeHead(200, { 'content-type': 'application/json' });
        response.write('{"a":');
        setTimeout(() => response.end('"é"}'), 5);
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

  it('decodes a chunked answer, and the next answer on the connection after it', async () => {
    const connection = await RawConnection.open(url);
    const chunked = await connection.send(postBytes(new URL('/chunked', url), {}, ''));
    expect(JSON.parse(chunked.body)).toEqual({ a: 'é' });
    const next = await connection.send(postBytes(url, {}, 'after'));
    expect(JSON.parse(next.body).body).toBe('after');
    connection.close();
  });

  it('refuses an answer framed neither way', async () => {
    const accepted = new Set<net.Socket>();
    const unframed = net.createServer((socket) => {
      accepted.add(socket);
      socket.write('HTTP/1.1 200 OK\r\nconnection: close\r\n\r\nhello');
    });
    await new Promise<void>((resolve) => unframed.listen(0, '127.0.0.1', resolve));
    const target = new URL(`http://127.0.0.1:${(unframed.address() as AddressInfo).port}/`);
    const connection = await RawConnection.open(target);
    await expect(connection.send(postBytes(target, {}, ''))).rejects.toThrow(
      /neither content-length framed nor chunked/,
    );
    for (const socket of accepted) socket.destroy();
    await new Promise<void>((resolve) => unframed.close(() => resolve()));
  });
});
