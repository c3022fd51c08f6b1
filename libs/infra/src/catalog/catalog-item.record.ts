import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import { CatalogAspectRecord, CatalogDomainRecord } from './catalog-domain.record.js';
import { DepartmentRecord } from './department.record.js';

/**
 * One of the 97 service items. The columns are what the API filters on; `details` is the whole item as
 * `libs/domain` defines it (service object, content, standard, expenditure, each with its evidence tag).
 */
@Entity({ name: 'catalog_items' })
export class CatalogItemRecord {
  @PrimaryColumn({ type: 'text', name: 'code', primaryKeyConstraintName: 'PK_catalog_items' })
  code!: string;

  @Column({ type: 'integer', name: 'position' })
  position!: number;

  @Column({ type: 'text', name: 'name_zh' })
  nameZh!: string;

  @Column({ type: 'text', name: 'name_en' })
  nameEn!: string;

  @Column({ type: 'text', name: 'domain_code' })
  domainCode!: string;

  @ManyToOne(() => CatalogDomainRecord, { nullable: false })
  @JoinColumn({ name: 'domain_code', foreignKeyConstraintName: 'FK_catalog_items_domain' })
  domain?: Relation<CatalogDomainRecord>;

  @Column({ type: 'text', name: 'aspect_code' })
  aspectCode!: string;

  @ManyToOne(() => CatalogAspectRecord, { nullable: false })
  @JoinColumn({ name: 'aspect_code', foreignKeyConstraintName: 'FK_catalog_items_aspect' })
  aspect?: Relation<CatalogAspectRecord>;

  @Column({ type: 'text', name: 'mode' })
  mode!: string;

  @Column({ type: 'text', name: 'secondary_modes', array: true, default: () => "'{}'" })
  secondaryModes!: string[];

  @Column({ type: 'text', name: 'procedure_id', nullable: true })
  procedureId!: string | null;

  @Column({ type: 'text', name: 'lead_department_code' })
  leadDepartmentCode!: string;

  @ManyToOne(() => DepartmentRecord, { nullable: false })
  @JoinColumn({ name: 'lead_department_code', foreignKeyConstraintName: 'FK_catalog_items_lead_department' })
  leadDepartment?: Relation<DepartmentRecord>;

  @Column({ type: 'boolean', name: 'is_application' })
  isApplication!: boolean;

  @Column({ type: 'jsonb', name: 'details', default: () => "'{}'" })
  details!: Record<string, unknown>;
}
