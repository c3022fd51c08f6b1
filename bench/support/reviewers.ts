import { NotAvailable, type BenchContext } from './context.js';

/**
 * Staff tokens for the bench's reviewers, minted with the bench's own JWT secret. Each street office has two
 * reviewers who take turns (nobody may decide two consecutive steps of a case), each district bureau one approver
 * (who never gave the review opinion).
 */
export class Reviewers {
  private readonly tokens = new Map<string, Promise<string>>();
  private mint: typeof import('../../scripts/mint-token.js').mintStaffToken | undefined;

  constructor(private readonly ctx: BenchContext) {}

  async tokenFor(level: string, division: string, desk: 'a' | 'b'): Promise<string> {
    const key = `${level}-${division}-${desk}`;
    let token = this.tokens.get(key);
    if (!token) {
      token = this.minter().then((mint) =>
        mint(
          {
            sub: `bench-${key}`,
            name: `Bench ${key}`,
            department: 'civil-affairs',
            level,
            divisions: [division],
            roles: ['reviewer'],
          },
          this.ctx.env,
        ),
      );
      this.tokens.set(key, token);
    }
    return token;
  }

  private async minter() {
    if (!this.mint) {
      try {
        this.mint = (await import('../../scripts/mint-token.js')).mintStaffToken;
      } catch (error) {
        throw new NotAvailable(`scripts/mint-token.ts does not load (${(error as Error).message.split('\n')[0]})`);
      }
    }
    return this.mint;
  }
}

/** Which desk decides a step: the two street reviewers alternate along the case. */
export function deskFor(step: string): 'a' | 'b' {
  return step === 'investigation' ? 'b' : 'a';
}
