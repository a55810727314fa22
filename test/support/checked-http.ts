import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import request from 'supertest';
import { ResponseContract, type ObservedResponse, type OpenApiDocument } from './response-contract';
import { responseTally } from './response-tally';

/**
 * Every response an end-to-end test receives goes through here, to be held against the OpenAPI
 * document of the server that gave it (see ResponseContract for what is checked): a response the
 * document does not describe fails the test that made it. The document is the one the server under
 * test serves, fetched once per server, so it is always the code's current truth, and an
 * extension module's operations are checked as soon as it documents them.
 */

const contracts = new Map<string, Promise<ResponseContract>>();

/** Fetches the document a server serves (the check of this one response would be circular). */
async function fetchContract(baseUrl: string): Promise<ResponseContract> {
  const res = await fetch(`${baseUrl}/v1/openapi.json`);
  if (res.status !== 200) throw new Error(`GET ${baseUrl}/v1/openapi.json answered ${res.status}`);
  return new ResponseContract((await res.json()) as OpenApiDocument);
}

/** The contract of a freshly started server (a port can be reused by a later server: it replaces its predecessor's). */
export async function loadContract(baseUrl: string): Promise<ResponseContract> {
  const contract = fetchContract(baseUrl);
  contracts.set(baseUrl, contract);
  return contract;
}

/** The contract of the server at `baseUrl`, fetched the first time it is asked for. */
export function contractOf(baseUrl: string): Promise<ResponseContract> {
  let contract = contracts.get(baseUrl);
  if (!contract) {
    contract = fetchContract(baseUrl);
    contracts.set(baseUrl, contract);
  }
  return contract;
}

/** Holds one response against a contract and counts it; throws when the document does not describe it. */
export function checkResponse(contract: ResponseContract, response: ObservedResponse): void {
  const tally = responseTally();
  tally.checked += 1;
  try {
    contract.assert(response);
  } catch (error) {
    tally.failed += 1;
    throw error;
  }
}

/**
 * For clients of their own (node:http for event streams, fetch): holds the response to
 * `method path` from the server at `baseUrl`. Pass `text` once the body was read; without it (a
 * stream left open) the status and headers are checked.
 */
export async function checkResponseOf(
  baseUrl: string,
  response: { method: string; path: string; status: number; headers: IncomingHttpHeaders | Headers; text?: string },
): Promise<void> {
  const headers = response.headers instanceof Headers ? Object.fromEntries(response.headers.entries()) : response.headers;
  checkResponse(await contractOf(baseUrl), { ...response, url: response.path, headers });
}

/**
 * For a node:http response that may be an event stream: a 200 (a stream) is checked at once by its
 * status and headers; any other status once its body has come (the client reads it as usual).
 * Resolves or rejects with the check; mark the promise handled if it is awaited only later.
 */
export function checkIncoming(baseUrl: string, method: string, path: string, res: IncomingMessage): Promise<void> {
  const response = { method, path, status: res.statusCode ?? 0, headers: res.headers };
  if (response.status === 200) return checkResponseOf(baseUrl, response);
  let text = '';
  res.on('data', (chunk: Buffer | string) => (text += String(chunk)));
  return new Promise((resolve, reject) =>
    res.on('close', () => checkResponseOf(baseUrl, { ...response, text }).then(resolve, reject)),
  );
}

type Agent = ReturnType<typeof request>;

/** supertest against the server, every request's response held against `contract` before the test sees it. */
export function checkedHttp(agent: Agent, contract: ResponseContract): Agent {
  return new Proxy(agent, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        const test: unknown = value.apply(target, args);
        if (!(test instanceof request.Test)) return test;
        return test.expect((res) =>
          checkResponse(contract, {
            method: test.method,
            url: test.url,
            status: res.status,
            headers: res.headers,
            text: res.text,
          }),
        );
      };
    },
  });
}
