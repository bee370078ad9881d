/**
 * A test double of the Docker Engine API (the endpoints the docker runtime uses), on a unix socket: it
 * records every request (method, path, query, headers, body) and keeps just enough state — images,
 * volumes, containers and their wait — to answer like the engine does.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

interface FakeContainer {
  name: string;
  config: Record<string, unknown>;
  running: boolean;
  exitCode: number;
  waiters: ServerResponse[];
}

export class DockerDouble {
  readonly requests: RecordedRequest[] = [];
  readonly images = new Set<string>();
  readonly volumes = new Set<string>();
  readonly containers = new Map<string, FakeContainer>();
  /** What GET /containers/{id}/archive answers (a tar). */
  archive = Buffer.alloc(0);
  hostPort = 49153;
  private server?: Server;

  async listen(socketPath: string): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => this.handle(req, Buffer.concat(chunks), res));
    });
    await new Promise<void>((resolve) => this.server?.listen(socketPath, resolve));
  }

  close(): Promise<void> {
    for (const c of this.containers.values()) for (const w of c.waiters) w.destroy();
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** Ends a running container as if its process exited with `code`. */
  exit(name: string, code: number): void {
    const container = this.containers.get(name);
    if (!container) return;
    container.running = false;
    container.exitCode = code;
    for (const waiter of container.waiters.splice(0)) json(waiter, 200, { StatusCode: code });
  }

  find(method: string, pattern: RegExp): RecordedRequest[] {
    return this.requests.filter((r) => r.method === method && pattern.test(r.path));
  }

  private handle(req: IncomingMessage, body: Buffer, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://docker');
    // dockerode may prefix a version (/v1.41/…): the double serves both.
    const path = url.pathname.replace(/^\/v[0-9.]+/, '');
    this.requests.push({ method: req.method ?? 'GET', path, query: url.searchParams, headers: req.headers, body });
    const m = (re: RegExp) => re.exec(path);
    const image = m(/^\/images\/(.+)\/json$/);
    const volume = m(/^\/volumes\/([^/]+)$/);
    if (req.method === 'GET' && image)
      return this.images.has(decodeURIComponent(image[1] as string))
        ? json(res, 200, { Id: 'sha256:1' })
        : json(res, 404, { message: 'No such image' });
    if (req.method === 'POST' && path === '/images/create') {
      const tag = url.searchParams.get('tag');
      this.images.add(`${url.searchParams.get('fromImage')}${tag ? `:${tag}` : ''}`);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"status":"Pulling"}\n{"status":"Downloaded newer image"}\n');
      return;
    }
    if (req.method === 'GET' && volume)
      return this.volumes.has(volume[1] as string)
        ? json(res, 200, { Name: volume[1] })
        : json(res, 404, { message: 'no such volume' });
    if (req.method === 'POST' && path === '/volumes/create') {
      const { Name } = JSON.parse(body.toString()) as { Name: string };
      this.volumes.add(Name);
      return json(res, 201, { Name });
    }
    if (req.method === 'DELETE' && volume) {
      if (!this.volumes.delete(volume[1] as string)) return json(res, 404, { message: 'no such volume' });
      return empty(res, 204);
    }
    if (req.method === 'POST' && path === '/containers/create') {
      const name = url.searchParams.get('name') as string;
      this.containers.set(name, {
        name,
        config: JSON.parse(body.toString()),
        running: false,
        exitCode: 0,
        waiters: [],
      });
      return json(res, 201, { Id: name, Warnings: [] });
    }
    const match = m(/^\/containers\/([^/]+)(\/[a-z]+)?$/);
    const container = match ? this.containers.get(match[1] as string) : undefined;
    if (!match || !container) return json(res, 404, { message: 'No such container' });
    const action = match[2] ?? '';
    if (req.method === 'DELETE' && action === '') {
      this.exit(container.name, 137);
      this.containers.delete(container.name);
      return empty(res, 204);
    }
    if (req.method === 'POST' && action === '/start') {
      container.running = true;
      return empty(res, 204);
    }
    if (req.method === 'GET' && action === '/json') {
      const ports = Object.keys((container.config.ExposedPorts as Record<string, unknown>) ?? {});
      return json(res, 200, {
        Id: container.name,
        State: { Running: container.running },
        NetworkSettings: {
          Ports: Object.fromEntries(ports.map((p) => [p, [{ HostIp: '127.0.0.1', HostPort: String(this.hostPort) }]])),
        },
      });
    }
    if (req.method === 'POST' && action === '/wait') {
      if (!container.running) return json(res, 200, { StatusCode: container.exitCode });
      container.waiters.push(res);
      return;
    }
    if (req.method === 'POST' && action === '/stop') {
      if (!container.running) return empty(res, 304);
      this.exit(container.name, 0);
      return empty(res, 204);
    }
    if (req.method === 'GET' && action === '/archive') {
      res.writeHead(200, { 'content-type': 'application/x-tar' });
      res.end(this.archive);
      return;
    }
    if (req.method === 'PUT' && action === '/archive') return empty(res, 200);
    return json(res, 404, { message: `the double does not serve ${req.method} ${path}` });
  }
}

function json(res: ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(value));
}

function empty(res: ServerResponse, status: number): void {
  res.writeHead(status);
  res.end();
}
