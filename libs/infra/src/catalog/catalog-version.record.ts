import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One loaded version of the code catalog: the content hash and when it was (last) loaded. */
@Entity({ name: 'catalog_versions' })
export class CatalogVersionRecord {
  @PrimaryColumn({ type: 'text', name: 'version', primaryKeyConstraintName: 'PK_catalog_versions' })
  version!: string;

  @Column({ type: 'timestamptz', name: 'loaded_at', default: () => 'now()' })
  loadedAt!: Date;

  @Column({ type: 'jsonb', name: 'counts', default: () => "'{}'" })
  counts!: Record<string, number>;
}
