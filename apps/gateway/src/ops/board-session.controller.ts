import { Controller, Delete, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { type FastifyReply, type FastifyRequest } from 'fastify';
import { decodeJwt } from 'jose';
import { CurrentStaff, StaffRoles } from '../auth/staff-auth.guard.js';
import { type StaffIdentity } from '../auth/staff-identity.js';
import { BOARD_COOKIE, BOARD_PATH } from './board-auth.js';
import { OperatorAudit } from './operator-audit.js';

/** A browser cannot add a bearer header to the dashboard's page loads, so the operator trades it for a cookie. */
@ApiTags('operators')
@ApiBearerAuth('reviewer')
@StaffRoles('operator')
@Controller('v1/ops/board/session')
export class BoardSessionController {
  constructor(private readonly audit: OperatorAudit) {}

  @Post()
  @HttpCode(204)
  @ApiOperation({
    summary:
      'Sets the `ms_ops` cookie (HttpOnly, SameSite=Strict, path /ops/board, expires with the token) so a browser ' +
      'can open the Bull Board dashboard at /ops/board.',
  })
  @ApiResponse({ status: 204, description: 'Cookie set.' })
  async open(
    @CurrentStaff() staff: StaffIdentity,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<void> {
    // The guard has verified this very token; the cookie carries it unchanged and expires with it.
    const token = request.headers.authorization!.slice('Bearer '.length).trim();
    const exp = decodeJwt(token).exp;
    // eslint-disable-next-line no-restricted-syntax -- the token's expiry is checked against the wall, as the JWT library does
    const maxAge = Math.max(0, Math.min(8 * 3_600, (exp ?? 0) - Math.floor(Date.now() / 1000)));
    const secure = request.protocol === 'https' ? '; Secure' : '';
    void reply.header(
      'set-cookie',
      `${BOARD_COOKIE}=${encodeURIComponent(token)}; Path=${BOARD_PATH}; Max-Age=${maxAge}; HttpOnly; SameSite=Strict${secure}`,
    );
    await this.audit.record(staff, String(request.id), 'board.session', 'board', { maxAgeSeconds: maxAge });
  }

  @Delete()
  @HttpCode(204)
  @ApiOperation({ summary: 'Clears the dashboard cookie.' })
  close(@Res({ passthrough: true }) reply: FastifyReply): void {
    void reply.header('set-cookie', `${BOARD_COOKIE}=; Path=${BOARD_PATH}; Max-Age=0; HttpOnly; SameSite=Strict`);
  }
}
