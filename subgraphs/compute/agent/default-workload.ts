/**
 * The `process` runtime's built-in workload, run when a VM has no `containerCommand` (the process runtime
 * cannot pull `imageUrl`): an HTTP server on $PORT answering its health check and any path with a small
 * page about the VM. Documented in docs/compute.md — never presented as the image itself.
 */
import { createServer } from 'node:http';

const port = Number(process.env.PORT);
const about = {
  vmId: process.env.TRELLIS_VM_ID,
  name: process.env.TRELLIS_VM_NAME,
  gpuModelId: process.env.TRELLIS_GPU_MODEL,
  runtime: 'process',
  workload: 'built-in default (no containerCommand; the process runtime does not pull images)',
  imageUrl: process.env.TRELLIS_IMAGE_URL || null,
};

createServer((req, res) => {
  if ((req.headers.accept ?? '').includes('text/html')) {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(
      `<!doctype html><title>${about.name}</title><h1>${about.name}</h1><pre>${JSON.stringify(about, null, 2)
        .replaceAll('&', '&amp;')
        .replaceAll('<', '&lt;')}</pre>`,
    );
    return;
  }
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ ok: true, path: req.url, ...about }));
}).listen(port, '127.0.0.1');

process.on('SIGTERM', () => process.exit(0));
