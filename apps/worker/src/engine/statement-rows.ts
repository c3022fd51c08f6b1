/**
 * The rows of any statement's answer: TypeORM gives an UPDATE … RETURNING as `[rows, count]` and a SELECT as the
 * rows; a pg client gives `{ rows }`.
 */
export function updatedRows<T>(result: unknown): T[] {
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') {
    return result[0] as T[];
  }
  if (!Array.isArray(result) && typeof result === 'object' && result !== null && 'rows' in result) {
    return (result as { rows: T[] }).rows;
  }
  return result as T[];
}
