/**
 * The dashboard in a real browser (Debian's chromium driven by playwright-core, headless) against
 * the all-in-one platform: register → create an organization → create a workflow → mint a key →
 * a signed /v1/track from the test moves the spend figure without a reload → a pause made through
 * the API shows live → kill from the UI → the status flips; a viewer sees no write buttons; the
 * GraphiQL page runs a query. Also: how the gateway serves the build (cache headers, CSP, size).
 *
 * Fails (never skips) when chromium is missing: `.ci/run` installs it with apt.
 * `UPDATE_SCREENSHOTS=1` writes the main pages' screenshots to docs/screenshots/.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiKeySignature } from '../../kernel/secrets.ts';
import { ensureDashboardBuilt } from '../../scripts/build-dashboard.ts';
import { startTestUpstream, type TestUpstream } from '../ai/test-upstream.ts';
import { closeAll, startTestPlatform, type TestPlatform } from '../harness.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SCREENSHOTS = process.env.UPDATE_SCREENSHOTS === '1' ? new URL('../../docs/screenshots/', import.meta.url) : null;
const PASSWORD = 'correct horse battery';
/** How long a UI change may take to show (a shared CI machine is slow; the usual is well under a second). */
const LIVE = { timeout: 20_000, interval: 100 };

let platform: TestPlatform;
let browser: Browser;
/** An OpenAI-compatible upstream with fixed usage (12 input, 6 output tokens): the provider node's model. */
let upstream: TestUpstream;
const MODEL = 'pipeline-model';
/** Content-Security-Policy violations and uncaught page errors, from every page of the run. */
const pageProblems: string[] = [];

async function newPage(context: BrowserContext): Promise<Page> {
  const page = await context.newPage();
  // A rejection whose reason is not an Error reaches `pageerror` as just "Object" (seen once under a loaded
  // full-suite run): the page says what it was, so such a failure names its cause.
  // Reported after the page's own handlers ran: one that handles it (preventDefault) is not a problem.
  await page.addInitScript(`addEventListener('unhandledrejection', (event) => setTimeout(() => {
    if (event.defaultPrevented) return;
    let detail;
    try { detail = JSON.stringify(event.reason); } catch { detail = String(event.reason); }
    console.error('unhandled rejection on ' + location.pathname + ': ' + event.reason?.constructor?.name + ' ' + String(detail).slice(0, 500));
  }));`);
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy|Refused to|^unhandled rejection/i.test(message.text()))
      pageProblems.push(message.text());
  });
  page.on('pageerror', (error) => pageProblems.push(error.stack || String(error)));
  return page;
}

async function screenshot(page: Page, name: string): Promise<void> {
  if (!SCREENSHOTS) return;
  await mkdir(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: new URL(`${name}.png`, SCREENSHOTS).pathname, fullPage: true });
}

/** A v2-signed REST call with an API key, as an SDK sends it (docs/authentication.md). */
async function signedRest(key: { key: string; signingSecret: string }, method: string, path: string, body: unknown) {
  const raw = JSON.stringify(body);
  const timestamp = Math.floor(Date.now() / 1000);
  const nonce = randomBytes(16).toString('hex');
  const signature = apiKeySignature(key.signingSecret, timestamp, key.key, raw, { nonce, method, pathWithQuery: path });
  return platform.rest(method, path, {
    rawBody: raw,
    headers: {
      'content-type': 'application/json',
      'x-api-key': key.key,
      'x-signature': signature,
      'x-signature-timestamp': String(timestamp),
      'x-signature-version': '2',
      'x-signature-nonce': nonce,
    },
  });
}

async function register(page: Page, email: string): Promise<void> {
  await page.goto(platform.url);
  await page.getByRole('button', { name: 'Create an account' }).click();
  await page.getByLabel('Name').fill('Dana Dashboard');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel(/^Password/).fill(PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).click();
}

/**
 * Two templates make two policies, listed in first-match order (cost cap at −200, approval at
 * −100); moving the first one down puts it after the other, which the server then evaluates so.
 */
async function reorderPolicies(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Enable template Per-call cost cap' }).click();
  await page.getByRole('button', { name: 'Enable template Approval above an amount' }).click();
  const titles = () => page.locator('ol.policies h2').allTextContents();
  await expect.poll(titles, LIVE).toEqual(['1. Per-call cost cap', '2. Approval above an amount']);
  await page.getByRole('button', { name: 'Move Per-call cost cap down' }).click();
  await expect.poll(titles, LIVE).toEqual(['1. Approval above an amount', '2. Per-call cost cap']);
}

const AXE_SOURCE = readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/**
 * axe-core's serious and critical violations on the page as it is now (WCAG 2 A/AA rules). axe is
 * evaluated through the DevTools protocol, which the page's CSP does not govern, so the audit does
 * not weaken the CSP check; `impact` and the offending nodes make a failure readable.
 */
