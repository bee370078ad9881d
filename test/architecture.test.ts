/**
 * The layout is the architecture: these rules fail the build when an import
 * crosses a boundary it should not.
 * - A subgraph imports only the kernel and its own files (never another
 *   subgraph, the gateway or the REST adapter); subgraphs meet through
 *   federation and events.
 * - The kernel imports nothing outside itself.
 * - The gateway, the REST adapter and the AI gateway never reach into a subgraph.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '..');

function sources(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir)).flatMap((entry) => {
    const relative = path.join(dir, entry);
    if (statSync(path.join(ROOT, relative)).isDirectory()) return entry === 'generated' ? [] : sources(relative);
    return entry.endsWith('.ts') && !entry.endsWith('.test.ts') ? [relative] : [];
  });
}

function importsOf(file: string): string[] {
  const text = readFileSync(path.join(ROOT, file), 'utf8');
  return [...text.matchAll(/(?:from|import)\s*\(?\s*'(\.[^']+)'/g)].map((m) =>
    path.relative(ROOT, path.resolve(ROOT, path.dirname(file), m[1] as string)),
  );
}

function violations(dir: string, allowed: (target: string, file: string) => boolean): string[] {
  return sources(dir).flatMap((file) =>
    importsOf(file)
      .filter((target) => !allowed(target, file))
      .map((target) => `${file} → ${target}`),
  );
}

describe('module boundaries', () => {
  it('subgraphs import only the kernel and themselves', () => {
    const found = readdirSync(path.join(ROOT, 'subgraphs'))
      .filter((name) => statSync(path.join(ROOT, 'subgraphs', name)).isDirectory())
      .flatMap((name) =>
        violations(
          `subgraphs/${name}`,
          (target) => target.startsWith('kernel/') || target.startsWith(`subgraphs/${name}/`),
        ),
      );
    expect(found).toEqual([]);
  });

  it('the kernel imports nothing outside itself', () => {
    expect(violations('kernel', (target) => target.startsWith('kernel/'))).toEqual([]);
  });

  it('the gateway and the REST adapter never reach into a subgraph', () => {
    const edge = (target: string) => !target.startsWith('subgraphs/');
    expect([...violations('gateway', edge), ...violations('rest-adapter', edge)]).toEqual([]);
  });

  it('the AI gateway (gateway-side) never reaches into a subgraph: governance and compute through the supergraph', () => {
    expect(violations('ai-gateway', (target) => !target.startsWith('subgraphs/'))).toEqual([]);
  });
});

describe('authorization has one source', () => {
  it('every @authz names an action of the permission table, so enforcement and authz/check cannot disagree', async () => {
    const { PERMISSIONS } = await import('../kernel/permissions.ts');
    const found = readdirSync(path.join(ROOT, 'subgraphs')).flatMap((name) => {
      const file = path.join('subgraphs', name, `${name}.graphql`);
      let sdl: string;
      try {
        sdl = readFileSync(path.join(ROOT, file), 'utf8');
      } catch {
        return [];
      }
      return [...sdl.matchAll(/@authz\(([^)]*)\)/g)].flatMap(([directive, args]) => {
        if (/\b(scope|role):/.test(args as string)) return [`${file}: ${directive} (use permission:)`];
        const permission = /permission: "([^"]+)"/.exec(args as string)?.[1];
        return permission && !(permission in PERMISSIONS) ? [`${file}: unknown permission ${permission}`] : [];
      });
    });
    expect(found).toEqual([]);
  });
});
