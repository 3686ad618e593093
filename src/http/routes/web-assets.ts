import fs from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { WEB_DIST } from '../../site/assets.js';

/**
 * The browser bundle built by Vite. File names carry a content hash, so they are cached for a
 * year; nothing is registered when the bundle was not built.
 */
export function webAssetRoutes(app: FastifyInstance, dir: string = WEB_DIST): void {
  const root = path.join(dir, 'assets');
  if (!fs.existsSync(root)) return;
  void app.register(fastifyStatic, {
    root,
    prefix: '/assets/',
    immutable: true,
    maxAge: '365d',
    index: false,
    wildcard: false,
  });
}