async function axeViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate("'axe' in window"))) await page.evaluate(await AXE_SOURCE);
  // A string: the test's tsconfig has no DOM types (this runs in the page).
  const violations: { id: string; impact: string | null; nodes: string[] }[] = await page.evaluate(`
    axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })
      .then((result) => result.violations.map((v) => ({
        id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(' ')),
      })))`);
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.nodes.slice(0, 5).join(', ')}`);
}

function openPage(page: Page, name: string) {
  return page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name, exact: true }).click();
}

/**
 * A job submitted through the API is listed; its detail shows its events as they happen (the
 * cancel made from the UI arrives as `job.cancelled` over `jobEvents`). A run waiting at an approval
 * gate is drawn as a DAG; approving the gate from the page turns the gate and the node after it to
 * succeeded live (the run driver moves them; `runEvents` brings the news).
 */
async function jobsAndPipelineRuns(page: Page, orgId: string, token: string): Promise<void> {
  const submitted = await platform.graphql(
    'mutation($i: SubmitJobInput!) { submitJob(input: $i) { job { id } } }',
    { i: { orgId, queue: 'renders', type: 'render-frame', payload: { frame: 1 } } },
    { token },
  );
  const jobId = submitted.body.data.submitJob.job.id as string;
  await openPage(page, 'Jobs');
  await page.getByTestId(`job-${jobId}`).waitFor();
  await page.getByRole('button', { name: jobId, exact: true }).click();
  const detail = page.getByTestId('job-detail');
  await expect.poll(() => detail.getByTestId('job-status').textContent(), LIVE).toBe('QUEUED');
  await expect
    .poll(() => detail.getByRole('list', { name: 'Job events' }).textContent(), LIVE)
    .toContain('job.submitted');
  await screenshot(page, 'jobs');
  await detail.getByRole('button', { name: `Cancel job ${jobId}` }).click();
  await page
    .getByRole('dialog', { name: `Cancel job ${jobId}?` })
    .getByRole('button', { name: 'Cancel job' })
    .click();
  await expect.poll(() => detail.getByTestId('job-status').textContent(), LIVE).toBe('CANCELLED');
  await expect
    .poll(() => detail.getByRole('list', { name: 'Job events' }).textContent(), LIVE)
    .toContain('job.cancelled');

  const defined = await platform.graphql(
    'mutation($i: CreateWorkflowDefinitionInput!) { createWorkflowDefinition(input: $i) { id } }',
    {
      i: {
        orgId,
        name: 'release',
        nodes: [
          { id: 'prepare', type: 'parallel' },
          { id: 'gate', type: 'approval', dependsOn: ['prepare'], message: 'Ship it?' },
          { id: 'finish', type: 'join', dependsOn: ['gate'] },
        ],
      },
    },
    { token },
  );
  expect(defined.body.errors).toBeUndefined();
  const started = await platform.graphql(
    'mutation($id: ID!) { startWorkflowDefinition(id: $id) { id } }',
    { id: defined.body.data.createWorkflowDefinition.id },
    { token },
  );
  const runId = started.body.data.startWorkflowDefinition.id as string;
  await openPage(page, 'Pipeline runs');
  await page.getByRole('button', { name: runId, exact: true }).click();
  const run = page.getByTestId('run-detail');
  const state = (node: string) => run.getByTestId(`dag-node-${node}`).getAttribute('data-state');
  await expect.poll(() => state('gate'), LIVE).toBe('waiting');
  expect(await state('finish')).toBe('pending');
  await screenshot(page, 'pipeline-run');
  await run.getByRole('button', { name: 'Approve gate gate' }).click();
  await expect.poll(() => state('gate'), LIVE).toBe('succeeded');
  await expect.poll(() => state('finish'), LIVE).toBe('succeeded');
  await expect.poll(() => run.getByTestId('run-status').textContent(), LIVE).toBe('SUCCEEDED');
  await run.getByRole('button', { name: 'Close' }).click();

  // The gap between the run's query and its subscription: the page subscribes only after the gate
  // was approved (through the API) and the run finished; resuming from the cursor read before the
  // query replays those transitions, so the DAG still turns green.
  const again = await platform.graphql(
    'mutation($id: ID!) { startWorkflowDefinition(id: $id) { id } }',
    { id: defined.body.data.createWorkflowDefinition.id },
    { token },
  );
  const secondRunId = again.body.data.startWorkflowDefinition.id as string;
  // A page of its own (same session), whose socket passes through the test.
  const gapPage = await newPage(page.context());
  const runSubscriptionsHeld = await holdRunSubscriptions(gapPage);
  await gapPage.goto(`${platform.url}/#/pipelines`);
  await gapPage.getByRole('button', { name: secondRunId, exact: true }).click();
  const gapRun = gapPage.getByTestId('run-detail');
  const gapState = (node: string) => gapRun.getByTestId(`dag-node-${node}`).getAttribute('data-state');
  await expect.poll(() => gapState('gate'), LIVE).toBe('waiting');
  await expect.poll(() => runSubscriptionsHeld.count(), LIVE).toBeGreaterThan(0);
  const pending = await platform.graphql(
    'query($o: ID!) { approvals(orgId: $o, status: PENDING) { items { id runId } } }',
    { o: orgId },
    { token },
  );
  const approval = pending.body.data.approvals.items.find((a: { runId: string }) => a.runId === secondRunId);
  await ownerGql(token, 'mutation($id: ID!, $o: ID!) { approveApproval(id: $id, orgId: $o) { id } }', {
    id: approval.id,
    o: orgId,
  });
  await expect
    .poll(async () => {
      const status = await platform.graphql(
        'query($id: ID!) { workflowRun(id: $id) { status } }',
        { id: secondRunId },
        { token },
      );
      return status.body.data.workflowRun.status;
    }, LIVE)
    .toBe('SUCCEEDED');
  expect(await gapState('gate')).toBe('waiting');
  runSubscriptionsHeld.release();
  await expect.poll(() => gapState('gate'), LIVE).toBe('succeeded');
  await expect.poll(() => gapState('finish'), LIVE).toBe('succeeded');
  await gapPage.close();
  await providerRun(page, orgId, token);
}

