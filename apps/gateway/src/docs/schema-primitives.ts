import { z } from 'zod';

/**
 * The registries of the OpenAPI document's named schemas and the scalars every answer schema shares
 * (docs/api.md "The API contract"). A schema registered in `requestSchemas` is rendered as the client may send it
 * (zod's input side), one in `responseSchemas` as the gateway answers (its output side).
 */
export const requestSchemas = z.registry<{ id: string; description?: string }>();
export const responseSchemas = z.registry<{ id: string; description?: string }>();

export const timestamp = z.string().describe('an instant, ISO 8601 in UTC (`toISOString`)');
export const isoDate = z.string().describe('a calendar date, YYYY-MM-DD');
/** A fresh schema each time: a zod schema registers under one name only. */
export const jsonObject = () => z.record(z.string(), z.unknown());
