import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Express, NextFunction, Request, Response } from 'express';

/** Where the console is served; its client-side routes live under it too. */
export const CONSOLE_PATH = '/console';

/**
 * The console's pages load only their own scripts, styles and images, and talk only to this origin
 * (the API): no inline script, no eval, no framing. React sets styles through the CSSOM, which
 * `style-src 'self'` allows.
 */
export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** dist/console, written by `npm run build` (vite); found from the repository root whether this file runs from src/ or dist/. */
export function consoleDirectory(from = __dirname): string {
  let directory = from;
  while (!existsSync(join(directory, 'package.json')) && dirname(directory) !== directory) directory = dirname(directory);
  return join(directory, 'dist', 'console');
}

/**
 * Serves the web console at /console from the same origin as the API: its hashed assets cached for
 * good, any other path under /console answered with index.html (client-side routes), `/` redirected
 * there. Routes under /v1 never reach this, so an unknown API route stays a JSON 404.
 */
export function serveConsole(app: NestExpressApplication, directory = consoleDirectory()): void {
  const index = join(directory, 'index.html');
  // Mounted on their paths, so that no other request (the API's) runs any of this.
  const express = app.getHttpAdapter().getInstance() as Express;
  express.get('/', (_req: Request, res: Response) => res.redirect(302, `${CONSOLE_PATH}/`));
  app.use(CONSOLE_PATH, (req: Request, res: Response, next: NextFunction) => {
    res.setHeader('Content-Security-Policy', CONSOLE_CSP);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    if (req.originalUrl.split('?')[0] === CONSOLE_PATH) return res.redirect(301, `${CONSOLE_PATH}/`);
    next();
  });
  app.useStaticAssets(directory, {
    prefix: CONSOLE_PATH,
    index: false,
    fallthrough: true,
    setHeaders: (res, path) => {
      // File names under assets/ carry a content hash: a new build gets new names.
      if (path.includes(`${join(directory, 'assets')}`)) res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
    },
  });
  app.use(CONSOLE_PATH, (req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    // A missing asset is a plain 404, not the page (a browser would try to run HTML as a script).
    if (req.path.startsWith('/assets/')) return res.status(404).type('text/plain').send('not found');
    if (!existsSync(index)) {
      return res.status(503).type('text/plain').send('The console is not built: run `npm run build`.');
    }
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(index);
  });
}
