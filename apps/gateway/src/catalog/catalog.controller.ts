import { Controller, Get, Param, Query, Req, Res } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiParam, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { type FastifyReply, type FastifyRequest } from 'fastify';
import { ASPECT_CODES, DEPARTMENT_CODES, DOMAIN_CODES, SERVICE_MODES } from '@minsheng/domain';
import { parseOrThrow } from '../problems/validation.js';
import { CatalogReader } from './catalog-reader.js';
import {
  DEPARTMENTS_EXAMPLE,
  DIVISION_CHILDREN_EXAMPLE,
  DIVISION_TREE_EXAMPLE,
  DOMAINS_EXAMPLE,
  ITEM_EXAMPLE,
  ITEMS_EXAMPLE,
  PROBLEM_ITEM_NOT_FOUND,
} from './catalog.examples.js';
import { listDivisionsQuery, listItemsQuery } from './catalog.request.js';
import { sendCacheable } from './http-cache.js';

const CACHED = 'Cacheable: `Cache-Control: public, max-age=300` and a strong `ETag`; `If-None-Match` answers 304.';
const IF_NONE_MATCH = { name: 'If-None-Match', required: false, description: 'An ETag of an earlier answer.' };
const NOT_MODIFIED = { status: 304, description: 'The copy named by If-None-Match is current (no body).' };
const BAD_QUERY = {
  status: 400,
  description: 'Unknown or malformed query parameter (problem+json, VALIDATION.FAILED).',
};

/** The public service catalog (no authentication): what each item is, who leads it, where to apply. */
@ApiTags('catalog')
@Controller('v1/catalog')
export class CatalogController {
  constructor(private readonly reader: CatalogReader) {}

  @Get('domains')
  @ApiOperation({
    summary: 'The 9 domains with their aspects and item counts (stated by the standard and loaded).',
    description: CACHED,
  })
  @ApiHeader(IF_NONE_MATCH)
  @ApiResponse({ status: 200, example: DOMAINS_EXAMPLE })
  @ApiResponse(NOT_MODIFIED)
  async domains(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const [catalogVersion, items] = await Promise.all([this.reader.version(), this.reader.domains()]);
    return sendCacheable(request, reply, { catalogVersion, items });
  }

  @Get('items')
  @ApiOperation({
    summary: 'Service items, filtered and searched, in code order, a page at a time.',
    description: `${CACHED} \`q\` searches the Chinese and English names (substring, case-insensitive). \`mode\` matches the main or a secondary mode. \`total\` counts every match; pass \`nextCursor\` as \`cursor\` for the next page.`,
  })
  @ApiQuery({ name: 'domain', required: false, enum: DOMAIN_CODES })
  @ApiQuery({ name: 'aspect', required: false, enum: ASPECT_CODES })
  @ApiQuery({ name: 'department', required: false, enum: DEPARTMENT_CODES, description: 'Lead department.' })
  @ApiQuery({ name: 'mode', required: false, enum: SERVICE_MODES })
  @ApiQuery({ name: 'applicationOnly', required: false, type: Boolean, description: 'Only items residents apply for.' })
  @ApiQuery({ name: 'q', required: false, example: '最低生活' })
  @ApiQuery({ name: 'limit', required: false, schema: { type: 'integer', minimum: 1, maximum: 100, default: 20 } })
  @ApiQuery({ name: 'cursor', required: false, description: 'Opaque: `nextCursor` of the previous page.' })
  @ApiHeader(IF_NONE_MATCH)
  @ApiResponse({ status: 200, example: ITEMS_EXAMPLE })
  @ApiResponse(NOT_MODIFIED)
  @ApiResponse(BAD_QUERY)
  async items(@Query() query: unknown, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const parsed = parseOrThrow(listItemsQuery, query, 'query');
    const [catalogVersion, page] = await Promise.all([this.reader.version(), this.reader.items(parsed)]);
    return sendCacheable(request, reply, { catalogVersion, ...page });
  }

  @Get('items/:code')
  @ApiOperation({
    summary:
      'One item in full: service object, content, standard, expenditure, lead department, procedure, each with its evidence tag.',
    description: CACHED,
  })
  @ApiParam({ name: 'code', example: 'BPS-064' })
  @ApiHeader(IF_NONE_MATCH)
  @ApiResponse({ status: 200, example: ITEM_EXAMPLE })
  @ApiResponse(NOT_MODIFIED)
  @ApiResponse({ status: 404, description: 'Unknown code (CATALOG.ITEM_NOT_FOUND).', example: PROBLEM_ITEM_NOT_FOUND })
  async item(@Param('code') code: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    return sendCacheable(request, reply, await this.reader.item(code));
  }

  @Get('departments')
  @ApiOperation({
    summary: 'Lead and cooperating departments (city level) and the pattern of their district counterparts.',
    description: CACHED,
  })
  @ApiHeader(IF_NONE_MATCH)
  @ApiResponse({ status: 200, example: DEPARTMENTS_EXAMPLE })
  @ApiResponse(NOT_MODIFIED)
  async departments(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const [catalogVersion, items] = await Promise.all([this.reader.version(), this.reader.departments()]);
    return sendCacheable(request, reply, { catalogVersion, items });
  }

  @Get('divisions')
  @ApiOperation({
    summary: 'Urumqi administrative divisions (统计用区划代码 2023): the whole tree, or the children of `parent`.',
    description: `${CACHED} \`parent\` accepts the 6-, 9- or 12-digit form of a code.`,
  })
  @ApiQuery({ name: 'parent', required: false, example: '650100' })
  @ApiHeader(IF_NONE_MATCH)
  @ApiResponse({
    status: 200,
    examples: {
      tree: { summary: 'Without parent: the tree from the city down', value: DIVISION_TREE_EXAMPLE },
      children: { summary: 'With parent=650100: its districts and county', value: DIVISION_CHILDREN_EXAMPLE },
    },
  })
  @ApiResponse(NOT_MODIFIED)
  @ApiResponse(BAD_QUERY)
  @ApiResponse({ status: 404, description: 'Unknown parent code (CATALOG.DIVISION_NOT_FOUND).' })
  async divisions(@Query() query: unknown, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const { parent } = parseOrThrow(listDivisionsQuery, query, 'query');
    const [catalogVersion, body] = await Promise.all([
      this.reader.version(),
      parent === undefined ? this.reader.divisionTree() : this.reader.divisionChildren(parent),
    ]);
    return sendCacheable(request, reply, { catalogVersion, ...body });
  }
}