/** A run with a provider node (a model call): its box shows the model, the tokens and the cost; the run its spend. */
async function providerRun(page: Page, orgId: string, token: string): Promise<void> {
  const workflow = await ownerGql(
    token,
    'mutation($o: ID!) { createWorkflow(orgId: $o, input: { name: "summaries", budgetMicros: 10000000 }) { id } }',
    { o: orgId },
  );
  const defined = await ownerGql(
    token,
    'mutation($i: CreateWorkflowDefinitionInput!) { createWorkflowDefinition(input: $i) { id } }',
    {
      i: {
        orgId,
        name: 'summarise',
        nodes: [
          { id: 'ask', type: 'provider', model: MODEL, prompt: 'Summarise the release notes', maxTokens: 50 },
          { id: 'done', type: 'join', dependsOn: ['ask'] },
        ],
      },
    },
  );
  const started = await ownerGql(
    token,
    'mutation($id: ID!, $w: ID) { startWorkflowDefinition(id: $id, workflowId: $w) { id } }',
    {
      id: defined.createWorkflowDefinition.id,
      w: workflow.createWorkflow.id,
    },
  );
  const runId = started.startWorkflowDefinition.id as string;
  await openPage(page, 'Pipeline runs');
  await page.getByRole('button', { name: runId, exact: true }).click();
  const run = page.getByTestId('run-detail');
  await expect.poll(() => run.getByTestId('run-status').textContent(), LIVE).toBe('SUCCEEDED');
  await expect
    .poll(() => run.getByTestId('dag-usage-ask').textContent(), LIVE)
    .toBe(`${MODEL} · 12/6 tokens · $0.000024`);
  expect(await run.getByTestId('run-spend').textContent()).toBe('$0.000024');
  expect(await run.getByTestId('dag-usage-done').count()).toBe(0);
  expect(await axeViolations(page), 'Pipeline run with a provider node').toEqual([]);
  await screenshot(page, 'pipeline-run-provider');
  await run.getByRole('button', { name: 'Close' }).click();
}

/**
 * Routes a page's graphql-ws socket through the test (before the page opens it) and holds its
 * `runEvents` subscribe messages until released: the gap between a run's query and its
 * subscription, opened on purpose.
 */
async function holdRunSubscriptions(page: Page): Promise<{ count(): number; release(): void }> {
  let held: (() => void)[] | null = [];
  await page.routeWebSocket(/\/graphql$/, (ws) => {
    const server = ws.connectToServer();
    ws.onMessage((message) => {
      const text = String(message);
      if (held && text.includes('"subscribe"') && text.includes('runEvents(')) held.push(() => server.send(message));
      else server.send(message);
    });
  });
  return {
    count: () => held?.length ?? 0,
    release() {
      const sends = held ?? [];
      held = null;
      for (const send of sends) send();
    },
  };
}

/** A GraphQL call as the owner that must succeed. */
async function ownerGql(token: string, query: string, variables: Record<string, unknown>) {
  const answer = await platform.graphql(query, variables, { token });
  expect(answer.body.errors).toBeUndefined();
  return answer.body.data;
}

/**
 * A VM's transition log follows its events live; a cluster shows its replicas and its transition
 * log. (No node runs here: they stay pending, so replica health beyond that is compute's tests'.)
 */
