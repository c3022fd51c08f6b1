import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A lead or cooperating department (牵头负责单位) at city level; `details` keeps the evidence of its district names. */
@Entity({ name: 'departments' })
export class DepartmentRecord {
  @PrimaryColumn({ type: 'text', name: 'code', primaryKeyConstraintName: 'PK_departments' })
  code!: string;

  @Column({ type: 'integer', name: 'position' })
  position!: number;

  @Column({ type: 'text', name: 'name_zh' })
  nameZh!: string;

  @Column({ type: 'text', name: 'name_en' })
  nameEn!: string;

  @Column({ type: 'text', name: 'district_name_pattern' })
  districtNamePattern!: string;

  @Column({ type: 'jsonb', name: 'details', default: () => "'{}'" })
  details!: Record<string, unknown>;
}
