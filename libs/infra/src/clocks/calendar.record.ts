import { Column, Entity, PrimaryGeneratedColumn, Unique } from 'typeorm';

/**
 * One published version of one region's calendar year (the State Council notice, or Xinjiang's regional notice).
 * `body` is the calendar as `validateCalendar` accepts it; a correction is a new row with a higher version.
 * `source` says how the row came: `shipped` (loaded from libs/domain at prepare time) or `operator` (PUT).
 */
@Entity({ name: 'calendars' })
@Unique('UQ_calendars_region_year_version', ['region', 'year', 'version'])
export class CalendarRecord {
  @PrimaryGeneratedColumn({ type: 'bigint', name: 'id', primaryKeyConstraintName: 'PK_calendars' })
  id!: string;

  @Column({ type: 'text', name: 'region' })
  region!: string;

  @Column({ type: 'integer', name: 'year' })
  year!: number;

  @Column({ type: 'integer', name: 'version' })
  version!: number;

  @Column({ type: 'jsonb', name: 'body' })
  body!: Record<string, unknown>;

  @Column({ type: 'text', name: 'published_by' })
  publishedBy!: string;

  @Column({ type: 'timestamptz', name: 'published_at', default: () => 'now()' })
  publishedAt!: Date;

  @Column({ type: 'text', name: 'source' })
  source!: string;
}
