import { createHash } from 'node:crypto';
import { type Handler, text } from './sim-node';

const SCHEMES = new Set(['file:', 'http:', 'https:']);
const FORMATS = new Set(['iso', 'qcow2', 'raw']);

/**
 * Image kinds of the sim driver. `image/fetch` (payload `{install_url, format}`): the node fetches
 * an image by its `install_url` into its image cache and reports its size and checksum; the
 * simulated size and checksum are drawn from the URL, so every node reports the same for one
 * image. What a real node could not fetch fails the task: a URL it cannot read (not a file://,
 * http:// or https:// URL, or one with credentials, which the server never sends) or an unknown format.
 */
export const IMAGE_HANDLERS: Record<string, Handler> = {
  'image/fetch': (node, task) => {
    const url = text(task, 'install_url');
    const format = text(task, 'format');
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new Error(`cannot fetch ${url}: not a URL`);
    }
    if (!SCHEMES.has(parsed.protocol)) throw new Error(`cannot fetch ${url}: ${parsed.protocol} is not supported`);
    if (parsed.username !== '' || parsed.password !== '') throw new Error('cannot fetch a URL with credentials');
    if (!FORMATS.has(format)) throw new Error(`cannot fetch ${url}: unknown format ${format}`);
    const digest = createHash('sha256').update(url).digest();
    // 256 MiB to 4 GiB, in whole MiB.
    const size = (256 + (digest.readUInt32BE(0) % 3841)) * 2 ** 20;
    const image = { size, checksum: `sha256:${digest.toString('hex')}` };
    node.images.set(task.resource_uuid, image);
    return image;
  },
};
