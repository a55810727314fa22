import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Image buckets and images. Bucket uuids are text (`public`, or a user's uuid) in the "C" collation,
 * so that they sort as bytes, as the replay check reads them. The views read `users` (the identity
 * module's table, by name) for the owner's name and for what each user sees.
 */
export class CreateImages1764300008000 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE image_buckets (
        uuid         text COLLATE "C" PRIMARY KEY
                     CHECK (uuid = 'public' OR uuid ~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'),
        name         text        NOT NULL CHECK (length(name) BETWEEN 1 AND 255),
        bucket_name  text        NOT NULL DEFAULT '',
        description  text        NOT NULL DEFAULT '',
        type         smallint    NOT NULL CHECK (type IN (0, 1)),
        state        smallint    NOT NULL CHECK (state = 1),
        owner_uuid   uuid,
        version      integer     NOT NULL,
        created_at   timestamptz NOT NULL,
        CHECK ((type = 0) = (uuid = 'public')),
        CHECK ((type = 0 AND owner_uuid IS NULL) OR (type = 1 AND owner_uuid::text = uuid))
      )`);
    await q.query(`
      CREATE TABLE images (
        uuid         uuid        PRIMARY KEY,
        name         text        NOT NULL CHECK (length(name) BETWEEN 1 AND 255),
        description  text        NOT NULL DEFAULT '',
        state        smallint    NOT NULL CHECK (state IN (0, 1, 2, 10)),
        operation    text        NOT NULL DEFAULT '',
        bucket_uuid  text COLLATE "C" NOT NULL,
        format       text        NOT NULL CHECK (format IN ('iso', 'qcow2', 'raw')),
        os_type      text        NOT NULL DEFAULT '' CHECK (length(os_type) <= 32),
        os_detail    text        NOT NULL DEFAULT '' CHECK (length(os_detail) <= 32),
        os_arch      text        NOT NULL DEFAULT '' CHECK (length(os_arch) <= 32),
        boot_type    text        NOT NULL DEFAULT '' CHECK (length(boot_type) <= 32),
        shared       smallint    NOT NULL CHECK (shared IN (0, 1)),
        install_url  text        NOT NULL CHECK (length(install_url) BETWEEN 1 AND 1024),
        size         bigint      NOT NULL DEFAULT 0 CHECK (size >= 0),
        checksum     text        NOT NULL DEFAULT '',
        version      integer     NOT NULL,
        created_at   timestamptz NOT NULL,
        CONSTRAINT images_bucket_uuid_fkey FOREIGN KEY (bucket_uuid) REFERENCES image_buckets (uuid) ON DELETE RESTRICT
      )`);
    await q.query('CREATE UNIQUE INDEX images_bucket_name_key ON images (bucket_uuid, lower(name))');
    await q.query('CREATE INDEX images_created_at_idx ON images (created_at, uuid)');
    await q.query(`
      CREATE VIEW image_rows AS
        SELECT i.uuid, i.name, i.description, i.state, i.operation, i.bucket_uuid, b.name AS bucket_name, b.type,
               i.format, i.os_type, i.os_detail, i.os_arch, i.boot_type, i.shared, i.install_url, i.size, i.checksum,
               i.created_at
          FROM images i JOIN image_buckets b ON b.uuid = i.bucket_uuid`);
    await q.query(`
      CREATE VIEW image_visible_rows AS
        SELECT u.uuid AS viewer_uuid, r.*
          FROM users u JOIN image_rows r ON r.type = 0 OR r.shared = 1 OR r.bucket_uuid = u.uuid::text`);
    await q.query(`
      CREATE VIEW image_bucket_rows AS
        SELECT b.uuid, b.name, b.bucket_name, b.description, b.type, b.state, coalesce(u.name, '') AS user_name,
               (SELECT count(*) FROM images i WHERE i.bucket_uuid = b.uuid) AS image_count, b.created_at
          FROM image_buckets b LEFT JOIN users u ON u.uuid = b.owner_uuid`);
    await q.query(`
      CREATE VIEW image_bucket_visible_rows AS
        SELECT u.uuid AS viewer_uuid, r.*
          FROM users u JOIN image_bucket_rows r ON r.type = 0 OR r.uuid = u.uuid::text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP VIEW image_bucket_visible_rows');
    await q.query('DROP VIEW image_bucket_rows');
    await q.query('DROP VIEW image_visible_rows');
    await q.query('DROP VIEW image_rows');
    await q.query('DROP TABLE images');
    await q.query('DROP TABLE image_buckets');
  }
}
