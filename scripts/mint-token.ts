import { parseArgs } from 'node:util';
import { SignJWT } from 'jose';
import { loadConfig } from '@minsheng/infra';
import { isEntryPoint } from './entry-point.js';

/**
 * Mints a development staff token (HS256 with JWT_SECRET):
 *   npm run token -- --sub u1 --name 王芳 --department civil-affairs --level street --divisions 650102001 --roles reviewer
 * (`--expires 2h` shortens its life; the gateway refuses more than JWT_MAX_LIFETIME_SECONDS)
 */
export async function mintStaffToken(
  claims: { sub: string; name: string; department: string; level: string; divisions: string[]; roles: string[] },
  env: Record<string, string | undefined> = process.env,
  expiresIn = '8h',
): Promise<string> {
  const config = loadConfig(env);
  return new SignJWT({
    name: claims.name,
    department: claims.department,
    level: claims.level,
    divisions: claims.divisions,
    roles: claims.roles,
  })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(claims.sub)
    .setIssuer(config.jwt.issuer)
    .setAudience(config.jwt.audience)
    .setIssuedAt()
    .setExpirationTime(expiresIn)
    .sign(new TextEncoder().encode(config.jwt.secret));
}

if (isEntryPoint(import.meta.url)) {
  // parseArgs reads `--sub alice` and `--sub=alice` alike, and refuses an unknown option instead of ignoring it.
  const { values } = parseArgs({
    options: {
      sub: { type: 'string', default: 'dev-reviewer' },
      name: { type: 'string', default: 'Development Reviewer' },
      department: { type: 'string', default: 'civil-affairs' },
      level: { type: 'string', default: 'street' },
      divisions: { type: 'string', default: '650102001' },
      roles: { type: 'string', default: 'reviewer' },
      expires: { type: 'string', default: '8h' },
    },
  });
  const token = await mintStaffToken(
    {
      sub: values.sub,
      name: values.name,
      department: values.department,
      level: values.level,
      divisions: values.divisions.split(','),
      roles: values.roles.split(','),
    },
    process.env,
    values.expires,
  );
  console.log(token);
}
