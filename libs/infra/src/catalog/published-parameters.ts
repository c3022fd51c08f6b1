import { Injectable, Logger, Module, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import {
  parameterSeedId,
  STANDARD_PARAMETERS,
  type Evidence,
  type ParameterBound,
  type ParameterUnit,
  type StandardParameter,
  isConfirmed,
} from '@minsheng/domain';
import { type Queryable } from '../case-log/case-event-chain.js';

/**
 * The live values of every standard parameter in `catalog_parameters` (superseded corrections left out), as the
 * domain's effective-dated records. PostgreSQL is the source of truth for amounts (docs/architecture.md invariant
 * 13): the compiled catalog only seeds an empty database.
 */
export async function loadPublishedParameters(q: Queryable): Promise<StandardParameter[]> {
  const rows = (await q.query(
    `SELECT key, item_code, value_fen::text AS value_fen, value_number::text AS value_number, unit, bound,
            valid_from::text AS valid_from, valid_from_precision, valid_to::text AS valid_to, source, evidence, note,
            seed_id
       FROM catalog_parameters WHERE superseded_at IS NULL
      ORDER BY key, COALESCE(valid_from, '-infinity'::date), id`,
  )) as {
    key: string;
    item_code: string;
    value_fen: string | null;
    value_number: string | null;
    unit: string;
    bound: string;
    valid_from: string | null;
    valid_from_precision: string;
    valid_to: string | null;
    source: string;
    evidence: string;
    note: string | null;
    seed_id: string | null;
  }[];
  return rows.map((row) => ({
    key: row.key,
    itemCode: row.item_code as StandardParameter['itemCode'],
    value: Number(row.value_fen ?? row.value_number),
    unit: row.unit as ParameterUnit,
    bound: row.bound as ParameterBound,
    validFrom: row.valid_from,
    validFromPrecision: row.valid_from_precision as StandardParameter['validFromPrecision'],
    validTo: row.valid_to,
    source: row.source,
    evidence: row.evidence as Evidence,
    confirmed: isConfirmed(row.evidence as Evidence),
    note: row.note,
    // A value loaded from the code keeps the horizon its source is known for; an operator's value has none.
    knownUntil: row.seed_id === null ? null : (KNOWN_UNTIL_BY_SEED.get(row.seed_id) ?? null),
  }));
}

const KNOWN_UNTIL_BY_SEED = new Map(
  STANDARD_PARAMETERS.filter((p) => p.knownUntil != null).map((p) => [parameterSeedId(p), p.knownUntil!]),
);

/** How stale a process's copy of the published parameters may be (as the calendars, docs/domain.md §7). */
export const PARAMETER_CACHE_REFRESH_MS = 30_000;

/**
 * The published parameters, read at start and every PARAMETER_CACHE_REFRESH_MS, so neither intake nor an engine
 * step reads the table. A value is published to start today or later (never backdated), and the process that
 * publishes it reloads at once; other processes see it within the refresh interval.
 */
@Injectable()
export class PublishedParameters implements OnApplicationBootstrap, OnModuleDestroy {
  private parameters: readonly StandardParameter[] = [];
  private refresh?: NodeJS.Timeout;
  private readonly logger = new Logger(PublishedParameters.name);

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.reload();
    this.refresh = setInterval(() => void this.reload(), PARAMETER_CACHE_REFRESH_MS);
    this.refresh.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.refresh);
  }

  current(): readonly StandardParameter[] {
    return this.parameters;
  }

  /** Reads the published parameters now; a failed read keeps the previous copy (and is logged). */
  async reload(): Promise<readonly StandardParameter[]> {
    try {
      this.parameters = await loadPublishedParameters(this.dataSource);
    } catch (error) {
      this.logger.warn({ err: error }, 'could not reload the published parameters; keeping the previous copy');
    }
    return this.parameters;
  }
}

/** One copy of the published parameters per process, shared by the modules that compute amounts. */
@Module({ providers: [PublishedParameters], exports: [PublishedParameters] })
export class PublishedParametersModule {}
