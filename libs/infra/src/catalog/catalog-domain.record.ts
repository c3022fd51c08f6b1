import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';

/** A domain (领域) of the standard, with the counts the standard states. */
@Entity({ name: 'catalog_domains' })
export class CatalogDomainRecord {
  @PrimaryColumn({ type: 'text', name: 'code', primaryKeyConstraintName: 'PK_catalog_domains' })
  code!: string;

  @Column({ type: 'integer', name: 'position' })
  position!: number;

  @Column({ type: 'text', name: 'name_zh' })
  nameZh!: string;

  @Column({ type: 'text', name: 'name_en' })
  nameEn!: string;

  @Column({ type: 'integer', name: 'stated_item_count' })
  statedItemCount!: number;

  @Column({ type: 'integer', name: 'stated_aspect_count' })
  statedAspectCount!: number;
}

/** An aspect (方面) of a domain. */
@Entity({ name: 'catalog_aspects' })
export class CatalogAspectRecord {
  @PrimaryColumn({ type: 'text', name: 'code', primaryKeyConstraintName: 'PK_catalog_aspects' })
  code!: string;

  @Column({ type: 'integer', name: 'position' })
  position!: number;

  @Column({ type: 'text', name: 'domain_code' })
  domainCode!: string;

  @ManyToOne(() => CatalogDomainRecord, { nullable: false })
  @JoinColumn({ name: 'domain_code', foreignKeyConstraintName: 'FK_catalog_aspects_domain' })
  domain?: Relation<CatalogDomainRecord>;

  @Column({ type: 'text', name: 'name_zh' })
  nameZh!: string;

  @Column({ type: 'text', name: 'name_en' })
  nameEn!: string;
}