async function computeTransitions(page: Page, orgId: string, token: string): Promise<void> {
  const vm = await ownerGql(
    token,
    'mutation($o: ID!) { createVm(orgId: $o, input: { name: "train-1", gpuModelId: "h100-80gb" }) { id } }',
    { o: orgId },
  );
  await ownerGql(
    token,
    'mutation($o: ID!) { createCluster(orgId: $o, input: { name: "serve-1", gpuModelId: "h100-80gb", replicaCount: 2 }) { id } }',
    { o: orgId },
  );
  await openPage(page, 'VMs and clusters');
  await page.getByRole('button', { name: 'Transitions of VM train-1' }).click();
  const vmLog = page.getByRole('list', { name: 'Transitions of VM train-1' });
  await expect.poll(() => vmLog.textContent(), LIVE).toContain('vm.created');
  await ownerGql(token, 'mutation($id: ID!) { terminateVm(id: $id) { id } }', { id: vm.createVm.id });
  await expect.poll(() => vmLog.textContent(), LIVE).toMatch(/vm\.terminat/);
  await page.getByRole('button', { name: 'Details of cluster serve-1' }).click();
  const cluster = page.getByTestId('cluster-detail');
  await expect
    .poll(() => cluster.getByRole('list', { name: 'Transitions of cluster serve-1' }).textContent(), LIVE)
    .toContain('cluster.created');
  await expect
    .poll(
      async () => (await cluster.getByRole('table').count()) + (await cluster.getByText(/^No replicas yet/).count()),
      LIVE,
    )
    .toBe(1);
  await screenshot(page, 'clusters');
}

/** Agents, schedules (a run's and a job's) and the vault, driven from their pages as the owner. */
async function agentsSchedulesVault(page: Page, orgId: string, token: string): Promise<void> {
  await openPage(page, 'Agents');
  await page.getByLabel('Agent name').fill('scout');
  await page.getByLabel('Role').fill('researcher');
  await page.getByRole('button', { name: 'Create agent' }).click();
  const agent = page.getByTestId('agent-scout');
  await agent.waitFor();
  await expect.poll(() => agent.textContent(), LIVE).toContain('wants running');
  await agent.getByRole('button', { name: 'Stop scout' }).click();
  await page.getByRole('dialog', { name: 'Stop scout?' }).getByRole('button', { name: 'Stop agent' }).click();
  await expect.poll(() => agent.textContent(), LIVE).toContain('wants stopped');
  await agent.getByRole('button', { name: 'Start scout' }).click();
  await expect.poll(() => agent.textContent(), LIVE).toContain('wants running');
  await page.getByLabel('Task title').fill('index the docs');
  await page.getByRole('button', { name: 'Queue task' }).click();
  await expect.poll(() => page.getByRole('region', { name: 'Tasks' }).textContent(), LIVE).toContain('index the docs');
  await screenshot(page, 'agents');

  await openPage(page, 'Schedules');
  await page.getByLabel('Name', { exact: true }).fill('nightly release');
  await page.getByRole('textbox', { name: 'Cron expression' }).fill('0 3 * * *');
  await page.getByRole('button', { name: 'Create schedule' }).click();
  await expect.poll(() => page.getByRole('table').textContent(), LIVE).toContain('cron 0 3 * * * (UTC)');
  expect(
    await page
      .getByTestId(/^schedule-/)
      .first()
      .textContent(),
  ).toContain('run of ');
  // A schedule that submits a job: a payload that is not JSON is named before anything is sent.
  await page.getByLabel('Name', { exact: true }).fill('nightly render');
  await page.getByRole('combobox', { name: /^Target/ }).selectOption('job');
  await page.getByLabel('Job type').fill('render-frame');
  await page.getByLabel('Queue').fill('renders');
  await page.getByLabel('Payload (JSON)').fill('{frame: 2}');
  await page.getByRole('textbox', { name: 'Cron expression' }).fill('0 4 * * *');
  await page.getByRole('button', { name: 'Create schedule' }).click();
  await expect.poll(() => page.getByRole('alert').textContent(), LIVE).toBe('Payload: enter JSON, e.g. {"frame": 1}');
  await page.getByLabel('Payload (JSON)').fill('{"frame": 2}');
  await page.getByLabel('Max attempts').fill('3');
  expect(await axeViolations(page), 'Schedules (job target)').toEqual([]);
  await page.getByRole('button', { name: 'Create schedule' }).click();
  await expect.poll(() => page.getByRole('table').textContent(), LIVE).toContain('job render-frame on renders');
  expect(await page.getByRole('alert').count()).toBe(0);
  const schedules = await platform.graphql(
    'query($o: ID!) { workflowSchedules(orgId: $o) { name target definitionId job } }',
    { o: orgId },
    { token },
  );
  expect(
    schedules.body.data.workflowSchedules.find((x: { name: string }) => x.name === 'nightly render'),
  ).toMatchObject({
    target: 'job',
    definitionId: null,
    job: { queue: 'renders', type: 'render-frame', payload: { frame: 2 }, maxAttempts: 3 },
  });
  await page.getByRole('combobox', { name: /^Target/ }).selectOption('run');
  await page.getByLabel('Name', { exact: true }).fill('hourly');
  await page.getByRole('combobox', { name: /^Kind/ }).selectOption('every');
  await page.getByRole('spinbutton', { name: 'Seconds' }).fill('3600');
  await page.getByRole('button', { name: 'Create schedule' }).click();
  await expect.poll(() => page.getByRole('table').textContent(), LIVE).toContain('every 3600 s');
  await page.getByRole('button', { name: 'Delete schedule hourly' }).click();
  await page
    .getByRole('dialog', { name: 'Delete schedule hourly?' })
    .getByRole('button', { name: 'Delete schedule' })
    .click();
  await expect.poll(() => page.getByRole('table').textContent(), LIVE).not.toContain('hourly');
  await screenshot(page, 'schedules');

  await openPage(page, 'Vault');
  await page.getByLabel('Name', { exact: true }).fill('OPENAI_API_KEY');
  await page.getByLabel('Value').fill('sk-test-not-listed');
  await page.getByRole('button', { name: 'Save credential' }).click();
  const row = page.getByTestId('credential-OPENAI_API_KEY');
  await row.waitFor();
  expect(await page.getByRole('main').textContent()).not.toContain('sk-test-not-listed');
  await screenshot(page, 'vault');
  await row.getByRole('button', { name: 'Reveal OPENAI_API_KEY' }).click();
  await page
    .getByRole('dialog', { name: 'Reveal OPENAI_API_KEY?' })
    .getByRole('button', { name: 'Reveal value' })
    .click();
  await expect.poll(() => row.getByTestId('secret-openai_api_key').textContent(), LIVE).toBe('sk-test-not-listed');
  await row.getByRole('button', { name: 'Hide' }).click();
  expect(await page.getByRole('main').textContent()).not.toContain('sk-test-not-listed');
  await row.getByRole('button', { name: 'Delete OPENAI_API_KEY' }).click();
  await page
    .getByRole('dialog', { name: 'Delete OPENAI_API_KEY?' })
    .getByRole('button', { name: 'Delete credential' })
    .click();
  await expect.poll(() => row.count(), LIVE).toBe(0);
}

