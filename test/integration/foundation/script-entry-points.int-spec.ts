import { execFile } from 'node:child_process';
import { mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { decodeJwt } from 'jose';

const REPO_ROOT = resolve(import.meta.dirname, '../../..');

/**
 * The scripts run their command only when node runs them directly: that check once compared `import.meta.url` with
 * `file://` + argv[1], so a checkout whose path had a space or went through a symlink silently did nothing.
 */
describe('scripts run from a path with a space, through a symlink', () => {
  let folder: string;

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'minsheng checkout '));
    await symlink(REPO_ROOT, join(folder, 'linked repo'));
  });
  afterAll(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it('mints a token, reading --key=value and --key value flags alike', async () => {
    const script = join(folder, 'linked repo', 'scripts', 'mint-token.ts');
    expect(script).toContain(' ');
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', script, '--sub=alice', '--roles', 'reviewer,operator', '--expires=2h'],
      { cwd: REPO_ROOT, env: { PATH: process.env['PATH'] ?? '', NODE_ENV: 'development' } },
    );
    const claims = decodeJwt(stdout.trim());
    expect(claims).toMatchObject({ sub: 'alice', roles: ['reviewer', 'operator'], department: 'civil-affairs' });
    expect(claims.exp! - claims.iat!).toBe(2 * 3600);
  });

  it('refuses an option it does not know instead of ignoring it', async () => {
    const script = join(folder, 'linked repo', 'scripts', 'mint-token.ts');
    await expect(
      promisify(execFile)(process.execPath, ['--import', 'tsx', script, '--subject=alice'], {
        cwd: REPO_ROOT,
        env: { PATH: process.env['PATH'] ?? '' },
      }),
    ).rejects.toMatchObject({ stderr: expect.stringContaining("Unknown option '--subject'") });
  });
});
