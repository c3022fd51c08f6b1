import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { DataSource } from 'typeorm';
import {
  dataSourceOptions,
  loadConfig,
  PiiCipher,
  replayStoredCase,
  replayStoredCases,
  type CaseReplayReport,
  type Queryable,
} from '@minsheng/infra';
import { isEntryPoint } from './entry-point.js';

/**
 * Replays cases from their event logs and compares the rebuilt machines with the stored cases and tasks
 * (docs/operations.md "Replay"):
 *   npm run replay                 every case, page by page; prints each case that differs and a summary
 *   npm run replay -- --case <id>  one case, its whole report as JSON
 * Exits 1 when any case diverged, could not be replayed or has a broken event chain.
 */
export interface ReplaySummary {
  readonly cases: number;
  readonly consistent: number;
  readonly notStarted: number;
  readonly diverged: number;
  readonly unreplayable: number;
  readonly chainBroken: number;
  /** The reports of the cases that are not consistent (a broken chain included). */
  readonly findings: readonly CaseReplayReport[];
}

export async function replayAll(q: Queryable, cipher: PiiCipher, pageSize = 200): Promise<ReplaySummary> {
  const counts = { cases: 0, consistent: 0, notStarted: 0, diverged: 0, unreplayable: 0, chainBroken: 0 };
  const findings: CaseReplayReport[] = [];
  let afterId: string | undefined;
  for (;;) {
    const page = await replayStoredCases(q, cipher, { afterId, limit: pageSize });
    if (page.length === 0) break;
    for (const report of page) {
      counts.cases += 1;
      if (report.verdict === 'consistent') counts.consistent += 1;
      if (report.verdict === 'not-started') counts.notStarted += 1;
      if (report.verdict === 'diverged') counts.diverged += 1;
      if (report.verdict === 'unreplayable') counts.unreplayable += 1;
      if (!report.chain.ok) counts.chainBroken += 1;
      if (!report.chain.ok || report.verdict === 'diverged' || report.verdict === 'unreplayable') findings.push(report);
    }
    afterId = page.at(-1)!.caseId;
  }
  return { ...counts, findings };
}

if (isEntryPoint(import.meta.url)) {
  const { values } = parseArgs({
    options: { case: { type: 'string' }, 'page-size': { type: 'string', default: '200' } },
  });
  const pageSize = Number(values['page-size']);
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 5000) {
    console.error('usage: npm run replay -- [--case <uuid>] [--page-size 1..5000]');
    process.exit(2);
  }
  if (
    values.case !== undefined &&
    !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(values.case)
  ) {
    console.error('--case must be a case id (a UUID)');
    process.exit(2);
  }
  const config = loadConfig(process.env);
  // Findings kept as encrypted case notes are read back for the replay (docs/operations.md "Replay").
  const cipher = new PiiCipher(config.pii.encryptionKey, config.pii.hashKey);
  const dataSource = new DataSource(dataSourceOptions(config, { poolSize: 1 }));
  await dataSource.initialize();
  try {
    if (values.case !== undefined) {
      const report = await replayStoredCase(dataSource, cipher, values.case);
      if (report === undefined) {
        console.error(`no case ${values.case}`);
        process.exitCode = 1;
      } else {
        console.log(JSON.stringify(report, null, 2));
        process.exitCode = report.chain.ok && ['consistent', 'not-started'].includes(report.verdict) ? 0 : 1;
      }
    } else {
      const summary = await replayAll(dataSource, cipher, pageSize);
      for (const finding of summary.findings) console.log(JSON.stringify(finding));
      const { findings, ...counts } = summary;
      console.log(JSON.stringify({ summary: counts }));
      process.exitCode = findings.length === 0 ? 0 : 1;
    }
  } finally {
    await dataSource.destroy();
  }
}
