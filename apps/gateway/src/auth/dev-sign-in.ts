import { Body, Controller, Get, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { SignJWT } from 'jose';
import { z } from 'zod';
import { DomainError } from '@minsheng/domain';
import { APP_CONFIG, type AppConfig } from '@minsheng/infra';
import { parseOrThrow } from '../problems/validation.js';
import type { StaffRole } from './staff-identity.js';

/**
 * Sample staff of a development stack, one per kind of console user (docs/console.md): the street reviewer of
 * 燕儿窝街道 (650102002), the district approver of 天山区 (650102), a district supervisor, an operator and a
 * finance officer (payment runs only).
 */
export const DEV_IDENTITIES = [
  {
    key: 'street-reviewer',
    sub: 'dev-street-reviewer',
    name: '李娜',
    description: '燕儿窝街道 审核人员（街道受理、调查、审核）',
    descriptionEn: 'Reviewer, 燕儿窝街道 street office (acceptance, investigation, review)',
    department: 'civil-affairs',
    level: 'street',
    divisions: ['650102002'],
    roles: ['reviewer'],
  },
  {
    key: 'district-approver',
    sub: 'dev-district-approver',
    name: '王强',
    description: '天山区民政局 审批人员',
    descriptionEn: 'Approver, civil affairs bureau of 天山区',
    department: 'civil-affairs',
    level: 'district',
    divisions: ['650102'],
    roles: ['reviewer'],
  },
  {
    key: 'supervisor',
    sub: 'dev-supervisor',
    name: '赵敏',
    description: '天山区民政局 督办负责人',
    descriptionEn: 'Supervisor, civil affairs bureau of 天山区',
    department: 'civil-affairs',
    level: 'district',
    divisions: ['650102'],
    roles: ['reviewer', 'supervisor'],
  },
  {
    key: 'operator',
    sub: 'dev-operator',
    name: '运维值班',
    description: '运维人员（队列、时限看板、卡滞案件）',
    descriptionEn: 'Operator (queues, SLA board, stuck cases)',
    department: 'civil-affairs',
    level: 'city',
    divisions: ['650100'],
    roles: ['operator'],
  },
  {
    key: 'finance',
    sub: 'dev-finance',
    name: '陈静',
    description: '乌鲁木齐市民政局 财务人员（资金发放批次）',
    descriptionEn: 'Finance officer, Urumqi civil affairs bureau (payment runs)',
    department: 'civil-affairs',
    level: 'city',
    divisions: ['650100'],
    roles: ['finance'],
  },
] as const satisfies readonly {
  key: string;
  sub: string;
  name: string;
  description: string;
  descriptionEn: string;
  department: string;
  level: string;
  divisions: readonly string[];
  roles: readonly StaffRole[];
}[];

export const devSignInBody = z
  .object({ identity: z.enum(DEV_IDENTITIES.map((i) => i.key) as [string, ...string[]]) })
  .strict();

/** How long a development sign-in lasts: a working day. */
const DEV_TOKEN_LIFETIME = '8h';

/**
 * The development sign-in of the console: lists the sample identities and mints an HS256 token for one, with the
 * gateway's own development secret. Refused in production and wherever tokens come from an identity provider.
 */
@ApiTags('development')
@Controller('v1/dev')
export class DevSignInController {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  private refuseOutsideDevelopment(): void {
    if (this.config.env === 'production' || this.config.jwt.jwksUrl) {
      throw new DomainError('AUTH.DEV_SIGN_IN_DISABLED', 'the development sign-in is not available here');
    }
  }

  @Get('identities')
  @ApiOperation({ summary: 'Development only: the sample staff identities the console offers for sign-in.' })
  @ApiResponse({ status: 404, description: 'AUTH.DEV_SIGN_IN_DISABLED in production' })
  identities() {
    this.refuseOutsideDevelopment();
    return { items: DEV_IDENTITIES.map(({ sub: _sub, ...identity }) => identity) };
  }

  @Post('sign-in')
  @HttpCode(200)
  @ApiOperation({ summary: 'Development only: a staff token for one of the sample identities (kept in memory).' })
  @ApiResponse({ status: 404, description: 'AUTH.DEV_SIGN_IN_DISABLED in production' })
  async signIn(@Body() body: unknown) {
    this.refuseOutsideDevelopment();
    const { identity: key } = parseOrThrow(devSignInBody, body, 'body');
    const identity = DEV_IDENTITIES.find((i) => i.key === key)!;
    const token = await new SignJWT({
      name: identity.name,
      department: identity.department,
      level: identity.level,
      divisions: identity.divisions,
      roles: identity.roles,
    })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(identity.sub)
      .setIssuer(this.config.jwt.issuer)
      .setAudience(this.config.jwt.audience)
      .setIssuedAt()
      .setExpirationTime(DEV_TOKEN_LIFETIME)
      .sign(new TextEncoder().encode(this.config.jwt.secret));
    return { token, subject: identity.sub, name: identity.name, roles: identity.roles };
  }
}
