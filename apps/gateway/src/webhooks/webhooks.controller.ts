import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, UseGuards } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { parseOrThrow } from '../problems/validation.js';
import { PortalAuthGuard } from '../portals/portal-auth.guard.js';
import { CurrentPortal, type PortalIdentity } from '../portals/portal-identity.js';
import { WebhookEndpoints } from './webhook-endpoints.js';
import { deliveriesQuery, deliveryIdParam, registerWebhookRequest, replayRangeRequest } from './webhooks.request.js';
import { z } from 'zod';

const endpointId = z.uuid();

/** A portal's webhook endpoints, their deliveries and replays (docs/webhooks.md). */
@ApiTags('webhooks')
@ApiSecurity('portal')
@Controller('v1/portal/webhooks')
@UseGuards(PortalAuthGuard)
export class WebhooksController {
  constructor(private readonly endpoints: WebhookEndpoints) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({
    summary: 'Register a webhook endpoint (portal); the signing secret is in this answer only.',
    description:
      'The URL must be https and must not point into a private, loopback, link-local or metadata network ' +
      '(docs/webhooks.md). The answer carries the secret, `whsec_<base64>`, once.',
  })
  @ApiResponse({ status: 400, description: 'VALIDATION.FAILED (errors[] per field; `url` when the target is refused)' })
  @ApiResponse({ status: 401, description: 'AUTH.UNAUTHENTICATED' })
  register(@Body() body: unknown, @CurrentPortal() portal: PortalIdentity) {
    return this.endpoints.register(portal.id, parseOrThrow(registerWebhookRequest, body, 'body'));
  }

  @Get()
  @ApiOperation({ summary: "The portal's webhook endpoints, without their secrets." })
  @ApiResponse({ status: 401, description: 'AUTH.UNAUTHENTICATED' })
  async list(@CurrentPortal() portal: PortalIdentity) {
    return { items: await this.endpoints.list(portal.id) };
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a webhook endpoint: it gets no new deliveries.' })
  @ApiResponse({ status: 401, description: 'AUTH.UNAUTHENTICATED' })
  @ApiResponse({ status: 404, description: 'WEBHOOK.NOT_FOUND' })
  async delete(@Param('id') id: string, @CurrentPortal() portal: PortalIdentity): Promise<void> {
    await this.endpoints.delete(portal.id, parseOrThrow(endpointId, id, 'path'));
  }

  @Post(':id/secret-rotation')
  @ApiOperation({
    summary:
      'Rotate the signing secret: the new one is in this answer only; the old one signs beside it for the overlap.',
  })
  @ApiResponse({ status: 401, description: 'AUTH.UNAUTHENTICATED' })
  @ApiResponse({ status: 404, description: 'WEBHOOK.NOT_FOUND' })
  rotate(@Param('id') id: string, @CurrentPortal() portal: PortalIdentity) {
    return this.endpoints.rotate(portal.id, parseOrThrow(endpointId, id, 'path'));
  }

  @Get(':id/deliveries')
  @ApiOperation({ summary: 'The deliveries of an endpoint, newest first, each with every attempt (keyset paged).' })
  @ApiResponse({ status: 400, description: 'VALIDATION.FAILED' })
  @ApiResponse({ status: 401, description: 'AUTH.UNAUTHENTICATED' })
  @ApiResponse({ status: 404, description: 'WEBHOOK.NOT_FOUND' })
  deliveries(@Param('id') id: string, @Query() query: unknown, @CurrentPortal() portal: PortalIdentity) {
    return this.endpoints.deliveries(
      portal.id,
      parseOrThrow(endpointId, id, 'path'),
      parseOrThrow(deliveriesQuery, query, 'query'),
    );
  }

  @Post(':id/deliveries/:deliveryId/replay')
  @HttpCode(202)
  @ApiOperation({ summary: 'Send a delivery again, as a new delivery of the same message (same webhook-id).' })
  @ApiResponse({ status: 400, description: 'VALIDATION.FAILED' })
  @ApiResponse({ status: 401, description: 'AUTH.UNAUTHENTICATED' })
  @ApiResponse({ status: 404, description: 'WEBHOOK.NOT_FOUND' })
  replay(@Param('id') id: string, @Param('deliveryId') deliveryId: string, @CurrentPortal() portal: PortalIdentity) {
    return this.endpoints.replay(
      portal.id,
      parseOrThrow(endpointId, id, 'path'),
      parseOrThrow(deliveryIdParam, deliveryId, 'path'),
    );
  }

  @Post(':id/replays')
  @HttpCode(202)
  @ApiOperation({ summary: 'Send again every delivery of the endpoint written in a time range (at most 1000).' })
  @ApiResponse({ status: 400, description: 'VALIDATION.FAILED' })
  @ApiResponse({ status: 401, description: 'AUTH.UNAUTHENTICATED' })
  @ApiResponse({ status: 404, description: 'WEBHOOK.NOT_FOUND' })
  replayRange(@Param('id') id: string, @Body() body: unknown, @CurrentPortal() portal: PortalIdentity) {
    return this.endpoints.replayRange(
      portal.id,
      parseOrThrow(endpointId, id, 'path'),
      parseOrThrow(replayRangeRequest, body, 'body'),
    );
  }
}
