import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** An Urumqi administrative division (统计用区划代码 2023): the city, districts and county, streets and townships. */
@Entity({ name: 'divisions' })
export class DivisionRecord {
  @PrimaryColumn({ type: 'text', name: 'code', primaryKeyConstraintName: 'PK_divisions' })
  code!: string;

  @Index('IDX_divisions_parent')
  @Column({ type: 'text', name: 'parent_code' })
  parentCode!: string;

  @Column({ type: 'text', name: 'name' })
  name!: string;

  @Column({ type: 'text', name: 'level' })
  level!: string;

  @Column({ type: 'text', name: 'kind' })
  kind!: string;
}
