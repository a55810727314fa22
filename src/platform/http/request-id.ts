import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'express';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * First thing done to every request (createApp's first middleware): takes a valid `X-Request-Id`
 * from the client or draws a new one, and returns it in the response header. Everything after
 * (logs, errors, events) reads `req.id`.
 */
export function assignRequestId(req: Request, res: Response): void {
  const given = req.headers['x-request-id'];
  const id = typeof given === 'string' && UUID.test(given) ? given.toLowerCase() : randomUUID();
  (req as Request & { id: string }).id = id;
  res.setHeader('X-Request-Id', id);
}
