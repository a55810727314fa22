import { ValidateBy, type ValidationOptions } from 'class-validator';
import { IMAGE_LIMITS } from './image.contract';

const SCHEMES = ['file:', 'http:', 'https:'];
/** Printable ASCII: anything else is percent-encoded in a URL. */
const PRINTABLE_ASCII = /^[\x21-\x7e]+$/;

/**
 * Why an image's `install_url` cannot be taken, or undefined when it can: a `file://`, `http://`
 * or `https://` URL of at most 1024 characters, without credentials. The URL is stored in the
 * image's events and shown to everyone who reads the image, so a password in it would leak.
 */
export function installUrlProblem(value: unknown): string | undefined {
  if (typeof value !== 'string') return 'install_url must be a string';
  if (value.length === 0) return 'install_url must not be empty';
  if (value.length > IMAGE_LIMITS.urlLength) return `install_url must be at most ${IMAGE_LIMITS.urlLength} characters`;
  if (!PRINTABLE_ASCII.test(value)) {
    return 'install_url must be printable ASCII without blanks (percent-encode anything else)';
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'install_url must be a URL, e.g. file:///images/centos.qcow2 or https://mirror.example/centos.qcow2';
  }
  if (!SCHEMES.includes(url.protocol)) {
    return `install_url must be a file://, http:// or https:// URL (not ${url.protocol}//)`;
  }
  if (url.username !== '' || url.password !== '') {
    return (
      'install_url must not carry credentials (user:password@): the URL is stored in events and shown to every ' +
      'reader of the image; make the image readable without them'
    );
  }
  if (url.protocol !== 'file:' && url.hostname === '') return 'install_url must name a host';
  if (url.protocol === 'file:' && (url.pathname === '' || url.pathname === '/')) return 'install_url must name a file';
  return undefined;
}

/** The `install_url` rule of installUrlProblem, as a class-validator decorator (its message says what is wrong). */
export const IsInstallUrl = (options?: ValidationOptions): PropertyDecorator =>
  ValidateBy(
    {
      name: 'isInstallUrl',
      validator: {
        validate: (value: unknown) => installUrlProblem(value) === undefined,
        defaultMessage: (args) => installUrlProblem(args?.value) ?? 'install_url is not valid',
      },
    },
    options,
  );
