import { ChimeApiError, ChimeClient, ChimeConnectionError } from '@chime/client';
import type { SuccessEnvelope } from '@chime/contracts';
import { type CommandSpec, type CommandTree, commandTree, type OpenApiDocument } from './command-tree';
import { type ChimeConfig, configPath, readConfig, writeConfig } from './config-file';
import { buildRequest, type OutputFormat, type ParsedArgs, parseArgs } from './flags';
import { categoryHelp, commandHelp, mainHelp } from './help';
import { loadSnapshot } from './openapi-snapshot';
import { renderTable } from './table';
import { closest, UsageError } from './usage-error';

export interface CliIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  /**
   * HOME and XDG_CONFIG_HOME locate the config file; CHIMECLI_OPENAPI_FILE names an OpenAPI document
   * to take the commands from instead of the build's snapshot (a newer server's, or a test's).
   */
  env: Record<string, string | undefined>;
  /** Where the commands come from; default $CHIMECLI_OPENAPI_FILE, else the snapshot written at build. */
  openApi?: () => OpenApiDocument;
}

/** 0 success; 1 the call failed (server, network, session); 2 the command line is wrong. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

const LOGIN_HINT = 'chimecli login --api-endpoint <host:port> --name <user> --password <password>';

/**
 * `chimecli <category> <operation> [flags]` (API.md §8). Returns the exit status instead of exiting,
 * so tests drive it in-process.
 */
export async function run(argv: string[], io: CliIo): Promise<number> {
  try {
    return await dispatch(parseArgs(argv), io);
  } catch (error) {
    io.stderr.write(`chimecli: ${(error as Error).message}\n`);
    return error instanceof UsageError ? EXIT.usage : EXIT.failed;
  }
}

async function dispatch(args: ParsedArgs, io: CliIo): Promise<number> {
  const [category, operation, extra] = args.words;
  if (category === 'login') return login(args, io);
  if (category === 'logout') return logout(args, io);
  if (category === undefined || category === 'help') {
    let tree: CommandTree | undefined;
    let treeError: string | undefined;
    try {
      tree = loadTree(io);
    } catch (error) {
      treeError = (error as Error).message;
    }
    io.stdout.write(mainHelp(tree, treeError));
    return EXIT.ok;
  }
  const tree = loadTree(io);
  const operations = tree.get(category);
  if (!operations) throw unknownCategory(tree, category);
  if (operation === undefined) {
    (args.help ? io.stdout : io.stderr).write(categoryHelp(category, operations));
    return args.help ? EXIT.ok : EXIT.usage;
  }
  const command = operations.get(operation);
  if (!command) {
    const hint = closest(operation, operations.keys());
    throw new UsageError(
      `${category} has no operation ${operation}${hint ? `; did you mean ${hint}?` : ''} (see chimecli ${category} --help)`,
    );
  }
  if (extra !== undefined) throw new UsageError(`unexpected argument "${extra}"; flags start with --`);
  if (args.help) {
    io.stdout.write(commandHelp(command));
    return EXIT.ok;
  }
  return execute(command, args, io);
}

function loadTree(io: CliIo): CommandTree {
  const document = io.openApi ? io.openApi() : loadSnapshot(io.env.CHIMECLI_OPENAPI_FILE || undefined);
  return commandTree(document);
}

function unknownCategory(tree: CommandTree, category: string): UsageError {
  // `chimecli listAz` forgets the category: point at the right one.
  const owner = [...tree].find(([, operations]) => operations.has(category));
  if (owner) return new UsageError(`${category} is an operation of ${owner[0]}: chimecli ${owner[0]} ${category}`);
  const hint = closest(category, [...tree.keys(), 'login', 'logout']);
  return new UsageError(`unknown category ${category}${hint ? `; did you mean ${hint}?` : ''} (see chimecli --help)`);
}

async function execute(command: CommandSpec, args: ParsedArgs, io: CliIo): Promise<number> {
  const request = buildRequest(command, args.flags);
  const file = configPath(io.env);
  const config = readConfig(file);
  if (!config.api_endpoint || !config.token) throw new Error(`not logged in; first run: ${LOGIN_HINT}`);
  const client = new ChimeClient({ endpoint: config.api_endpoint, token: config.token });
  const explain = (error: ChimeApiError) => (error.code === 401 ? sessionMessage(config, error) : apiMessage(error));
  // By method and path from the document, not by operationId: the document may be a newer server's.
  print(await send(() => client.sendTo(command, request), args, io, explain), args.output, io);
  return EXIT.ok;
}

