import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { gzipSync } from 'node:zlib';
import { Queue } from 'bullmq';
import { chromium, type Browser, type Page } from 'playwright-core';
import { happyPathSteps } from '../../bench/support/minimum-living-path.js';
import { seedCases } from '../../bench/support/seed.js';
import { decideOverHttp, submitMinimumLiving, taskOfCase } from '../support/e2e-case.js';
import { eventually } from '../support/given.js';
import { getJson } from '../support/http.js';
import { freePort, REPO_ROOT, runNode, type RunningProcess } from '../support/processes.js';
import { startOidcProvider, type TestOidcProvider } from '../support/oidc-provider.js';
import { staffToken, tianshanReviewers } from '../support/staff.js';
import { createTestEnvironment, type TestEnvironment } from '../support/test-environment.js';
import { clockIdOf, promoteClockTimer } from '../support/time-travel.js';
import { endOfDayInShanghai } from '../../libs/domain/src/index.js';
import { QUEUES } from '../../libs/infra/src/index.js';

/** Debian's Chromium (`.ci/run` installs it); playwright-core drives it and downloads no browser of its own. */
const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
/** The screenshots the README points to (docs/console.md). */
const SCREENSHOTS = join(REPO_ROOT, 'docs', 'screenshots');
const PAGE_WEIGHT_LIMIT_BYTES = 300 * 1024;
const AXE_SOURCE = readFileSync(join(REPO_ROOT, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** axe-core run in the page (evaluated through the DevTools protocol, which the page's CSP does not govern). */
async function seriousViolations(page: Page): Promise<string[]> {
  await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run: () => Promise<{ violations: AxeViolation[] }> } }).axe;
    return (await axe.run()).violations;
  });
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