/** Buttons that would write (by their accessible name); reading, opening and closing are fine. */
const WRITE_BUTTON =
  /^(Create|Add|Save|Delete|Remove|Stop|Start|Restart|Terminate|Cancel|Queue|Approve|Deny|Reveal|Kill|Pause|Resume|Retry|Revoke|Roll|Enable|Disable|Mark|Move)/;

function writeButtons(page: Page): Promise<string[]> {
  return page
    .locator('main button')
    .evaluateAll((elements) => elements.map((el) => el.getAttribute('aria-label') ?? (el.textContent ?? '').trim()))
    .then((names) => names.filter((name) => WRITE_BUTTON.test(name)));
}

/** Auto-recharge saved from the Billing page reaches the server in cents; a bad amount is named. */
async function saveAutoRecharge(page: Page, orgId: string, token: string): Promise<void> {
  await page.getByLabel('Below (USD)').fill('5');
  await page.getByLabel(/^Charge \(USD/).fill('lots');
  await page.getByRole('button', { name: 'Save auto-recharge' }).click();
  await expect.poll(() => page.getByRole('alert').textContent(), LIVE).toBe('Amount: enter an amount in dollars');
  await page.getByLabel(/^Charge \(USD/).fill('20');
  await page.getByRole('button', { name: 'Save auto-recharge' }).click();
  await expect.poll(() => page.getByRole('alert').count(), LIVE).toBe(0);
  // The alert clears on click, before the save's answer: poll the server until the save landed.
  const saved = async () =>
    (
      await platform.graphql(
        'query($o: ID!) { autoRecharge(orgId: $o) { enabled thresholdCents amountCents } }',
        { o: orgId },
        { token },
      )
    ).body.data.autoRecharge;
  await expect.poll(saved, LIVE).toEqual({ enabled: false, thresholdCents: 500, amountCents: 2000 });
  await screenshot(page, 'billing');
}

/** Form controls without an accessible name (label, aria-label or text): each is an accessibility bug. */
function unlabelledControls(page: Page): Promise<string[]> {
  return page
    .locator('main input, main select, main textarea, main button, header select, header button')
    .evaluateAll((elements) =>
      elements
        .filter((el) => {
          const labelled =
            (el as unknown as { labels?: ArrayLike<unknown> | null }).labels?.length || el.getAttribute('aria-label');
          return !labelled && !el.getAttribute('aria-labelledby') && !(el.textContent ?? '').trim();
        })
        .map((el) => el.outerHTML.slice(0, 120)),
    );
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM))
    throw new Error(`chromium is not installed at ${CHROMIUM}: apt-get install -y chromium (.ci/run does it)`);
  await ensureDashboardBuilt();
  upstream = await startTestUpstream();
  [platform, browser] = await Promise.all([
    startTestPlatform({
      TRELLIS_LOCAL_NODE: 'off',
      // $1 per million input tokens, $2 per million output tokens: a call costs 12 + 12 = 24 micro-dollars.
      TRELLIS_AI_PROVIDERS: JSON.stringify([
        {
          id: 'local',
          kind: 'openai_compatible',
          baseUrl: `${upstream.url}/v1`,
          models: [{ id: MODEL, inputMicrosPerMillion: 1_000_000, outputMicrosPerMillion: 2_000_000 }],
        },
      ]),
      TRELLIS_AI_MAX_RETRIES: '0',
    }),
    chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] }),
  ]);
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await closeAll();
  await upstream?.close();
});

