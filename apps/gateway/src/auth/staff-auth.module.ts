import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ConsoleSignInController } from './console-sign-in.js';
import { DevSignInController } from './dev-sign-in.js';
import { StaffAuthGuard } from './staff-auth.guard.js';
import { TokenVerifier } from './token-verifier.js';

/** Staff authentication for every route: routes opt in with `@StaffRoles(...)`; the development sign-in. */
@Global()
@Module({
  controllers: [DevSignInController, ConsoleSignInController],
  providers: [TokenVerifier, StaffAuthGuard, { provide: APP_GUARD, useExisting: StaffAuthGuard }],
  exports: [TokenVerifier],
})
export class StaffAuthModule {}
