/**
 * What the gateway process serves besides `/graphql`: the embedded REST
 * adapter (`/v1`, `/openapi.json`) and, later, subscriptions.
 */
import type { Platform } from '../kernel/platform.ts';
import type { RunningService } from '../kernel/subgraph.ts';
import type { Gateway } from './gateway.ts';

export async function mountGatewayExtensions(
  _platform: Platform,
  _gateway: Omit<Gateway, 'close' | 'url'>,
): Promise<(() => Promise<void>) | undefined> {
  return undefined;
}

export async function startStandaloneRestAdapter(_platform: Platform): Promise<RunningService> {
  throw new Error('not yet available');
}