describe('the gateway serves the dashboard build', () => {
  it('serves index.html no-cache with a strict CSP, hashed assets immutable and compressed', async () => {
    const index = await fetch(`${platform.url}/`);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toMatch(/^text\/html/);
    expect(index.headers.get('cache-control')).toBe('no-cache');
    const csp = index.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).not.toContain('stripe');
    const html = await index.text();
    const scripts = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+\.js)"/g)].map((m) => m[1] as string);
    expect(scripts.length).toBeGreaterThan(0);

    // First load: every script the page references, as a browser downloads it (gzip).
    let gzippedBytes = 0;
    for (const script of scripts) {
      const asset = await fetch(`${platform.url}${script}`, { headers: { 'accept-encoding': 'gzip' } });
      expect(asset.status).toBe(200);
      expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect(asset.headers.get('content-encoding')).toBe('gzip');
      gzippedBytes += Number(asset.headers.get('content-length'));
      await asset.arrayBuffer();
    }
    expect(gzippedBytes).toBeLessThanOrEqual(300 * 1024);

    const revalidated = await fetch(`${platform.url}/`, {
      headers: { 'if-none-match': index.headers.get('etag') ?? '' },
    });
    expect(revalidated.status).toBe(304);
    expect((await fetch(`${platform.url}/assets/../package.json`)).status).toBe(404);
    expect((await fetch(`${platform.url}/assets/nope.js`)).status).toBe(404);
  });

  it('answers GraphQL clients at /graphql as before, and browsers with GraphiQL', async () => {
    const page = await fetch(`${platform.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('id="graphiql"');
    const query = await fetch(`${platform.url}/graphql?query=${encodeURIComponent('{ __typename }')}`, {
      headers: { accept: 'application/json', 'apollo-require-preflight': 'true' },
    });
    expect(await query.json()).toEqual({ data: { __typename: 'Query' } });
  });
});

describe('the dashboard in a browser', () => {
  it('register → org → workflow → key → live spend → live pause → kill; a viewer cannot write; GraphiQL runs', async () => {
    const owner = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    const page = await newPage(owner);
    const email = `owner-${randomBytes(4).toString('hex')}@example.com`;
    await register(page, email);

    // A new account has no organization: the dashboard asks for one.
    await page.getByLabel('Organization name').fill('Acme Research');
    await page.getByRole('button', { name: 'Create organization' }).click();
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    await screenshot(page, 'overview-empty');

    // A workflow with a $10 budget.
    await page.getByRole('link', { name: 'Workflows' }).click();
    await page.getByLabel('Name').fill('nightly-eval');
    await page.getByLabel('Budget (USD)').first().fill('10');
    await page.getByRole('button', { name: 'Create workflow' }).click();
    const card = page.getByTestId('workflow-nightly-eval');
    await card.waitFor();
    await expect.poll(() => card.getByTestId('workflow-status').textContent(), LIVE).toBe('ACTIVE');

    // A key, shown once.
    await page.getByRole('link', { name: 'API keys' }).click();
    await page.getByLabel('Name').fill('ci-runner');
    await page.getByRole('button', { name: 'Create key' }).click();
    const key = (await page.getByTestId('secret-api-key').textContent()) as string;
    const signingSecret = (await page.getByTestId('secret-signing-secret').textContent()) as string;
    expect(key).toMatch(/^trl_live_/);
    expect(signingSecret).toMatch(/^trsk_/);
    await screenshot(page, 'api-key-created');
    await page.getByRole('button', { name: 'I have stored them' }).click();
    await expect.poll(() => page.getByTestId('secret-api-key').count(), LIVE).toBe(0);

    // The spend figure moves live when the test tracks a call.
    const token = (await page.evaluate(() => localStorage.getItem('trellis.session'))) as string;
    const me = await platform.graphql('{ me { memberships { organizationId } } }', {}, { token });
    const orgId = me.body.data.me.memberships[0].organizationId as string;
    const listed = await platform.graphql(
      'query($o: ID!) { workflows(orgId: $o) { items { id name } } }',
      { o: orgId },
      { token },
    );
    const workflowId = listed.body.data.workflows.items[0].id as string;

    await page.getByRole('link', { name: 'Overview' }).click();
    const spend = page.getByTestId('spend-total');
    await expect.poll(() => spend.textContent(), LIVE).toBe('$0.00');
    const tracked = await signedRest({ key, signingSecret }, 'POST', '/v1/track', {
      workflowId,
      costMicros: 2_500_000,
      model: 'gpt-4o-mini',
      inputTokens: 1200,
      outputTokens: 300,
    });
    expect(tracked.status).toBe(200);
    await expect.poll(() => spend.textContent(), LIVE).toBe('$2.50');
    await screenshot(page, 'overview');

    // A pause through the API reaches the open workflows page without a reload.
    await page.getByRole('link', { name: 'Workflows' }).click();
    await expect.poll(() => card.getByTestId('workflow-status').textContent(), LIVE).toBe('ACTIVE');
    const paused = await platform.graphql(
      'mutation($id: ID!, $o: ID!) { pauseWorkflow(id: $id, orgId: $o, reason: "ops") { status } }',
      { id: workflowId, o: orgId },
      { token },
    );
    expect(paused.body.data.pauseWorkflow.status).toBe('PAUSED');
    await expect.poll(() => card.getByTestId('workflow-status').textContent(), LIVE).toBe('PAUSED');

    // Kill from the UI, confirmed in a dialog.
    await card.getByRole('button', { name: 'Kill nightly-eval' }).click();
    const dialog = page.getByRole('dialog', { name: 'Kill nightly-eval?' });
    await dialog.getByRole('button', { name: 'Kill workflow' }).click();
    await expect.poll(() => card.getByTestId('workflow-status').textContent(), LIVE).toBe('KILLED');
    await expect.poll(() => card.getByRole('button', { name: /^Kill/ }).count(), LIVE).toBe(0);
    await screenshot(page, 'workflows');

    await jobsAndPipelineRuns(page, orgId, token);
    await computeTransitions(page, orgId, token);
    await agentsSchedulesVault(page, orgId, token);

    // A viewer of the same organization sees the workflow and no write button.
    const viewerEmail = `viewer-${randomBytes(4).toString('hex')}@example.com`;
    const viewerContext = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    const viewerPage = await newPage(viewerContext);
    await register(viewerPage, viewerEmail);
    await viewerPage.getByLabel('Organization name').waitFor();
    const added = await platform.graphql(
      'mutation($o: ID!, $e: String!) { addMember(orgId: $o, input: { email: $e, role: VIEWER }) { role } }',
      { o: orgId, e: viewerEmail },
      { token },
    );
    expect(added.body.data.addMember.role).toBe('VIEWER');
    await viewerPage.reload();
    await viewerPage.getByRole('link', { name: 'Workflows' }).click();
    const seen = viewerPage.getByTestId('workflow-nightly-eval');
    await seen.waitFor();
    expect(await seen.getByRole('button', { name: /Kill|Pause|Resume|Save budget/ }).count()).toBe(0);
    expect(await viewerPage.getByRole('button', { name: 'Create workflow' }).count()).toBe(0);
    expect(await viewerPage.getByRole('link', { name: 'API keys' }).count()).toBe(0);
    expect(await viewerPage.getByRole('link', { name: 'Vault' }).count()).toBe(0);
    // ... nor on any page with writes, with objects on them (a VM, a cluster, a job, a run, an agent, a schedule).
    for (const name of ['VMs and clusters', 'Jobs', 'Pipeline runs', 'Schedules', 'Agents', 'Billing']) {
      await openPage(viewerPage, name);
      await viewerPage.getByRole('heading', { level: 1, name: new RegExp(`^${name}`) }).waitFor();
      await expect.poll(() => viewerPage.getByText(/^Loading /).count(), LIVE).toBe(0);
      if (name === 'VMs and clusters') {
        await viewerPage.getByRole('button', { name: 'Transitions of VM train-1' }).click();
        await viewerPage.getByRole('button', { name: 'Details of cluster serve-1' }).click();
        await viewerPage.getByTestId('cluster-detail').getByRole('list').waitFor();
      }
      if (name === 'Agents') await viewerPage.getByTestId('agent-scout').waitFor();
      if (name === 'Schedules') await viewerPage.getByText('nightly release').waitFor();
      expect(await viewerPage.getByRole('alert').allTextContents(), name).toEqual([]);
      expect(await writeButtons(viewerPage), `viewer on ${name}`).toEqual([]);
    }
    await viewerContext.close();

    // A member lists the vault's credentials but cannot reveal one (credentials:reveal is admins'): no Reveal button.
    await ownerGql(
      token,
      'mutation($o: ID!) { putCredential(orgId: $o, input: { key: "HF_TOKEN", value: "hf-test-value" }) { key } }',
      { o: orgId },
    );
    const memberEmail = `member-${randomBytes(4).toString('hex')}@example.com`;
    const memberContext = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    const memberPage = await newPage(memberContext);
    await register(memberPage, memberEmail);
    await memberPage.getByLabel('Organization name').waitFor();
    await ownerGql(
      token,
      'mutation($o: ID!, $e: String!) { addMember(orgId: $o, input: { email: $e, role: MEMBER }) { role } }',
      { o: orgId, e: memberEmail },
    );
    await memberPage.reload();
    await openPage(memberPage, 'Vault');
    const memberRow = memberPage.getByTestId('credential-HF_TOKEN');
    await memberRow.waitFor();
    expect(await memberRow.getByRole('button').allTextContents()).toEqual([]);
    expect(await writeButtons(memberPage), 'member on Vault').toEqual([]);
    expect(await memberPage.getByRole('main').textContent()).not.toContain('hf-test-value');
    expect(await axeViolations(memberPage), 'Vault (member)').toEqual([]);
    await screenshot(memberPage, 'vault-member');
    await memberContext.close();

    // Every page of the navigation renders for the owner: its heading, no error, every control labelled.
    const pages = ['Overview', 'Workflows', 'Policies', 'Approvals', 'API keys', 'Members', 'Webhooks', 'Events'];
    const computePages = ['VMs and clusters', 'Jobs', 'Pipeline runs', 'Schedules', 'Agents', 'Vault'];
    for (const name of [...pages, ...computePages, 'Billing', 'Notifications']) {
      await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name, exact: true }).click();
      await page.getByRole('heading', { level: 1, name: new RegExp(`^${name}`) }).waitFor();
      await expect.poll(() => page.getByText(/^Loading /).count(), LIVE).toBe(0);
      expect(await page.getByRole('alert').allTextContents(), name).toEqual([]);
      expect(await unlabelledControls(page), name).toEqual([]);
      expect(await axeViolations(page), name).toEqual([]);
      if (name === 'Policies') await reorderPolicies(page);
      if (name === 'Billing') {
        // No Stripe on this platform: the cards section says so (and the CSP stays strict: see above).
        await page
          .getByTestId('cards')
          .getByText(/^Cards are not available/)
          .waitFor();
        await saveAutoRecharge(page, orgId, token);
      }
      if (['Members', 'Events', 'Policies'].includes(name)) await screenshot(page, name.toLowerCase());
    }

    // GraphiQL, signed in with the dashboard's session, runs a query.
    const graphiql = await newPage(owner);
    await graphiql.goto(`${platform.url}/graphql`);
    // The editor (Monaco, with its workers) loads after the page: run once it shows the default query.
    await graphiql.locator('.graphiql-query-editor').getByText('principalId').waitFor({ timeout: 30_000 });
    await graphiql.getByRole('button', { name: /Execute query/i }).click();
    await expect.poll(() => graphiql.locator('.graphiql-response').textContent(), LIVE).toMatch(/"kind":\s+"user"/);
    await screenshot(graphiql, 'graphiql');

    // Dark mode follows the system preference.
    await page.getByRole('link', { name: 'Overview' }).click();
    await page.emulateMedia({ colorScheme: 'dark' });
    expect(await page.evaluate('getComputedStyle(document.body).backgroundColor')).toBe('rgb(13, 17, 23)');
    expect(await axeViolations(page), 'Overview (dark)').toEqual([]);
    await screenshot(page, 'overview-dark');
    await page.emulateMedia({ colorScheme: 'light' });

    // Signing out returns to the sign-in form and ends the session on the server.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    expect(await axeViolations(page), 'Sign in').toEqual([]);
    // The audit itself can fail: an image without a text alternative is a critical violation.
    await page.evaluate("document.querySelector('main').append(document.createElement('img'))");
    expect(await axeViolations(page)).toEqual([expect.stringMatching(/^critical image-alt: /)]);
    await page.evaluate("document.querySelector('main img').remove()");
    const after = await platform.graphql('{ me { principalId } }', {}, { token });
    expect(after.body.errors?.[0]?.extensions?.code).toBe('unauthenticated');

    // A failed mutation shows the API's own message.
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent(), LIVE).toBe('Email or password is incorrect');

    await owner.close();
    expect(pageProblems).toEqual([]);
  }, 300_000);
});