/**
 * One call. On failure the failure envelope still goes to stdout (ChimeStack prints the envelope
 * either way), and an error with a message for people is thrown for stderr.
 */
async function send<Envelope>(
  call: () => Promise<Envelope>,
  args: ParsedArgs,
  io: CliIo,
  explain: (error: ChimeApiError) => string = apiMessage,
): Promise<Envelope> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof ChimeApiError) {
      if (args.output === 'json') io.stdout.write(json(error.toEnvelope()));
      throw new Error(explain(error), { cause: error });
    }
    if (error instanceof ChimeConnectionError) throw new Error(connectionMessage(error), { cause: error });
    throw error;
  }
}

async function login(args: ParsedArgs, io: CliIo): Promise<number> {
  const known = ['api-endpoint', 'name', 'password'];
  for (const flag of args.flags.keys()) {
    if (!known.includes(flag)) {
      const hint = closest(flag, known);
      throw new UsageError(`unknown flag --${flag} for login${hint ? `; did you mean --${hint}?` : ''} (usage: ${LOGIN_HINT})`);
    }
  }
  if (args.help) {
    io.stdout.write(`usage: ${LOGIN_HINT}\nThe endpoint defaults to the last one logged in to.\n`);
    return EXIT.ok;
  }
  const file = configPath(io.env);
  const endpoint = args.flags.get('api-endpoint') ?? readConfig(file).api_endpoint;
  const name = args.flags.get('name');
  const password = args.flags.get('password');
  if (!endpoint || name === undefined || password === undefined)
    throw new UsageError(`login needs --api-endpoint, --name and --password: ${LOGIN_HINT}`);
  const client = new ChimeClient({ endpoint });
  const envelope = await send(
    () => client.send('login', { body: { user_name: name, password } }),
    args,
    io,
    (error) => `login failed: ${apiMessage(error)}`,
  );
  const { uuid: token, expired_at } = envelope.result.user;
  writeConfig(file, { api_endpoint: client.endpoint, token, user_name: name, expired_at });
  print(envelope, args.output, io);
  return EXIT.ok;
}

/** Revokes the token, then forgets it; the endpoint stays for the next login. */
async function logout(args: ParsedArgs, io: CliIo): Promise<number> {
  const flag = args.flags.keys().next().value;
  if (flag !== undefined) throw new UsageError(`unknown flag --${flag} for logout (usage: chimecli logout)`);
  if (args.help) {
    io.stdout.write('usage: chimecli logout\nRevokes the stored token on the server and removes it from the config file.\n');
    return EXIT.ok;
  }
  const file = configPath(io.env);
  const { api_endpoint: endpoint, token } = readConfig(file);
  if (!endpoint || !token) {
    io.stderr.write('not logged in; nothing to do\n');
    return EXIT.ok;
  }
  const client = new ChimeClient({ endpoint });
  let envelope: SuccessEnvelope<unknown>;
  try {
    envelope = await send(() => client.send('logout', { body: { token } }), args, io);
  } catch (error) {
    // Keep the token: forgetting it here would leave a live token that nobody can revoke.
    throw new Error(`logout failed, the token is still in ${file}: ${(error as Error).message}`, { cause: error });
  }
  writeConfig(file, { api_endpoint: endpoint });
  print(envelope, args.output, io);
  return EXIT.ok;
}

function print(envelope: SuccessEnvelope<unknown>, output: OutputFormat, io: CliIo): void {
  io.stdout.write(output === 'table' ? renderTable(envelope.result) : json(envelope));
}

function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

function apiMessage(error: ChimeApiError): string {
  return `${error.message} (${error.status}, HTTP ${error.code}${error.requestId ? `, request ${error.requestId}` : ''})`;
}

function sessionMessage(config: ChimeConfig, error: ChimeApiError): string {
  const expiredAt = config.expired_at ? Date.parse(config.expired_at) : NaN;
  const why =
    expiredAt <= Date.now()
      ? `your session expired at ${config.expired_at}`
      : `the server refused the stored token: ${error.message}`;
  const again = `chimecli login --api-endpoint ${config.api_endpoint} --name ${config.user_name ?? '<user>'} --password <password>`;
  return `${why}; log in again: ${again}`;
}

function connectionMessage(error: ChimeConnectionError): string {
  return `${error.message}; is the server running, and is the endpoint right?`;
}
