import {
  Check,
  Column,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  type Relation,
  Unique,
} from 'typeorm';
import { CatalogItemRecord } from './catalog-item.record.js';

/**
 * One effective-dated value of a standard parameter: [valid_from, valid_to), dates in China Standard Time, a null
 * start meaning "before the next known date". A corrected value for the same start supersedes the old row, which
 * stays for the history. `origin` says whether the code catalog or an operator published it.
 */
@Entity({ name: 'catalog_parameters' })
@Unique('UQ_catalog_parameters_seed_id', ['seedId'])
@Check('CHK_catalog_parameters_one_value', `num_nonnulls("value_fen", "value_number") = 1`)
@Check('CHK_catalog_parameters_period', `"valid_to" IS NULL OR "valid_from" IS NULL OR "valid_to" > "valid_from"`)
@Index('IDX_catalog_parameters_key', ['key', 'validFrom'])
export class CatalogParameterRecord {
  @PrimaryGeneratedColumn({ type: 'bigint', name: 'id', primaryKeyConstraintName: 'PK_catalog_parameters' })
  id!: string;

  @Column({ type: 'text', name: 'key' })
  key!: string;

  @Column({ type: 'text', name: 'item_code' })
  itemCode!: string;

  @ManyToOne(() => CatalogItemRecord, { nullable: false })
  @JoinColumn({ name: 'item_code', foreignKeyConstraintName: 'FK_catalog_parameters_item' })
  item?: Relation<CatalogItemRecord>;

  /** Integer fen for amount units (pg returns bigint as a string). */
  @Column({ type: 'bigint', name: 'value_fen', nullable: true })
  valueFen!: string | null;

  @Column({ type: 'numeric', name: 'value_number', nullable: true })
  valueNumber!: string | null;

  @Column({ type: 'text', name: 'unit' })
  unit!: string;

  @Column({ type: 'text', name: 'bound' })
  bound!: string;

  @Column({ type: 'date', name: 'valid_from', nullable: true })
  validFrom!: string | null;

  @Column({ type: 'text', name: 'valid_from_precision', default: 'day' })
  validFromPrecision!: string;

  @Column({ type: 'date', name: 'valid_to', nullable: true })
  validTo!: string | null;

  @Column({ type: 'text', name: 'source' })
  source!: string;

  @Column({ type: 'text', name: 'evidence' })
  evidence!: string;

  @Column({ type: 'text', name: 'note', nullable: true })
  note!: string | null;

  @Column({ type: 'text', name: 'reason', nullable: true })
  reason!: string | null;

  @Column({ type: 'text', name: 'origin' })
  origin!: string;

  @Column({ type: 'text', name: 'seed_id', nullable: true })
  seedId!: string | null;

  @Column({ type: 'text', name: 'published_by' })
  publishedBy!: string;

  @Column({ type: 'timestamptz', name: 'published_at', default: () => 'now()' })
  publishedAt!: Date;

  @Column({ type: 'timestamptz', name: 'superseded_at', nullable: true })
  supersededAt!: Date | null;

  @Column({ type: 'bigint', name: 'superseded_by', nullable: true })
  supersededById!: string | null;

  @ManyToOne(() => CatalogParameterRecord, { nullable: true })
  @JoinColumn({ name: 'superseded_by', foreignKeyConstraintName: 'FK_catalog_parameters_superseded_by' })
  supersededBy?: Relation<CatalogParameterRecord> | null;
}
