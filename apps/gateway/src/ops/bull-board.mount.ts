import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { InjectDataSource } from '@nestjs/typeorm';
import { type FastifyInstance, type FastifyRequest } from 'fastify';
import { DataSource } from 'typeorm';
import { recordAudit } from '@minsheng/infra';
import { type StaffIdentity } from '../auth/staff-identity.js';
import { TokenVerifier } from '../auth/token-verifier.js';
import { authenticateBoardRequest, BOARD_PATH } from './board-auth.js';
import { QueueRegistry } from './queue-registry.js';

type BoardRequest = FastifyRequest & { operator?: StaffIdentity };
type BoardServerAdapter = Parameters<typeof createBullBoard>[0]['serverAdapter'];

/**
 * Mounts the Bull Board dashboard at /ops/board on the gateway's Fastify instance, inside its own encapsulated
 * plugin: its hooks authenticate every request (page, assets, API) as an operator, and every change made through
 * the dashboard (a non-GET call that succeeded) is written to the audit log like the operator API's actions.
 */
@Injectable()
export class BullBoardMount implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly registry: QueueRegistry,
    private readonly verifier: TokenVerifier,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  onModuleInit(): void {
    const serverAdapter = new FastifyAdapter();
    serverAdapter.setBasePath(BOARD_PATH);
    createBullBoard({
      queues: this.registry.all().map(([, queue]) => new BullMQAdapter(queue)),
      // @bull-board/fastify pins its own patch release of @bull-board/api: the same interface, declared twice.
      serverAdapter: serverAdapter as unknown as BoardServerAdapter,
      options: { uiConfig: { boardTitle: 'minsheng queues' } },
    });
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    const { verifier, dataSource } = this;
    void fastify.register(async (scope) => {
      scope.addHook('onRequest', async (request: BoardRequest, reply) => {
        const staff = await authenticateBoardRequest(verifier, request, reply);
        // Refused: the problem is already sent, and returning the reply stops the request here.
        if (!staff) return reply;
        request.operator = staff;
        return undefined;
      });
      // onSend, not onResponse: the audit row is written before the operator sees the answer.
      scope.addHook('onSend', async (request: BoardRequest, reply, payload) => {
        if (request.method === 'GET' || !request.operator || reply.statusCode >= 400) return payload;
        await recordAudit(dataSource, {
          actor: `staff:${request.operator.subject}`,
          actorRole: 'operator',
          action: 'board.action',
          target: `board:${request.routeOptions.url ?? request.url}`,
          details: { method: request.method, url: request.url, status: reply.statusCode },
          requestId: String(request.id),
        });
        return payload;
      });
      await scope.register(serverAdapter.registerPlugin(), { prefix: BOARD_PATH });
    });
  }
}
