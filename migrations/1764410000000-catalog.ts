import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The service catalog in PostgreSQL: domains, aspects, the 97 items, departments and administrative divisions,
 * loaded from `libs/domain` at start-up (`loadCatalog`, versioned by a content hash), and the effective-dated
 * standard parameters, which an operator can correct through the API without a deploy. Other tables can
 * reference items, departments and divisions by their codes.
 */
export class Catalog1764410000000 implements MigrationInterface {
  name = 'Catalog1764410000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "catalog_versions" (
      "version" text NOT NULL,
      "loaded_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      "counts" jsonb NOT NULL DEFAULT '{}',
      CONSTRAINT "PK_catalog_versions" PRIMARY KEY ("version"))`);
    await q.query(`CREATE TABLE "catalog_domains" (
      "code" text NOT NULL,
      "position" integer NOT NULL,
      "name_zh" text NOT NULL,
      "name_en" text NOT NULL,
      "stated_item_count" integer NOT NULL,
      "stated_aspect_count" integer NOT NULL,
      CONSTRAINT "PK_catalog_domains" PRIMARY KEY ("code"))`);
    await q.query(`CREATE TABLE "catalog_aspects" (
      "code" text NOT NULL,
      "position" integer NOT NULL,
      "domain_code" text NOT NULL,
      "name_zh" text NOT NULL,
      "name_en" text NOT NULL,
      CONSTRAINT "PK_catalog_aspects" PRIMARY KEY ("code"),
      CONSTRAINT "FK_catalog_aspects_domain" FOREIGN KEY ("domain_code") REFERENCES "catalog_domains"("code"))`);
    await q.query(`CREATE TABLE "departments" (
      "code" text NOT NULL,
      "position" integer NOT NULL,
      "name_zh" text NOT NULL,
      "name_en" text NOT NULL,
      "district_name_pattern" text NOT NULL,
      "details" jsonb NOT NULL DEFAULT '{}',
      CONSTRAINT "PK_departments" PRIMARY KEY ("code"))`);
    // The city's parent (650000, the autonomous region) is outside the list, so parent_code carries no foreign key.
    await q.query(`CREATE TABLE "divisions" (
      "code" text NOT NULL,
      "parent_code" text NOT NULL,
      "name" text NOT NULL,
      "level" text NOT NULL,
      "kind" text NOT NULL,
      CONSTRAINT "PK_divisions" PRIMARY KEY ("code"))`);
    await q.query(`CREATE INDEX "IDX_divisions_parent" ON "divisions" ("parent_code")`);
    await q.query(`CREATE TABLE "catalog_items" (
      "code" text NOT NULL,
      "position" integer NOT NULL,
      "name_zh" text NOT NULL,
      "name_en" text NOT NULL,
      "domain_code" text NOT NULL,
      "aspect_code" text NOT NULL,
      "mode" text NOT NULL,
      "secondary_modes" text array NOT NULL DEFAULT '{}',
      "procedure_id" text,
      "lead_department_code" text NOT NULL,
      "is_application" boolean NOT NULL,
      "details" jsonb NOT NULL DEFAULT '{}',
      CONSTRAINT "PK_catalog_items" PRIMARY KEY ("code"),
      CONSTRAINT "FK_catalog_items_domain" FOREIGN KEY ("domain_code") REFERENCES "catalog_domains"("code"),
      CONSTRAINT "FK_catalog_items_aspect" FOREIGN KEY ("aspect_code") REFERENCES "catalog_aspects"("code"),
      CONSTRAINT "FK_catalog_items_lead_department" FOREIGN KEY ("lead_department_code") REFERENCES "departments"("code"))`);
    // A value is either integer fen (amount units) or a plain number (a multiple, a count); never both.
    await q.query(`CREATE TABLE "catalog_parameters" (
      "id" BIGSERIAL NOT NULL,
      "key" text NOT NULL,
      "item_code" text NOT NULL,
      "value_fen" bigint,
      "value_number" numeric,
      "unit" text NOT NULL,
      "bound" text NOT NULL,
      "valid_from" date,
      "valid_from_precision" text NOT NULL DEFAULT 'day',
      "valid_to" date,
      "source" text NOT NULL,
      "evidence" text NOT NULL,
      "note" text,
      "reason" text,
      "origin" text NOT NULL,
      "seed_id" text,
      "published_by" text NOT NULL,
      "published_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      "superseded_at" TIMESTAMP WITH TIME ZONE,
      "superseded_by" bigint,
      CONSTRAINT "UQ_catalog_parameters_seed_id" UNIQUE ("seed_id"),
      CONSTRAINT "CHK_catalog_parameters_one_value" CHECK (num_nonnulls("value_fen", "value_number") = 1),
      CONSTRAINT "CHK_catalog_parameters_period" CHECK ("valid_to" IS NULL OR "valid_from" IS NULL OR "valid_to" > "valid_from"),
      CONSTRAINT "PK_catalog_parameters" PRIMARY KEY ("id"),
      CONSTRAINT "FK_catalog_parameters_item" FOREIGN KEY ("item_code") REFERENCES "catalog_items"("code"),
      CONSTRAINT "FK_catalog_parameters_superseded_by" FOREIGN KEY ("superseded_by") REFERENCES "catalog_parameters"("id"))`);
    await q.query(`CREATE INDEX "IDX_catalog_parameters_key" ON "catalog_parameters" ("key", "valid_from")`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'catalog_parameters',
      'catalog_items',
      'divisions',
      'departments',
      'catalog_aspects',
      'catalog_domains',
      'catalog_versions',
    ]) {
      await q.query(`DROP TABLE "${table}"`);
    }
  }
}
