import { SignJWT } from 'jose';
import { loadConfig } from '@minsheng/infra';

/**
 * Mints a development staff token (HS256 with JWT_SECRET):
 *   npm run token -- --sub u1 --name 王芳 --department civil-affairs --level street --divisions 650102001 --roles reviewer
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

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = new Map<string, string>();
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i += 2) args.set(argv[i]!.replace(/^--/, ''), argv[i + 1] ?? '');
  const token = await mintStaffToken({
    sub: args.get('sub') ?? 'dev-reviewer',
    name: args.get('name') ?? 'Development Reviewer',
    department: args.get('department') ?? 'civil-affairs',
    level: args.get('level') ?? 'street',
    divisions: (args.get('divisions') ?? '650102001').split(','),
    roles: (args.get('roles') ?? 'reviewer').split(','),
  });
  console.log(token);
}
