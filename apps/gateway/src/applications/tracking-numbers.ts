import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/** Numbers taken from the sequence at once: one round trip per this many applications instead of one each. */
export const TRACKING_BLOCK = 50;

/**
 * Sequence numbers for tracking numbers (`WLMQ-<year>-<8 digits>`), reserved in blocks. The number is needed
 * before the case is written (the first event's hash covers it), and a round trip per application for it cost as
 * much as the insert itself. Numbers stay unique (the sequence hands each out once); like any sequence they have
 * gaps (a refused application, a restart drops the rest of its block), and with several gateways they are
 * ordered only within each gateway.
 */
@Injectable()
export class TrackingNumbers {
  private readonly free: string[] = [];
  private refill: Promise<void> | undefined;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async next(): Promise<string> {
    while (this.free.length === 0) {
      this.refill ??= this.reserve().finally(() => (this.refill = undefined));
      await this.refill;
    }
    return this.free.shift()!;
  }

  private async reserve(): Promise<void> {
    const rows = (await this.dataSource.query(
      `SELECT nextval('case_tracking_seq')::text AS seq FROM generate_series(1, $1::int)`,
      [TRACKING_BLOCK],
    )) as { seq: string }[];
    const block = rows.map((r) => BigInt(r.seq)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    this.free.push(...block.map(String));
  }
}
