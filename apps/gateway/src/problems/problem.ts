/** RFC 9457 problem details, with the extension members minsheng adds. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  /** Stable machine-readable code (`CASE.ALREADY_OPEN`), the same the domain throws. */
  code: string;
  /** Field-level reasons for a refused input: `field` is a dotted path into the request body, header or query. */
  errors?: { field: string; code: string; message: string }[];
  requestId?: string;
  [extension: string]: unknown;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export function problemType(code: string): string {
  return `https://minsheng.dev/problems/${code.toLowerCase().replace(/[._]/g, '-')}`;
}
