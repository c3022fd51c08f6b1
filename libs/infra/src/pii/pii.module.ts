import { Global, Module } from '@nestjs/common';
import { type AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { PiiCipher } from './pii-cipher.js';

/** One `PiiCipher` per process, keyed from the validated configuration. */
@Global()
@Module({
  providers: [
    {
      provide: PiiCipher,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => new PiiCipher(config.pii.encryptionKey, config.pii.hashKey),
    },
  ],
  exports: [PiiCipher],
})
export class PiiModule {}
