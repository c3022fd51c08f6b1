import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { applicationItems, isConfirmed, parameterValueAt, toShanghaiDate, type Clock } from '@minsheng/domain';
import { InjectClock, loadPublishedParameters } from '@minsheng/infra';
import { limitsOfItem } from '@minsheng/workflows';

interface OpenCount {
  item_code: string;
  open: number;
}

/**
 * What minsheng currently relies on without a confirmed source (docs/operations.md "Assumptions in force"): parameter
 * values in force today that are not confirmed (evidence R, G, unknown) or are used past the last day their source
 * is known to describe; limits tagged as assumptions [G]; provisional calendar years that running clocks count in.
 * Each with how many open cases rely on it.
 */
@Injectable()
export class Assumptions {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectClock() private readonly clock: Clock,
  ) {}

  async list() {
    const today = toShanghaiDate(this.clock.now());
    const [parameters, openRows, calendarRows] = await Promise.all([
      loadPublishedParameters(this.dataSource),
      this.dataSource.query(
        `SELECT item_code, count(*)::int AS open FROM cases WHERE closed_at IS NULL GROUP BY item_code`,
      ) as Promise<OpenCount[]>,
      this.dataSource.query(
        `SELECT u->>'calendar' AS calendar, count(DISTINCT k.case_id)::int AS open
           FROM case_clocks k CROSS JOIN LATERAL jsonb_array_elements(
                  CASE WHEN jsonb_typeof(k.explanation->'count'->'unconfirmed') = 'array'
                       THEN k.explanation->'count'->'unconfirmed' ELSE '[]'::jsonb END) AS u
          WHERE k.stopped_at IS NULL AND k.due_provisional
          GROUP BY 1 ORDER BY 1`,
      ) as Promise<{ calendar: string; open: number }[]>,
    ]);
    const openOf = new Map(openRows.map((row) => [row.item_code, row.open]));
    const openCases = (items: readonly string[]) => items.reduce((sum, item) => sum + (openOf.get(item) ?? 0), 0);
    const items = applicationItems();
    // An item relies on a parameter its procedure reads: the parameter's own item, or one naming it in its standard.
    const itemsUsing = (key: string, own: string) =>
      items.filter((item) => item.code === own || item.standard.parameterKeys.includes(key)).map((item) => item.code);

    const keys = [...new Set(parameters.map((p) => p.key))].sort();
    const parameterRows = keys.flatMap((key) => {
      const inForce = parameterValueAt(parameters, key, today);
      if (inForce === undefined) return [];
      const stale = inForce.knownUntil != null && today > inForce.knownUntil;
      if (isConfirmed(inForce.evidence) && !stale) return [];
      const using = itemsUsing(key, inForce.itemCode);
      return [
        {
          key,
          value: inForce.value,
          unit: inForce.unit,
          validFrom: inForce.validFrom,
          validTo: inForce.validTo,
          source: inForce.source,
          evidence: inForce.evidence,
          note: inForce.note,
          knownUntil: inForce.knownUntil ?? null,
          why: stale ? 'past-known-validity' : 'assumption',
          items: using,
          openCases: openCases(using),
        },
      ];
    });

    // One row per assumed limit (same amount, unit and source), with every item and step that counts it.
    const limits = new Map<
      string,
      { amount: number; unit: string; source: string; evidence: string; uses: { item: string; name: string }[] }
    >();
    for (const item of items) {
      for (const { name, limit } of limitsOfItem(item.code)) {
        if (limit.source.evidence !== 'G') continue;
        const id = `${limit.amount} ${limit.unit} ${limit.source.citation}`;
        const row = limits.get(id) ?? {
          amount: limit.amount,
          unit: limit.unit,
          source: limit.source.citation,
          evidence: limit.source.evidence,
          uses: [],
        };
        row.uses.push({ item: item.code, name });
        limits.set(id, row);
      }
    }
    const limitRows = [...limits.values()].map((row) => {
      const using = [...new Set(row.uses.map((u) => u.item))];
      return { ...row, why: 'assumption' as const, openCases: openCases(using) };
    });

    return {
      asOf: this.clock.now().toISOString(),
      parameters: parameterRows,
      limits: limitRows,
      calendars: calendarRows.map((row) => ({ calendar: row.calendar, why: 'provisional', openCases: row.open })),
    };
  }
}
