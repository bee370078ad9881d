/** Apollo Server plugin: per-operation counts and latency into the service's Prometheus registry. */
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { ServiceMetrics } from './metrics.ts';

export function operationMetricsPlugin(metrics: ServiceMetrics): ApolloServerPlugin<BaseContext> {
  return {
    async requestDidStart() {
      const started = performance.now();
      let operation = 'anonymous';
      let type = 'unknown';
      return {
        async didResolveOperation(ctx) {
          operation = metrics.operationLabel(ctx.operationName);
          type = ctx.operation?.operation ?? 'unknown';
        },
        async willSendResponse(ctx) {
          const body = ctx.response.body;
          const failed = body.kind === 'single' && (body.singleResult.errors?.length ?? 0) > 0;
          metrics.operations.inc({ operation, type, outcome: failed ? 'error' : 'ok' });
          metrics.operationDuration.observe({ operation, type }, (performance.now() - started) / 1000);
        },
      };
    },
  };
}
