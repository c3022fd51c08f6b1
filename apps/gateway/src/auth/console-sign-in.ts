import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { APP_CONFIG, type AppConfig } from '@minsheng/infra';

/** How the console signs staff in here (docs/console.md "Signing in"). */
export type ConsoleSignIn =
  | { readonly mode: 'oidc'; readonly issuer: string; readonly clientId: string; readonly scope: string }
  | { readonly mode: 'development' }
  | { readonly mode: 'none' };

/**
 * The sign-in the console offers: OpenID Connect at the issuer whose keys the gateway trusts (`JWT_JWKS_URL`, with
 * `JWT_ISSUER` and `OIDC_CLIENT_ID`), the development sign-in where there is no identity provider and this is not
 * production, and none otherwise (a production gateway without an identity provider signs no one in).
 */
export function consoleSignIn(config: AppConfig): ConsoleSignIn {
  if (config.jwt.jwksUrl && config.jwt.oidc) {
    return {
      mode: 'oidc',
      issuer: config.jwt.issuer,
      clientId: config.jwt.oidc.clientId,
      scope: config.jwt.oidc.scope,
    };
  }
  if (config.env !== 'production' && !config.jwt.jwksUrl) return { mode: 'development' };
  return { mode: 'none' };
}

/**
 * The console's own settings, public (the page needs them before anyone signs in): they name the issuer and the
 * client id, which the identity provider's discovery document publishes anyway, and no secret (a public client).
 */
@ApiTags('console')
@Controller('v1/console')
export class ConsoleSignInController {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  @Get('sign-in')
  @ApiOperation({
    summary:
      'How the console signs staff in: `oidc` (issuer, client id, scope: authorization code with PKCE), `development` (the sample identities) or `none`.',
  })
  signIn(): ConsoleSignIn {
    return consoleSignIn(this.config);
  }
}
