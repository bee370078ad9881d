/**
 * graphql-ws connections are kept alive by one timer for all of them (gateway/subscriptions.ts,
 * KeepAlive): a peer that answers pings stays connected, one that stops answering is terminated; the
 * timer runs only while a connection is watched.
 */
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { KeepAlive } from '../../gateway/subscriptions.ts';
import { eventually } from '../eventually.ts';

let server: WebSocketServer;
let keepAlive: KeepAlive;
const serverSockets: WebSocket[] = [];

beforeAll(async () => {
  // 120 ms: a tick every 10 ms, each connection pinged every 120 ms.
  keepAlive = new KeepAlive(120);
  server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  server.on('connection', (socket) => {
    serverSockets.push(socket);
    keepAlive.watch(socket);
  });
  await new Promise((resolve) => server.once('listening', resolve));
});
afterAll(async () => {
  keepAlive.stop();
  for (const socket of server.clients) socket.terminate();
  await new Promise((resolve) => server.close(resolve));
});

const open = async (autoPong: boolean) => {
  const { port } = server.address() as AddressInfo;
  const client = new WebSocket(`ws://127.0.0.1:${port}`, { autoPong });
  const pings = { count: 0 };
  client.on('ping', () => pings.count++);
  const closed = new Promise<number>((resolve) => client.once('close', (code) => resolve(code)));
  await new Promise((resolve) => client.once('open', resolve));
  return { client, pings, closed };
};

it('keeps a peer that answers pings and terminates one that does not', async () => {
  expect(keepAlive.ticking).toBe(false);
  const alive = await open(true);
  const silent = await open(false);
  let silentClosed = false;
  void silent.closed.then(() => {
    silentClosed = true;
  });
  await eventually(() => (silentClosed ? true : undefined));
  // The silent peer was pinged before it was dropped (abnormal closure: terminated, no close frame).
  expect(silent.pings.count).toBeGreaterThanOrEqual(1);
  expect(await silent.closed).toBe(1006);
  // The answering peer has been pinged over several intervals since and is still open.
  const seen = alive.pings.count;
  await eventually(() => (alive.pings.count >= seen + 3 ? true : undefined));
  expect(alive.client.readyState).toBe(WebSocket.OPEN);
  expect(keepAlive.ticking).toBe(true);
  alive.client.close();
  // No connection left: no timer (an idle gateway is not woken by it).
  await eventually(() => (keepAlive.ticking ? undefined : true));
  // A new connection starts it again, and it pings that one.
  const again = await open(true);
  expect(keepAlive.ticking).toBe(true);
  await eventually(() => (again.pings.count >= 2 ? true : undefined));
  again.client.close();
  await eventually(() => (keepAlive.ticking ? undefined : true));
});
