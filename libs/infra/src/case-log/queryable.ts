/** Anything that runs a parameterised query: a TypeORM EntityManager or QueryRunner, or a pg client. */
export interface Queryable {
  query(sql: string, parameters?: unknown[]): Promise<unknown>;
}
