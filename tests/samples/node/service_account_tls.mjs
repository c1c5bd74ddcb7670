// Node's @google-apps/chat with a service-account key file over TLS, built as Google's node-samples build their
// app-auth clients (chat/client-libraries/cloud/authentication-utils.js: `new ChatServiceClient({keyFile, scopes})`)
// with only the endpoint added (`apiEndpoint: 'localhost', port`). tests/service_accounts/test_grpc_tls.py runs it
// with `node`; the packages come from the repository's node_modules (`npm ci`). The CA comes from the environment
// only: NODE_EXTRA_CA_CERTS, which Node's TLS reads for both transports (grpc-js, and `fallback: true`'s fetch).
//
// Usage: node service_account_tls.mjs GRPC_PORT HTTPS_PORT KEY_FILE UNTRUSTED_KEY_FILE
//
// - grpc: the default transport, `{keyFile, scopes}`: creates a space, posts, reads, lists (listSpacesAsync).
// - rest: `fallback: true` with `credentials` (the other way google-auth-library takes a key): the key file's JSON,
//   same calls. (Only `{client_email, private_key}` would do for Google, but then the JWT has no `kid`, and chatsvc
//   picks the key of a bearer JWT by its `kid` alone: refused. Its token endpoint finds a kid-less assertion's key
//   by the account; the bearer path does not yet.)
// - grpc_untrusted: a key the server does not trust: UNAUTHENTICATED.
// Neither transport posts to a token endpoint: google-gax sets `useJWTAccessWithScope` on its auth, so the JWT client
// signs its own token (with a `scope` claim). What was sent is read from the JWT client's getRequestMetadataAsync
// (wrapped to record its result, nothing changed).
//
// Prints one JSON object and exits 0; an unexpected error exits 1 with its stack on stderr.

import {readFile} from 'fs/promises';
import {ChatServiceClient} from '@google-apps/chat';
import {JWT} from 'google-auth-library';

const AUTH = 'https://www.googleapis.com/auth/';
const SCOPES = [AUTH + 'chat.app.spaces.create', AUTH + 'chat.bot'];
const OPTIONS = {timeout: 30000};
const CODES = {7: 'PERMISSION_DENIED', 16: 'UNAUTHENTICATED'};

const sent = [];
const metadata = JWT.prototype.getRequestMetadataAsync;
JWT.prototype.getRequestMetadataAsync = async function (...args) {
  const result = await metadata.apply(this, args);
  const headers = result.headers;
  sent.push(headers.get ? headers.get('authorization') : headers.Authorization || headers.authorization);
  return result;
};

function claims(bearer) {
  const [header, body] = bearer.replace(/^Bearer /, '').split('.').slice(0, 2)
      .map((part) => JSON.parse(Buffer.from(part, 'base64url')));
  return {alg: header.alg, kid: header.kid, iss: body.iss, sub: body.sub, aud: body.aud ?? null,
    scope: body.scope ?? null};
}

async function lifecycle(client, label) {
  const [space] = await client.createSpace({space: {spaceType: 'SPACE', customer: 'customers/my_customer',
    displayName: `node ${label} ${Math.random().toString(16).slice(2, 8)}`}}, OPTIONS);
  const [message] = await client.createMessage({parent: space.name, message: {text: `hello from node ${label}`}},
      OPTIONS);
  const [got] = await client.getMessage({name: message.name}, OPTIONS);
  const listed = [];
  for await (const each of client.listSpacesAsync({filter: 'space_type = "SPACE"'}, OPTIONS)) {
    listed.push(each.name);
  }
  return {space: space.name, message: got.name, text: got.text, sender: got.sender.name,
    senderType: got.sender.type, listed: listed.includes(space.name), token: claims(sent[sent.length - 1])};
}

async function refused(call) {
  try {
    await call();
  } catch (error) {
    return {code: CODES[error.code] ?? error.code, reason: error.reason ?? null};
  }
  return {code: 'OK'};
}

async function main() {
  const [grpcPort, httpsPort, keyFile, untrustedFile] = process.argv.slice(2);
  const out = {};

  out.grpc = await lifecycle(new ChatServiceClient({keyFile, scopes: SCOPES, apiEndpoint: 'localhost',
    port: Number(grpcPort)}), 'grpc');

  const key = JSON.parse(await readFile(keyFile, 'utf8'));
  out.rest = await lifecycle(new ChatServiceClient({fallback: true, scopes: SCOPES, apiEndpoint: 'localhost',
    port: Number(httpsPort), credentials: key}), 'rest');

  const untrusted = new ChatServiceClient({keyFile: untrustedFile, scopes: SCOPES, apiEndpoint: 'localhost',
    port: Number(grpcPort)});
  out.grpc_untrusted = await refused(() => untrusted.listSpaces({}, {timeout: 30000, retry: null}));
  return out;
}

main().then((out) => console.log(JSON.stringify(out)), (error) => {
  console.error(error);
  process.exitCode = 1;
});