// The console in a real browser against gateway and worker as two compiled processes (`npm run build` first): a
// street reviewer of 燕儿窝街道 signs in, claims and decides a new minimum-living task, is refused the next step by
// separation of duties; the district approver sees the approval task; an operator sees the case late on the SLA
// board of a gateway whose business time has passed its due date.
describe('the console (apps/console) in Chromium', () => {
  let env: TestEnvironment;
  let gateway: RunningProcess;
  let worker: RunningProcess;
  let lateGateway: RunningProcess | undefined;
  let oidcGateway: RunningProcess | undefined;
  let provider: TestOidcProvider | undefined;
  /** The case the first journey leaves at the district approval (the supervisor reassigns its task). */
  let approvalCaseId: string | undefined;
  let base: string;
  let browser: Browser;
  const cspViolations: string[] = [];

  beforeAll(async () => {
    env = await createTestEnvironment('e2e console');
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    const processEnv = { ...env.env, GATEWAY_PORT: String(port), HEARTBEAT_EVERY_MS: '60000', LOG_LEVEL: 'warn' };
    gateway = runNode('dist/apps/gateway/src/main.js', processEnv);
    worker = runNode('dist/apps/worker/src/main.js', processEnv);
    await gateway.waitFor(/minsheng gateway listening/);
    await worker.waitFor(/minsheng worker running/);
    // The browser keeps the machine's own time: a faked clock (CI's faketime runs, by LD_PRELOAD) stalls Chromium's
    // input handling, and only the servers' business clock matters to what the console shows.
    const { LD_PRELOAD: _preload, FAKETIME: _faketime, ...browserEnv } = process.env;
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, env: browserEnv });
    mkdirSync(SCREENSHOTS, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await lateGateway?.stop();
    await oidcGateway?.stop();
    await provider?.close();
    await gateway?.stop();
    await worker?.stop();
    await env?.teardown();
  });

  /** A fresh browser tab (its own memory: a token never outlives it), signed in as one of the sample identities. */
  async function signIn(identity: string, at = base): Promise<Page> {
    const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
    });
    await page.goto(`${at}/console/`);
    await page.locator(`button[data-identity="${identity}"]`).click();
    return page;
  }

  it('serves the page with a strict CSP, caches hashed assets for good, and weighs at most 300 KB gzipped', async () => {
    const index = await fetch(`${base}/console/`);
    expect(index.status).toBe(200);
    expect(index.headers.get('cache-control')).toBe('no-cache');
    const csp = index.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    const html = await index.text();
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    const assets = [...html.matchAll(/(?:src|href)="(\/console\/assets\/[^"]+)"/g)].map((m) => m[1]!);
    expect(assets.length).toBeGreaterThanOrEqual(1);
    let weight = gzipSync(Buffer.from(html)).length;
    for (const asset of assets) {
      const answer = await fetch(`${base}${asset}`);
      expect([asset, answer.status, answer.headers.get('cache-control')]).toEqual([
        asset,
        200,
        'public, max-age=31536000, immutable',
      ]);
      weight += gzipSync(Buffer.from(await answer.arrayBuffer())).length;
    }
    console.log(`console first load: ${(weight / 1024).toFixed(1)} KB gzipped (${assets.length + 1} files)`);
    expect(weight).toBeLessThanOrEqual(PAGE_WEIGHT_LIMIT_BYTES);
    // A path under /console that is not a file is the page again (a reload keeps the console), still no-cache.
    const deep = await fetch(`${base}/console/inbox`);
    expect([deep.status, deep.headers.get('cache-control')]).toEqual([200, 'no-cache']);
  });

  it('takes a new minimum-living case from the street reviewer to the district approver and the SLA board', async () => {
    const caseId = await submitMinimumLiving(env, base, 'console portal');
    approvalCaseId = caseId;
    const reviewers = await tianshanReviewers(env.env);
    const caseStatus = async () =>
      (await getJson(`${base}/v1/staff/cases/${caseId}`, { headers: reviewers.streetB.headers })).body;
    await eventually(async () => (await caseStatus()).currentSteps?.includes('acceptance'), 20_000);

    // 燕儿窝街道's reviewer signs in and finds the new task in the inbox (Chinese by default).
    const street = await signIn('street-reviewer');
    const row = street.locator(`tr[data-case="${caseId}"][data-step="acceptance"]`);
    await row.waitFor();
    await expect(street.locator('h2#inbox-title').textContent()).resolves.toBe('待办任务');
    await street.screenshot({ path: join(SCREENSHOTS, 'inbox.png'), fullPage: true });
    expect(await seriousViolations(street)).toEqual([]);

    // The task: claim it, then approve the acceptance through the form the task's outcomes generate.
    await row.locator('a').click();
    await street.locator('h2#task-title').waitFor();
    await street.getByRole('button', { name: '认领' }).click();
    await street.getByRole('status').filter({ hasText: '已认领' }).waitFor();
    await street.locator('dd', { hasText: 'dev-street-reviewer' }).waitFor();
    await street.screenshot({ path: join(SCREENSHOTS, 'task.png'), fullPage: true });
    expect(await seriousViolations(street)).toEqual([]);
    await street.getByRole('radio', { name: '同意' }).check();
    await street.getByRole('button', { name: '提交' }).click();
    await street.getByRole('status').filter({ hasText: '已提交' }).waitFor();
    await eventually(async () => (await caseStatus()).currentSteps?.includes('investigation'), 20_000);

    // The same reviewer opens the investigation: the server refuses the consecutive step, and the console says so
    // in the server's words (here a rejection, which the machine would take, so the refusal is the duties rule).
    await street.evaluate("window.location.hash = '#/inbox'");
    const investigation = street.locator(`tr[data-case="${caseId}"][data-step="investigation"]`);
    await investigation.waitFor();
    await investigation.locator('a').click();
    // Approving an investigation needs its findings: the machine says so through the task, the form asks for them.
    await street.getByRole('radio', { name: '同意' }).check();
    await street.getByLabel('入户调查日期').waitFor();
    await expect(street.getByLabel('信息核查结果').locator('option').allTextContents()).resolves.toEqual([
      '',
      'consistent',
      'inconsistent',
    ]);
    await street.getByRole('radio', { name: '不予批准' }).check();
    await street.getByRole('button', { name: '提交' }).click();
    const refusal = street.getByRole('alert');
    await refusal.waitFor();
    expect(await refusal.textContent()).toContain('you may not decide this task: no-consecutive-steps');
    await street.screenshot({ path: join(SCREENSHOTS, 'separation-of-duties.png'), fullPage: true });
    // The English toggle relabels the page.
    await street.getByRole('button', { name: 'English' }).click();
    await street.getByRole('heading', { name: 'Decision' }).waitFor();

    // Other street reviewers take investigation and review; the 7-day public notice ends (its timer promoted).
    const decide = async (headers: Record<string, string>, step: string, body: Record<string, unknown>) => {
      expect([step, await decideOverHttp(base, caseId, headers, step, body)]).toEqual([step, 202]);
    };
    await decide(reviewers.streetB.headers, 'investigation', {
      outcome: 'approve',
      findings: { homeVisitDate: '2026-06-02', dataCheck: 'consistent', verifiedHouseholdIncomeFen: 25_000 },
    });
    await decide(reviewers.streetC.headers, 'street-review', { outcome: 'approve' });
    await eventually(async () => (await caseStatus()).status === 'public-notice', 20_000);
    const clocks = await getJson(`${base}/v1/staff/cases/${caseId}/clocks`, { headers: reviewers.streetB.headers });
    const notice = clocks.body.clocks.find((c: { clock: string }) => c.clock === 'public-notice');
    await promoteClockTimer(env, notice.id, 'due');

    // 天山区's approver signs in and sees the approval task.
    const district = await signIn('district-approver');
    await eventually(async () => {
      await district.getByRole('button', { name: '查询' }).click();
      return district.locator(`tr[data-case="${caseId}"][data-step="approval"]`).isVisible();
    }, 20_000);

    // An operator on a gateway whose business time is a day past the case's overall due date sees it late.
    const overall = clocks.body.clocks.find((c: { clock: string }) => c.clock === 'overall');
    expect(overall?.dueAt).toEqual(expect.any(String));
    const latePort = await freePort();
    const lateBase = `http://127.0.0.1:${latePort}`;
    const after = new Date(new Date(overall.dueAt).getTime() + 86_400_000).toISOString();
    lateGateway = runNode('dist/apps/gateway/src/main.js', {
      ...env.env,
      GATEWAY_PORT: String(latePort),
      CLOCK_START: after,
      LOG_LEVEL: 'warn',
    });
    await lateGateway.waitFor(/minsheng gateway listening/);
    const operator = await signIn('operator', lateBase);
    const boardRow = operator.locator(`tr[data-case="${caseId}"]`).first();
    await boardRow.waitFor();
    expect(await boardRow.textContent()).toContain('超期');
    // The board over time (an inline SVG, one point per day) and the time-to-breach forecast per office: the
    // approval task waits at 天山区.
    await expect(operator.locator('svg.chart').getAttribute('data-points')).resolves.toBe('14');
    await operator.locator('section.forecast tr[data-division="650102"]').waitFor();
    await operator.screenshot({ path: join(SCREENSHOTS, 'sla-board.png'), fullPage: true });
    expect(await seriousViolations(operator)).toEqual([]);
    // A command that is not one of the queue contract fails at once on the worker (COMMAND.INVALID, permanent): the
    // queues page lists it among the failed jobs, and the operator discards it.
    const commands = new Queue(QUEUES.caseCommands, {
      connection: env.queueConnection,
      prefix: env.config.redis.queuePrefix,
    });
    const badCommand = await commands.add('apply', { not: 'a command' }, { jobId: 'e2e-bad-command', attempts: 1 });
    await eventually(async () => (await badCommand.getState()) === 'failed', 20_000);
    for (const page of ['queues', 'stuck'] as const) {
      await operator.getByRole('link', { name: page === 'queues' ? '队列' : '卡滞案件' }).click();
      await operator.locator(`h2#${page}-title`).waitFor();
      if (page === 'queues') await operator.locator('table.failed-jobs tr[data-job="e2e-bad-command"]').waitFor();
      await operator.screenshot({ path: join(SCREENSHOTS, `${page}.png`), fullPage: true });
      expect(await seriousViolations(operator)).toEqual([]);
    }
    await operator.getByRole('link', { name: '队列' }).click();
    await operator.getByRole('button', { name: '丢弃 e2e-bad-command' }).click();
    await operator.getByRole('status').filter({ hasText: 'e2e-bad-command: discard' }).waitFor();
    await expect(commands.getJob('e2e-bad-command')).resolves.toBeUndefined();
    await commands.close();
    await operator.locator('tr[data-job="e2e-bad-command"]').waitFor({ state: 'detached' });

    // Calendar publication: a clock of the case that counts into 2027 waits for that year (no calendar published);
    // the page shows it waiting, drafts 2027 from the rules, publishes both layers as provisional and shows the
    // worker's recomputation moving it.
    await env.db.query(
      `INSERT INTO case_clocks (case_id, clock, kind, limit_amount, unit, source, started_at, due_at, calendar_missing)
       VALUES ($1, 'e2e-new-year', 'deadline', 10, 'working-days', 'test', '2026-12-24T02:00:00Z', NULL,
               'national/2027')`,
      [caseId],
    );
    await operator.getByRole('link', { name: '工作日历' }).click();
    await operator.getByLabel('年份').fill('2027');
    await operator.getByRole('button', { name: '查询' }).click();
    const waiting = operator.locator('p.waiting strong', { hasText: /^\d+$/ });
    await waiting.waitFor();
    await expect(waiting.textContent()).resolves.toBe('1');
    await operator.getByRole('button', { name: '按规则起草' }).click();
    await operator.locator('section.draft').getByText('春节').first().waitFor();
    expect(await seriousViolations(operator)).toEqual([]);
    await operator.getByRole('button', { name: '作为临时日历发布' }).click();
    await operator.getByRole('status').filter({ hasText: 'xinjiang v1' }).waitFor();
    // Each layer's recomputation runs on the worker; whichever finds the clock countable moves it (the national one
    // too, when it runs after the Xinjiang layer is in): both done, at least one clock moved, none waiting any more.
    const done = operator.locator('table.recomputations tr[data-state="done"]');
    await eventually(async () => (await done.count()) === 2, 30_000);
    const moved = (await done.locator('td.moved').allTextContents()).map(Number);
    expect(moved.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(1);
    await operator.locator('p.waiting strong', { hasText: /^0$/ }).waitFor();
    await expect(operator.locator('table.versions tr[data-status="provisional"]').count()).resolves.toBe(2);
    await operator.screenshot({ path: join(SCREENSHOTS, 'calendars.png'), fullPage: true });
    expect(await seriousViolations(operator)).toEqual([]);

    // The official notices typed in, the national one first: each previewed (the version it would be and the clocks
    // it would move), then published, and the worker's recomputation of that version moves exactly what the preview
    // said. The national notice confirms the draft's days: the clock of 2027 (counted in Xinjiang, whose 2026 layer
    // is still provisional) keeps its due date and mark. The Xinjiang notice adds a rest day on Tue 5 Jan 2027 that
    // the draft could not know: the clock's 10th working day moves from Fri 8 Jan to Mon 11 Jan.
    type DraftLayer = Record<'holidays' | 'makeUpWorkdays' | 'restDayOverrides', { date: string; name: string }[]>;
    const draft = (
      await getJson(`${lateBase}/v1/calendar/2027/draft`, {
        method: 'POST',
        headers: (
          await staffToken(env.env, 'e2e-operator', { level: 'city', divisions: ['650100'], roles: ['operator'] })
        ).headers,
      })
    ).body as { national: DraftLayer; xinjiang: DraftLayer };
    const lines = (list: { date: string; name: string }[]) => list.map((d) => `${d.date} ${d.name}`).join('\n');
    const officialForm = operator.locator('form.notice');
    for (const region of ['national', 'xinjiang'] as const) {
      await officialForm.getByLabel('地区').selectOption(region);
      const extra = region === 'xinjiang' ? [{ date: '2027-01-05', name: 'e2e 自治区通知增加的休息日' }] : [];
      await officialForm.getByLabel('节假日').fill(lines([...draft[region].holidays, ...extra]));
      await officialForm.getByLabel('调休上班日').fill(lines(draft[region].makeUpWorkdays));
      await officialForm.getByLabel('本地休息日调整').fill(lines(draft[region].restDayOverrides));
      await officialForm.getByLabel('发文机关').fill(region === 'national' ? '国务院办公厅' : '自治区人民政府办公厅');
      await officialForm.getByLabel('通知标题').fill(`2027年部分节假日安排的通知（${region}）`);
      await officialForm.getByLabel('依据可靠程度').selectOption('V');
      await officialForm.getByLabel('依据出处（每行一条）').fill(`e2e 2027 ${region}`);
      await officialForm.getByRole('button', { name: '预览影响' }).click();
      // A refusal would show as an alert instead of the preview.
      await operator.locator('form.notice section.preview, [role="alert"]').first().waitFor();
      expect(await operator.getByRole('alert').allTextContents()).toEqual([]);
      await expect(officialForm.locator('section.preview dd').first().textContent()).resolves.toBe(
        `${region} v2 (正式)`,
      );
      const wouldMove = Number(await officialForm.locator('dd.would-move').textContent());
      expect(Number(await officialForm.locator('dd.candidates').textContent())).toBeGreaterThanOrEqual(1);
      expect(wouldMove).toBe(region === 'national' ? 0 : 1);
      if (region === 'xinjiang') {
        expect(await seriousViolations(operator)).toEqual([]);
        await operator.screenshot({ path: join(SCREENSHOTS, 'calendar-official-preview.png'), fullPage: true });
      }
      await officialForm.getByRole('button', { name: '作为正式日历发布' }).click();
      await operator
        .getByRole('status')
        .filter({ hasText: `${region} v2 (正式)` })
        .waitFor();
      const official = operator.locator(`table.recomputations tr[data-region="${region}"][data-state="done"]`);
      await eventually(async () => (await official.count()) === 2, 30_000);
      const { rows: recomputed } = await env.db.query<{ changed: number }>(
        `SELECT changed FROM calendar_recomputations WHERE region = $1 AND year = 2027 AND version = 2`,
        [region],
      );
      expect(recomputed).toEqual([{ changed: wouldMove }]);
    }
    await expect(operator.locator('table.versions tr[data-status="official"]').count()).resolves.toBe(2);
    const { rows: moved2027 } = await env.db.query<{ due_at: Date }>(
      `SELECT due_at FROM case_clocks WHERE case_id = $1 AND clock = 'e2e-new-year'`,
      [caseId],
    );
    expect(moved2027.map((r) => new Date(r.due_at).toISOString())).toEqual([
      endOfDayInShanghai('2027-01-11').toISOString(),
    ]);

    expect(cspViolations).toEqual([]);
  });

  it('lets the supervisor acknowledge an escalation and reassign a claimed task', async () => {
    expect(approvalCaseId).toEqual(expect.any(String));
    const caseId = approvalCaseId!;
    // The district approval of the first journey, claimed by a district reviewer.
    const approver = await staffToken(env.env, 'district-d', { level: 'district', divisions: ['650102'] });
    const approvalTask = await taskOfCase(base, caseId, approver.headers, 'approval');
    const claim = await getJson(`${base}/v1/tasks/${approvalTask}/claim`, {
      method: 'POST',
      headers: approver.headers,
    });
    expect(claim.status).toBe(200);
    // A new case, accepted, whose overall limit (30 working days from acceptance) breaches while its investigation
    // waits at the street office: the breach opens an escalation (督办) for the district bureau one level up (the
    // timer promoted, the worker does the rest).
    const late = await submitMinimumLiving(env, base, 'console supervision');
    const { streetA } = await tianshanReviewers(env.env);
    expect(await decideOverHttp(base, late, streetA.headers, 'acceptance', { outcome: 'approve' })).toBe(202);
    await promoteClockTimer(env, await clockIdOf(env, late, 'overall'), 'due');
    const escalations = async () =>
      (await env.db.query(`SELECT id, closed_at FROM tasks WHERE case_id = $1 AND kind = 'escalation'`, [late]))
        .rows as { id: string; closed_at: Date | null }[];
    await eventually(async () => (await escalations()).length === 1, 20_000);

    const supervisor = await signIn('supervisor');
    await supervisor.getByRole('link', { name: '督办' }).click();
    await supervisor.locator('h2#supervision-title').waitFor();
    const escalation = supervisor.locator(`table.escalations tr[data-case="${late}"]`);
    await escalation.waitFor();
    const claimed = supervisor.locator(`table.claimed tr[data-case="${caseId}"][data-step="approval"]`);
    await claimed.waitFor();
    expect(await claimed.textContent()).toContain('staff:district-d');
    await supervisor.screenshot({ path: join(SCREENSHOTS, 'supervision.png'), fullPage: true });
    expect(await seriousViolations(supervisor)).toEqual([]);

    // An acknowledgement without what was done is refused in the server's words; with it, the escalation closes.
    await escalation.getByRole('button', { name: '确认督办' }).click();
    await supervisor.getByRole('alert').filter({ hasText: 'comment' }).waitFor();
    await escalation.getByRole('textbox').fill('已电话督促燕儿窝街道三日内完成受理');
    await escalation.getByRole('button', { name: '确认督办' }).click();
    await supervisor.getByRole('status').filter({ hasText: '已确认督办' }).waitFor();
    expect((await escalations()).every((task) => task.closed_at !== null)).toBe(true);

    // The late case's overall limit is extended (低保: 30 → 45 working days, once) with a recorded reason.
    const extension = supervisor.getByRole('region', { name: '延长办理时限' });
    await extension.getByLabel('案件编号').fill(late);
    await extension.getByLabel('延期理由').fill('入户调查需补充外地户籍核查');
    await extension.getByRole('button', { name: '申请延期' }).click();
    await supervisor.getByRole('status').filter({ hasText: '延期申请已提交' }).waitFor();
    await eventually(async () => {
      const { rows } = await env.db.query(
        `SELECT jsonb_array_length(extensions) AS n FROM case_clocks WHERE case_id = $1 AND clock = 'overall'`,
        [late],
      );
      return rows[0]?.n === 1;
    }, 20_000);

    // The claimed approval goes to another reviewer of the bureau, with a reason.
    await claimed.getByLabel(/改派给/).fill('district-e');
    await claimed.getByLabel(/改派原因/).fill('原审批人休假');
    await claimed.getByRole('button', { name: '改派' }).click();
    await supervisor.getByRole('status').filter({ hasText: '已改派' }).waitFor();
    const task = await getJson(`${base}/v1/tasks/${approvalTask}`, { headers: approver.headers });
    expect(task.body.task.claimedBy).toBe('staff:district-e');
    const { rows: events } = await env.db.query(
      `SELECT type, actor, payload FROM case_events WHERE case_id = ANY($1) AND type IN ('ESCALATION_ACKNOWLEDGED', 'TASK_REASSIGNED') ORDER BY seq`,
      [[caseId, late]],
    );
    expect(events.map((e) => [e.type, e.actor])).toEqual(
      expect.arrayContaining([
        ['ESCALATION_ACKNOWLEDGED', 'staff:dev-supervisor'],
        ['TASK_REASSIGNED', 'staff:dev-supervisor'],
      ]),
    );
    expect(events.find((e) => e.type === 'TASK_REASSIGNED')?.payload).toMatchObject({
      taskId: approvalTask,
      from: 'staff:district-d',
      to: 'staff:district-e',
      reason: expect.stringMatching(/^case-note:/),
    });
    const { rows: audit } = await env.db.query(
      `SELECT actor FROM audit_log WHERE action = 'task.reassign' AND target = $1`,
      [`task:${approvalTask}`],
    );
    expect(audit).toEqual([{ actor: 'staff:dev-supervisor' }]);
    // The reviewer the approval was reassigned to approves the case (over the API): its allowance is paid from the
    // month after, July.
    const reassignedTo = await staffToken(env.env, 'district-e', { level: 'district', divisions: ['650102'] });
    expect(await decideOverHttp(base, caseId, reassignedTo.headers, 'approval', { outcome: 'approve' })).toBe(202);
    await eventually(
      async () =>
        (await getJson(`${base}/v1/staff/cases/${caseId}`, { headers: approver.headers })).body.status === 'approved',
      20_000,
    );
    const operator = await signIn('operator');

    // Payment runs: the operator opens July's run; the worker builds it with the case's line.
    await operator.getByRole('link', { name: '资金发放' }).click();
    await operator.getByLabel('月份').fill('2026-07');
    await operator.getByRole('button', { name: '生成发放批次' }).click();
    await operator.getByRole('status').filter({ hasText: '2026-07' }).waitFor();
    await operator.locator('tr[data-month="2026-07"]').waitFor();
    await operator.locator('section.run[data-state="ready"]').waitFor({ timeout: 30_000 });
    await operator.locator('tr[data-month="2026-07"]', { hasText: '待导出' }).waitFor();
    await operator.screenshot({ path: join(SCREENSHOTS, 'payment-runs.png'), fullPage: true });
    expect(await seriousViolations(operator)).toEqual([]);
    // The district and bank's payment file, downloaded; then the bank's answer for its line, imported.
    await operator.getByRole('button', { name: '导出发放文件' }).first().click();
    const link = operator.locator('a[download]');
    await link.waitFor();
    const [download] = await Promise.all([operator.waitForEvent('download'), link.click()]);
    const csv = readFileSync((await download.path())!, 'utf8');
    const lines = csv.trim().split(/\r?\n/);
    expect(lines[0]).toMatch(/^line_id,month,case_tracking_number,/);
    expect(lines[lines.length - 1]).toMatch(/^#checksum,lines=1,/);
    const lineId = lines[1]!.split(',')[0]!;
    await operator.locator('section.run[data-state="exported"]').waitFor();
    await operator.getByLabel('银行回盘文件（CSV）').fill(`line_id,outcome,reason\r\n${lineId},paid,\r\n`);
    await operator.getByRole('button', { name: '导入回盘结果' }).click();
    await operator.getByRole('status').filter({ hasText: '已发放 1' }).waitFor();
    await operator.locator('section.run[data-state="confirmed"]').waitFor();

    // A finance officer (development sign-in) sees the payment runs and nothing else: the confirmed run of July.
    const finance = await signIn('finance');
    await finance.locator('tr[data-month="2026-07"]').waitFor();
    await expect(finance.locator('nav[aria-label="main"] a').allTextContents()).resolves.toEqual(['资金发放']);
    // An operator's page asked for by address shows the payment runs instead.
    await finance.evaluate(() => {
      (globalThis as unknown as { location: { hash: string } }).location.hash = '#/calendars';
    });
    await finance.waitForURL(/#\/calendars$/);
    await finance.locator('h2#payments-title').waitFor();
    await expect(finance.locator('h2#calendars-title').count()).resolves.toBe(0);
    expect(await seriousViolations(finance)).toEqual([]);
    await finance.screenshot({ path: join(SCREENSHOTS, 'payment-runs-finance.png'), fullPage: true });
    expect(cspViolations).toEqual([]);
  });

  it('signs a reviewer in through the identity provider (OpenID Connect, code with PKCE) and reaches the inbox', async () => {
    const port = await freePort();
    const oidcBase = `http://127.0.0.1:${port}`;
    provider = await startOidcProvider({
      clientId: 'minsheng-console',
      redirectUri: `${oidcBase}/console/`,
      audience: env.config.jwt.audience,
      identities: [
        {
          sub: 'idp-street-reviewer',
          name: '统一认证 李娜',
          department: 'civil-affairs',
          level: 'street',
          divisions: ['650102002'],
          roles: ['reviewer'],
        },
      ],
    });
    oidcGateway = runNode('dist/apps/gateway/src/main.js', {
      ...env.env,
      GATEWAY_PORT: String(port),
      JWT_JWKS_URL: provider.jwksUrl,
      JWT_ISSUER: provider.issuer,
      OIDC_CLIENT_ID: 'minsheng-console',
      LOG_LEVEL: 'warn',
    });
    await oidcGateway.waitFor(/minsheng gateway listening/);
    // The identity provider's origin may be fetched (discovery, token endpoint); nothing else is loosened.
    const csp = (await fetch(`${oidcBase}/console/`)).headers.get('content-security-policy') ?? '';
    expect(csp).toContain(`connect-src 'self' ${provider.issuer}`);
    expect((await fetch(`${oidcBase}/v1/dev/identities`)).status).toBe(404);

    const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${oidcBase}/console/`);
    await page.getByRole('button', { name: '通过统一身份认证登录' }).click();
    await page.waitForURL(`${provider.issuer}/authorize?**`);
    const authorize = new URL(page.url());
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize.searchParams.get('nonce')).toEqual(expect.any(String));
    await page.getByRole('button', { name: '统一认证 李娜' }).click();
    await page.locator('h2#inbox-title').waitFor();
    await expect(page.locator('.who').textContent()).resolves.toBe('统一认证 李娜');
    // The code and state are gone from the address; no token (nor the PKCE verifier) stays in the tab's storage.
    expect(page.url()).toBe(`${oidcBase}/console/#/inbox`);
    await expect(page.evaluate('[localStorage.length, sessionStorage.length, document.cookie]')).resolves.toEqual([
      0,
      0,
      '',
    ]);
    expect([provider.redeemed, provider.refused]).toEqual([1, []]);
    // The inbox answered with the provider's token: the page shows tasks or says there are none, not a refusal.
    await page.locator('table.tasks, p:text("没有待办任务")').first().waitFor();
    expect(await page.getByRole('alert').count()).toBe(0);
    await page.screenshot({ path: join(SCREENSHOTS, 'oidc-inbox.png'), fullPage: true });
    await context.close();
    // A callback this tab never started (a forged or replayed link) signs no one in and redeems nothing.
    const forged = await browser.newContext({ locale: 'zh-CN' });
    const stranger = await forged.newPage();
    await stranger.goto(`${oidcBase}/console/?code=forged&state=forged`);
    await stranger.getByRole('alert').filter({ hasText: 'no sign-in was started' }).waitFor();
    expect(await stranger.locator('h2#inbox-title').count()).toBe(0);
    expect(provider.redeemed).toBe(1);
    await forged.close();
  });

  it('renders the first inbox page of an office with 10,000 open tasks (time printed)', async () => {
    const steps = happyPathSteps();
    await seedCases(env.db, {
      tag: 'console-inbox',
      count: 10_000,
      states: [{ snapshot: steps[2]!.before, status: steps[2]!.status, currentSteps: ['investigation'] }],
      withTasks: true,
      withClocks: false,
    });
    // All of them in one office's inbox: 天山区's approvals (the supervisor works there too).
    const moved = await env.db.query(
      `UPDATE tasks SET level = 'district', division_code = '650102', department_code = 'civil-affairs'
       WHERE closed_at IS NULL`,
    );
    expect(moved.rowCount).toBeGreaterThanOrEqual(10_000);
    const page = await signIn('supervisor');
    const started = performance.now();
    await page.locator('table.tasks tbody tr').nth(49).waitFor();
    const elapsed = performance.now() - started;
    console.log(
      `inbox of ${moved.rowCount} open tasks: first page (50 rows) rendered ${elapsed.toFixed(0)} ms after sign-in`,
    );
    expect(await page.locator('table.tasks tbody tr').count()).toBe(50);
    await page.getByRole('button', { name: '下一页' }).click();
    await page.getByRole('button', { name: '第一页' }).waitFor();
    expect(await page.locator('table.tasks tbody tr').count()).toBe(50);
  });
});
