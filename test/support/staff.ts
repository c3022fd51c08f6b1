import { mintStaffToken } from '../../scripts/mint-token.js';
import { TIANSHAN_DISTRICT, TIANSHAN_STREET } from './given.js';

export interface StaffToken {
  readonly subject: string;
  readonly headers: Record<string, string>;
}

/** A staff bearer token for tests, signed with the environment's development secret. */
export async function staffToken(
  env: Record<string, string>,
  subject: string,
  options: { department?: string; level?: string; divisions?: string[]; roles?: string[] } = {},
): Promise<StaffToken> {
  const token = await mintStaffToken(
    {
      sub: subject,
      name: subject,
      department: options.department ?? 'civil-affairs',
      level: options.level ?? 'street',
      divisions: options.divisions ?? [TIANSHAN_STREET],
      roles: options.roles ?? ['reviewer'],
    },
    env,
  );
  return { subject, headers: { authorization: `Bearer ${token}` } };
}

/** The reviewers of a Tianshan minimum-living case: three at the street office, one at the district bureau. */
export async function tianshanReviewers(env: Record<string, string>) {
  return {
    streetA: await staffToken(env, 'street-a'),
    streetB: await staffToken(env, 'street-b'),
    streetC: await staffToken(env, 'street-c'),
    district: await staffToken(env, 'district-d', { level: 'district', divisions: [TIANSHAN_DISTRICT] }),
  };
}
