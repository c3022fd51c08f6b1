import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { DomainError } from '@minsheng/domain';
import { canonicalJson, PiiCipher, transactionWithRetry } from '@minsheng/infra';
import { z } from 'zod';

/** A claim left without an answer this long belongs to a request that died; a retry may take it over. */
export const ABANDONED_AFTER_SECONDS = 60;

const KEY = z.string().regex(/^[\x21-\x7e]{1,200}$/);

export interface IdempotentResult {
  readonly status: number;
  readonly body: Record<string, unknown>;
  readonly caseId?: string | null;
  /** True when this is the stored answer to an earlier request with the same key and body. */
  readonly replayed?: boolean;
}

/** The stored row of a key, as `settle` reads it. */
export interface EarlierRequest {
  readonly request_hash: string;
  readonly response_status: number | null;
  readonly response_body: Record<string, unknown> | null;
  /** Claimed more than `ABANDONED_AFTER_SECONDS` ago. */
  readonly abandoned: boolean;
}

/**
 * `Idempotency-Key` for portal writes (docs/architecture.md invariant 3). The key is claimed in its own short
 * transaction before the work starts, so a concurrent request with the same key sees the claim at once and answers 409
 * `IDEMPOTENCY.IN_PROGRESS` instead of running the work a second time; the answer is stored in the same
 * transaction as the work, so a replay returns exactly what the first request committed. A refused or failed
 * request releases its claim, leaving no row behind and letting the portal retry with the same key.
 *
 * Intake (`POST /v1/applications`) writes its key in the statement that opens the case instead, and marks the
 * key as in progress with an advisory lock (`SubmitApplication`): the same answers, one round trip instead of
 * four. It shares `requestHash` and `settle` with `run`.
 */
@Injectable()
export class IdempotencyService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly cipher: PiiCipher,
  ) {}

  /** Checks the header: present, 1–200 visible ASCII characters. */
  static keyFrom(header: string | string[] | undefined): string {
    if (header === undefined || header === '') {
      throw new DomainError('IDEMPOTENCY.KEY_MISSING', 'the Idempotency-Key header is required', {
        field: 'Idempotency-Key',
      });
    }
    const parsed = KEY.safeParse(header);
    if (!parsed.success) {
      throw new DomainError('IDEMPOTENCY.KEY_INVALID', 'Idempotency-Key is 1–200 visible ASCII characters', {
        field: 'Idempotency-Key',
      });
    }
    return parsed.data;
  }

  async run(
    portalId: string,
    key: string,
    request: { readonly operation: string; readonly body: unknown },
    work: (tx: EntityManager) => Promise<IdempotentResult>,
  ): Promise<IdempotentResult> {
    const requestHash = this.requestHash(request);
    const earlier = await this.claim(portalId, key, requestHash);
    if (earlier !== undefined) return earlier;
    try {
      return await transactionWithRetry(this.dataSource, async (tx) => {
        const result = await work(tx);
        await tx.query(
          `UPDATE idempotency_keys SET response_status = $3, response_body = $4, case_id = $5
            WHERE portal_id = $1 AND key = $2`,
          [portalId, key, result.status, JSON.stringify(result.body), result.caseId ?? null],
        );
        return result;
      });
    } catch (error) {
      await this.dataSource.query(
        `DELETE FROM idempotency_keys WHERE portal_id = $1 AND key = $2 AND response_status IS NULL`,
        [portalId, key],
      );
      throw error;
    }
  }

  /** Claims the key; answers the stored result of an earlier request instead when there is one. */
  private async claim(portalId: string, key: string, requestHash: string): Promise<IdempotentResult | undefined> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const inserted = (await this.dataSource.query(
        `INSERT INTO idempotency_keys (portal_id, key, request_hash) VALUES ($1, $2, $3)
         ON CONFLICT DO NOTHING RETURNING 1 AS claimed`,
        [portalId, key, requestHash],
      )) as unknown[];
      if (inserted.length > 0) return undefined;
      const rows = (await this.dataSource.query(
        `SELECT request_hash, response_status, response_body,
                created_at < now() - make_interval(secs => $3) AS abandoned
           FROM idempotency_keys WHERE portal_id = $1 AND key = $2`,
        [portalId, key, ABANDONED_AFTER_SECONDS],
      )) as EarlierRequest[];
      const row = rows[0];
      if (row === undefined) continue; // released by a failed request in between: claim again
      const answer = IdempotencyService.settle(row, requestHash);
      if (answer !== 'abandoned') return answer;
      if (await this.takeOver(portalId, key)) return undefined;
      throw inProgress();
    }
    throw inProgress();
  }

  /** Keyed, because the body holds identity numbers: a plain hash of it could be checked against guesses. */
  requestHash(request: { readonly operation: string; readonly body: unknown }): string {
    return this.cipher.lookupHash(`${request.operation}\n${canonicalJson(request.body)}`, 'idempotency');
  }

  /**
   * What an earlier request with the same key means for this one: its stored answer (a replay), or a refusal
   * (`IDEMPOTENCY.KEY_REUSED` for another request, `IDEMPOTENCY.IN_PROGRESS` while it runs), or `abandoned` when
   * its claim was left without an answer long enough to be taken over.
   */
  static settle(row: EarlierRequest, requestHash: string): IdempotentResult | 'abandoned' {
    if (row.request_hash !== requestHash) {
      throw new DomainError(
        'IDEMPOTENCY.KEY_REUSED',
        'this Idempotency-Key was already used with a different request',
        {
          field: 'Idempotency-Key',
        },
      );
    }
    if (row.response_status !== null && row.response_body !== null) {
      return { status: row.response_status, body: row.response_body, replayed: true };
    }
    if (row.abandoned) return 'abandoned';
    throw inProgress();
  }

  /** Deletes a claim left without an answer (see `settle`); answers whether there was one. */
  async dropAbandoned(portalId: string, key: string): Promise<boolean> {
    const result = (await this.dataSource.query(
      `DELETE FROM idempotency_keys
        WHERE portal_id = $1 AND key = $2 AND response_status IS NULL
          AND created_at < now() - make_interval(secs => $3)
        RETURNING 1`,
      [portalId, key, ABANDONED_AFTER_SECONDS],
    )) as unknown[];
    const rows = Array.isArray(result[0]) ? (result[0] as unknown[]) : result;
    return rows.length > 0;
  }

  private async takeOver(portalId: string, key: string): Promise<boolean> {
    const result = (await this.dataSource.query(
      `UPDATE idempotency_keys SET created_at = now()
        WHERE portal_id = $1 AND key = $2 AND response_status IS NULL
          AND created_at < now() - make_interval(secs => $3)
        RETURNING 1`,
      [portalId, key, ABANDONED_AFTER_SECONDS],
    )) as unknown[];
    const rows = Array.isArray(result[0]) ? (result[0] as unknown[]) : result;
    return rows.length > 0;
  }
}

/** `IDEMPOTENCY.IN_PROGRESS` (409): another request with the same key has not answered yet. */
export function inProgress(): DomainError {
  return new DomainError('IDEMPOTENCY.IN_PROGRESS', 'a request with this Idempotency-Key is still in progress', {
    field: 'Idempotency-Key',
    retryAfterSeconds: 1,
  });
}
