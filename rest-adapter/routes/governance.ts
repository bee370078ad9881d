/**
 * Governance REST routes (routes.tsv, seed 000): workflows, policies and
 * templates, the SDK calls (HMAC-signed: gate, execute, track, track/batch,
 * check), executions, status, quota, dashboard, alerts, alert channels and
 * notification settings. The audit-log routes are served by the events
 * subgraph's table. Each route is one GraphQL operation; path parameters,
 * query parameters and body fields fill the variables by name.
 */
import { defineRoutes } from '../route-table.ts';

export const governanceRoutes = defineRoutes([
  // ---------------------------------------------------------------------------------------------
  // SDK calls (signed)
  // ---------------------------------------------------------------------------------------------
  {
    method: 'POST',
    path: '/v1/gate',
    owner: 'governance',
    summary: 'Binary budget pre-flight (called from @protect entry)',
    signed: true,
    body: 'input',
    operation: /* GraphQL */ `
      mutation RestGate($input: GateInput!) {
        gate(input: $input) {
          allowed
          decision
          reason
          message
          workflowId
          workflowStatus
          budgetMicros
          spentMicros
          remainingMicros
          policyId
        }
      }
    `,
  },
  {
    method: 'POST',
    path: '/v1/execute',
    owner: 'governance',
    summary: 'Full policy evaluation + budget reservation (called from @protect body)',
    signed: true,
    body: 'input',
    operation: /* GraphQL */ `
      mutation RestExecute($input: ExecuteInput!) {
        execute(input: $input) {
          executionId
          allowed
          decision
          status
          reason
          message
          policyId
          approvalId
          workflowId
          reservedMicros
          remainingMicros
          expiresAt
          retryAfterSeconds
        }
      }
    `,
  },
  {
    method: 'POST',
    path: '/v1/track',
    owner: 'governance',
    summary: 'Single cost / token / latency event',
    signed: true,
    body: 'input',
    operation: /* GraphQL */ `
      mutation RestTrack($input: TrackInput!) {
        track(input: $input) {
          eventId
          recorded
          duplicate
          executionId
          workflowId
          settled
          spentMicros
          remainingMicros
        }
      }
    `,
  },
  {
    method: 'POST',
    path: '/v1/track/batch',
    owner: 'governance',
    summary: 'Batched events (≤ 100 per batch)',
    signed: true,
    body: 'input',
    operation: /* GraphQL */ `
      mutation RestTrackBatch($input: TrackBatchInput!) {
        trackBatch(input: $input) {
          recorded
          duplicates
          failed
          results {
            index
            eventId
            ok
            result {
              eventId
              recorded
              duplicate
              executionId
              workflowId
              settled
              spentMicros
              remainingMicros
            }
            error {
              code
              message
              field
            }
          }
        }
      }
    `,
  },
  {
    method: 'POST',
    path: '/v1/check',
    owner: 'governance',
    summary: 'Legacy pre-flight (advisory, no scope check; new code uses /gate)',
    signed: true,
    body: 'input',
    operation: /* GraphQL */ `
      mutation RestLegacyCheck($input: CheckInput!) {
        legacyCheck(input: $input) {
          allowed
          advisory
          decision
          reason
          message
          remainingMicros
        }
      }
    `,
  },

  // ---------------------------------------------------------------------------------------------
  // Workflows
  // ---------------------------------------------------------------------------------------------
  {
    method: 'GET',
    path: '/v1/orgs/{orgId}/workflows',
    owner: 'governance',
    summary: 'List workflows',
    paginated: true,
    operation: /* GraphQL */ `
      query RestListWorkflows($orgId: ID!, $status: WorkflowStatus, $limit: Int, $cursor: String) {
        workflows(orgId: $orgId, status: $status, limit: $limit, cursor: $cursor) {
          items {
            id
            name
            status
            budgetMicros
            budgetPeriod
            spentMicros
            reservedMicros
            remainingMicros
            previousPeriodSpentMicros
            periodStartedAt
            periodEndsAt
            statusReason
            pausedAt
            killedAt
            createdAt
            updatedAt
          }
          nextCursor
        }
      }
    `,
  },
  {
    method: 'POST',
    path: '/v1/orgs/{orgId}/workflows',
    owner: 'governance',
    summary: 'Create workflow',
    status: 201,
    body: 'input',
    operation: /* GraphQL */ `
      mutation RestCreateWorkflow($orgId: ID!, $input: CreateWorkflowInput!) {
        createWorkflow(orgId: $orgId, input: $input) {
          id
          name
          status
          budgetMicros
          budgetPeriod
          spentMicros
          reservedMicros
          remainingMicros
          periodStartedAt
          periodEndsAt
          createdAt
          updatedAt
        }
      }
    `,
  },
  {
    method: 'GET',
    path: '/v1/orgs/{orgId}/workflows/{workflowId}',
    owner: 'governance',
    summary: 'Workflow lookup (called from SDK on first gate per workflow)',
    operation: /* GraphQL */ `
      query RestGetWorkflow($orgId: ID!, $workflowId: ID!) {
        workflow(orgId: $orgId, id: $workflowId) {
          id
          name
          status
          budgetMicros
          budgetPeriod
          spentMicros
          reservedMicros
          remainingMicros
          previousPeriodSpentMicros
          periodStartedAt
          periodEndsAt
          statusReason
          pausedAt
          killedAt
          burnRateMicrosPerHour
          timeToExhaustionSeconds
          createdAt
          updatedAt
        }
      }
    `,
  },
  {
    method: 'PATCH',
    path: '/v1/orgs/{orgId}/workflows/{workflowId}',
    owner: 'governance',
    summary: 'Update (budget, name, …)',
    body: 'input',
    operation: /* GraphQL */ `
      mutation RestUpdateWorkflow($orgId: ID!, $workflowId: ID!, $input: UpdateWorkflowInput!) {
        updateWorkflow(orgId: $orgId, id: $workflowId, input: $input) {
          id
          name
          status
          budgetMicros
          budgetPeriod
          spentMicros
          reservedMicros
          remainingMicros
          periodStartedAt
          periodEndsAt
          updatedAt
        }
      }
    `,
  },
  {
    method: 'POST',
    path: '/v1/orgs/{orgId}/workflows/{workflowId}/pause',
    owner: 'governance',
    summary: 'Pause (broadcasts StateChange over WS)',
    operation: /* GraphQL */ `
      mutation RestPauseWorkflow($orgId: ID!, $workflowId: ID!, $reason: String) {
        pauseWorkflow(orgId: $orgId, id: $workflowId, reason: $reason) {
          id
          name
          status
          statusReason
          pausedAt
          budgetMicros
          spentMicros
          updatedAt
        }
      }
    `,
  },
  {
    method: 'POST',
    path: '/v1/orgs/{orgId}/workflows/{workflowId}/resume',
    owner: 'governance',
    summary: 'Resume',
    operation: /* GraphQL */ `
      mutation RestResumeWorkflow($orgId: ID!, $workflowId: ID!) {
        resumeWorkflow(orgId: $orgId, id: $workflowId) {
          id
          name
          status
          budgetMicros
          spentMicros
          updatedAt
        }
      }
    `,
  },
  {
    method: 'POST',
    path: '/v1/orgs/{orgId}/workflows/{workflowId}/kill',
    owner: 'governance',
    summary: 'Kill (broadcasts StateChange over WS)',
    operation: /* GraphQL */ `
      mutation RestKillWorkflow($orgId: ID!, $workflowId: ID!, $reason: String) {
        killWorkflow(orgId: $orgId, id: $workflowId, reason: $reason) {
          id
          name
          status
          statusReason
          killedAt
          budgetMicros
          spentMicros
          updatedAt
        }
      }
    `,
  },

  // ---------------------------------------------------------------------------------------------
  // Policies and templates
  // ---------------------------------------------------------------------------------------------
  {
    method: 'GET',
    path: '/v1/orgs/{orgId}/policies',
    owner: 'governance',
    summary: 'Policy fetch (called from SDK on first @protect and on PolicyInvalidated WS push)',
    paginated: true,
    operation: /* GraphQL */ `
      query RestListPolicies($orgId: ID!, $enabled: Boolean, $limit: Int, $cursor: String) {
        policies(orgId: $orgId, enabled: $enabled, limit: $limit, cursor: $cursor) {
          items {
            id
            name
            description
            priority
            enabled
            action
            match {
              workflowIds
              models
              excludeModels
              providers
              apiKeyIds
              tags
              metadata
              minEstimatedCostMicros
            }
            maxCostMicros
            rateLimit {
              limit
              windowSeconds
              unit
              per
            }
            templateId
            createdAt
            updatedAt
          }
          nextCursor
        }
      }
    `,
  },
  {
    method: 'POST',
    path: '/v1/orgs/{orgId}/policies',
    owner: 'governance',
    summary: 'Create',
    status: 201,
    body: 'input',
    operation: /* GraphQL */ `
      mutation RestCreatePolicy($orgId: ID!, $input: CreatePolicyInput!) {
        createPolicy(orgId: $orgId, input: $input) {
          id
          name
          description
          priority
          enabled
          action
          match {
            workflowIds
            models
            excludeModels
            providers
            apiKeyIds
            tags
            metadata
            minEstimatedCostMicros
          }
          maxCostMicros
          rateLimit {
            limit
            windowSeconds
            unit
            per
          }
          templateId
          createdAt
          updatedAt
        }
      }
    `,
  },
  {
    method: 'GET',
    path: '/v1/orgs/{orgId}/policies/templates',
    owner: 'governance',
    summary: 'List policy templates',
    operation: /* GraphQL */ `
      query RestListPolicyTemplates($orgId: ID!) {
        policyTemplates(orgId: $orgId) {
          id
          name
          description
          defaultParameters
          enabled
          parameters
          policyId
          enabledAt
        }
      }
    `,
  },
  {
    method: 'POST',
    path: '/v1/orgs/{orgId}/policies/templates/{templateId}/enable',
    owner: 'governance',
    summary: 'Enable a template (body: { "parameters": { … } })',
    operation: /* GraphQL */ `
      mutation RestEnablePolicyTemplate($orgId: ID!, $templateId: ID!, $parameters: JSON) {
        enablePolicyTemplate(orgId: $orgId, templateId: $templateId, parameters: $parameters) {
          id
          name
          description
          defaultParameters
          enabled
          parameters
          policyId
          enabledAt
        }
      }
    `,
  },
  {
    method: 'DELETE',
    path: '/v1/orgs/{orgId}/policies/templates/{templateId}',
    owner: 'governance',
    summary: 'Disable a template',
    operation: /* GraphQL */ `
      mutation RestDisablePolicyTemplate($orgId: ID!, $templateId: ID!) {
        disablePolicyTemplate(orgId: $orgId, templateId: $templateId) {
          id
          name
          enabled
          parameters
          policyId
        }
      }
    `,
  },
  {
    method: 'PATCH',
    path: '/v1/orgs/{orgId}/policies/{policyId}',
    owner: 'governance',
    summary: 'Update',
    body: 'input',
    operation: /* GraphQL */ `
      mutation RestUpdatePolicy($orgId: ID!, $policyId: ID!, $input: UpdatePolicyInput!) {
        updatePolicy(orgId: $orgId, id: $policyId, input: $input) {
          id
          name
          description
          priority
          enabled
          action
          match {
            workflowIds
            models
            excludeModels
            providers
            apiKeyIds
            tags
            metadata
            minEstimatedCostMicros
          }
          maxCostMicros
          rateLimit {
            limit
            windowSeconds
            unit
            per
          }
          templateId
          createdAt
          updatedAt
        }
      }
    `,
  },
  {
    method: 'DELETE',
    path: '/v1/orgs/{orgId}/policies/{policyId}',
    owner: 'governance',
    summary: 'Delete',
    operation: /* GraphQL */ `
      mutation RestDeletePolicy($orgId: ID!, $policyId: ID!) {
        deletePolicy(orgId: $orgId, id: $policyId) {
          id
          deleted
        }
      }
    `,
  },
  {
    method: 'POST',
    path: '/v1/policies/toggle',
    owner: 'governance',
    summary: 'Toggle a policy active/inactive (body: { "policyId", "enabled"? })',
    body: 'input',
    operation: /* GraphQL */ `
      mutation RestTogglePolicy($input: TogglePolicyInput!) {
        togglePolicy(input: $input) {
          id
          name
          enabled
          priority
          action
          updatedAt
        }
      }
    `,
  },

  // ---------------------------------------------------------------------------------------------
  // Executions and the organization read side
  // ---------------------------------------------------------------------------------------------
  {
    method: 'GET',
    path: '/v1/orgs/{orgId}/executions',
    owner: 'governance',
    summary: 'List executions (filters: workflowId, status, decision, model, provider, apiKeyId, since, until)',
    paginated: true,
    operation: /* GraphQL */ `
      query RestListExecutions(
        $orgId: ID!
        $workflowId: ID
        $status: ExecutionStatus
        $decision: ExecutionDecision
        $model: String
        $provider: String
        $apiKeyId: ID
        $since: DateTime
        $until: DateTime
        $limit: Int
        $cursor: String
      ) {
        executions(
          orgId: $orgId
          workflowId: $workflowId
          status: $status
          decision: $decision
          model: $model
          provider: $provider
          apiKeyId: $apiKeyId
          since: $since
          until: $until
          limit: $limit
          cursor: $cursor
        ) {
          items {
            id
            workflowId
            apiKeyId
            model
            provider
            tags
            metadata
            decision
            status
            reason
            policyId
            approvalId
            estimatedCostMicros
            reservedMicros
            actualCostMicros
            inputTokens
            outputTokens
            latencyMs
            expiresAt
            settledAt
            createdAt
          }
          nextCursor
        }
      }
    `,
  },
  {
    method: 'GET',
    path: '/v1/orgs/{orgId}/executions/{executionId}',
    owner: 'governance',
    summary: 'One execution',
    operation: /* GraphQL */ `
      query RestGetExecution($orgId: ID!, $executionId: ID!) {
        execution(orgId: $orgId, id: $executionId) {
          id
          workflowId
          apiKeyId
          principalId
          model
          provider
          tags
          metadata
          decision
          status
          reason
          policyId
          approvalId
          estimatedCostMicros
          reservedMicros
          actualCostMicros
          inputTokens
          outputTokens
          latencyMs
          expiresAt
          settledAt
          createdAt
        }
      }
    `,
  },
  {
    method: 'GET',
    path: '/v1/orgs/{orgId}/status',
    owner: 'governance',
    summary: 'Control-plane poll fallback: budget, rate, plan limits, time to exhaustion',
    operation: /* GraphQL */ `
      query RestOrgStatus($orgId: ID!) {
        orgStatus(orgId: $orgId) {
          budget {
            workflowBudgetMicros
            workflowSpentMicros
            workflowReservedMicros
            workflowRemainingMicros
            totalSpentMicros
            dailyBudgetMicros
            dailySpentMicros
            dailyReservedMicros
            dailyRemainingMicros
          }
          rate {
            windowMinutes
            callsInWindow
            trackedEventsInWindow
            spendInWindowMicros
            burnRateMicrosPerHour
            callsPerMinute
          }
          limits {
            apiKeyRequestsPerMinute
            maxTrackBatchSize
            reservationTtlSeconds
            approvalTtlSeconds
            alertThresholds
          }
          workflows {
            active
            paused
            killed
          }
          timeToExhaustionSeconds
          activeAlerts
          pendingApprovals
          generatedAt
        }
      }
    `,
  },
  {
    method: 'GET',
    path: '/v1/orgs/{orgId}/quota',
    owner: 'governance',
    summary: 'Quota / per-key usage breakdown (since, until; default: this UTC month)',
    operation: /* GraphQL */ `
      query RestUsageQuota($orgId: ID!, $since: DateTime, $until: DateTime) {
        usageQuota(orgId: $orgId, since: $since, until: $until) {
          since
          until
          apiKeyRequestsPerMinute
          totalCostMicros
          totalExecutions
          keys {
            apiKeyId
            executions
            deniedExecutions
            trackedEvents
            costMicros
            inputTokens
            outputTokens
            lastUsedAt
          }
        }
      }
    `,
  },
  {
    method: 'GET',
    path: '/v1/orgs/{orgId}/dashboard',
    owner: 'governance',
    summary: 'Dashboard payload',
    operation: /* GraphQL */ `
      query RestGovernanceDashboard($orgId: ID!) {
        governanceDashboard(orgId: $orgId) {
          status {
            budget {
              workflowBudgetMicros
              workflowSpentMicros
              workflowReservedMicros
              workflowRemainingMicros
              totalSpentMicros
              dailyBudgetMicros
              dailySpentMicros
              dailyRemainingMicros
            }
            rate {
              windowMinutes
              callsInWindow
              trackedEventsInWindow
              spendInWindowMicros
              burnRateMicrosPerHour
              callsPerMinute
            }
            workflows {
              active
              paused
              killed
            }
            timeToExhaustionSeconds
            activeAlerts
            pendingApprovals
            generatedAt
          }
          topWorkflows {
            id
            name
            status
            budgetMicros
            spentMicros
            reservedMicros
            remainingMicros
          }
          recentExecutions {
            id
            workflowId
            model
            decision
            status
            reason
            estimatedCostMicros
            actualCostMicros
            createdAt
          }
          activeAlerts {
            id
            kind
            workflowId
            thresholdPercent
            message
            createdAt
          }
          pendingApprovals {
            id
            executionId
            workflowId
            amountMicros
            model
            expiresAt
            createdAt
          }
          spendByDay {
            day
            costMicros
            events
          }
          spendByModel {
            model
            costMicros
            events
          }
        }
      }
    `,
  },

  // ---------------------------------------------------------------------------------------------
  // Alerts, channels, notification settings
  // ---------------------------------------------------------------------------------------------
  {
    method: 'GET',
    path: '/v1/orgs/{orgId}/alerts',
    owner: 'governance',
    summary: 'Active alerts (includeDismissed=true for all)',
    paginated: true,
    operation: /* GraphQL */ `
      query RestListAlerts($orgId: ID!, $includeDismissed: Boolean, $limit: Int, $cursor: String) {
        alerts(orgId: $orgId, includeDismissed: $includeDismissed, limit: $limit, cursor: $cursor) {
          items {
            id
            kind
            workflowId
            thresholdPercent
            budgetMicros
            spentMicros
            message
            createdAt
            dismissedAt
            dismissedBy
          }
          nextCursor
        }
      }
    `,
  },
  {
    method: 'POST',
    path: '/v1/orgs/{orgId}/alerts/{alertId}/dismiss',
    owner: 'governance',
    summary: 'Dismiss',
    operation: /* GraphQL */ `
      mutation RestDismissAlert($orgId: ID!, $alertId: ID!) {
        dismissAlert(orgId: $orgId, alertId: $alertId) {
          id
          kind
          workflowId
          thresholdPercent
          message
          createdAt
          dismissedAt
          dismissedBy
        }
      }
    `,
  },
  {
    method: 'GET',
    path: '/v1/orgs/{orgId}/alert-channels',
    owner: 'governance',
    summary: 'Channels',
    operation: /* GraphQL */ `
      query RestListAlertChannels($orgId: ID!) {
        alertChannels(orgId: $orgId) {
          id
          kind
          target
          name
          enabled
          createdAt
        }
      }
    `,
  },
  {
    method: 'POST',
    path: '/v1/orgs/{orgId}/alert-channels',
    owner: 'governance',
    summary: 'Channels (email address or webhook URL)',
    status: 201,
    body: 'input',
    operation: /* GraphQL */ `
      mutation RestCreateAlertChannel($orgId: ID!, $input: CreateAlertChannelInput!) {
        createAlertChannel(orgId: $orgId, input: $input) {
          id
          kind
          target
          name
          enabled
          createdAt
        }
      }
    `,
  },
  {
    method: 'GET',
    path: '/v1/orgs/{orgId}/notification-settings',
    owner: 'governance',
    summary: 'Per-user settings',
    operation: /* GraphQL */ `
      query RestNotificationSettings($orgId: ID!) {
        notificationSettings(orgId: $orgId) {
          userId
          emailEnabled
          inAppEnabled
          alertThresholds
          events
          digest
          updatedAt
        }
      }
    `,
  },
  {
    method: 'PATCH',
    path: '/v1/orgs/{orgId}/notification-settings',
    owner: 'governance',
    summary: 'Per-user settings',
    body: 'input',
    operation: /* GraphQL */ `
      mutation RestUpdateNotificationSettings($orgId: ID!, $input: UpdateNotificationSettingsInput!) {
        updateNotificationSettings(orgId: $orgId, input: $input) {
          userId
          emailEnabled
          inAppEnabled
          alertThresholds
          events
          digest
          updatedAt
        }
      }
    `,
  },
]);
