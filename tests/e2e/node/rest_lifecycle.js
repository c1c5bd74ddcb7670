// The REST lifecycle with Google's Node client, @google-apps/chat, on its REST transport (`fallback: true`).
//
// test_rest_clients.py runs it with `node`; the packages come from the repository's node_modules (package.json's
// devDependencies, installed by `npm ci` with buf). @google-apps/chat 0.32.0 (google-gax 6) declares Node >= 22 and
// the machines have Node 20, on which all of this runs (npm only warns). The last release declaring Node 18,
// 0.22.0 (google-gax 5), is no alternative: its REST transport hands back every HTTP error as a raw GaxiosError,
// without the gRPC code, reason or details that gax 6 decodes from Google's envelope.
// The client is built as for chat.googleapis.com apart from the endpoint and the credentials:
//
// - Endpoint: google-gax's fallback (REST) transport builds every URL as
//   `${protocol}://${servicePath}:${port}/...` (fallbackRest.ts encodeRequest); `protocol` is a documented
//   ClientOptions field of google-gax (default 'https'), which the generated client hands unchanged to
//   GrpcClient.createStub with `apiEndpoint` (its servicePath) and `port`. So a plain-http server is reached with
//   `{apiEndpoint: '127.0.0.1', port: PORT, protocol: 'http'}` and no change to client code.
// - Credentials: `authClient` is used as the auth client as it is (GrpcClient's constructor); an OAuth2Client of
//   google-auth-library holding only an access token (setCredentials({access_token})) puts
//   `Authorization: Bearer T` on every request and, with no expiry, never tries to refresh it.
//
// Usage: node rest_lifecycle.js BASE
//   BASE                           the HTTP endpoint, http://HOST:PORT
//   env CHATSVC_E2E_TOKEN           alice (chat.spaces, chat.memberships, chat.messages): she creates the space
//   env CHATSVC_E2E_BOB_TOKEN       bob, same scopes: alice adds him; he replies in her thread
//   env CHATSVC_E2E_READONLY_TOKEN  alice with chat.messages.readonly only: too little to post
//
// Prints one JSON summary of what the client saw, in the shape rest_official_flow.py prints (the test checks all
// client families with one function), and exits 0; an unexpected error exits 1 with its stack on stderr.
'use strict';

const crypto = require('crypto');
const {ChatServiceClient} = require('@google-apps/chat');
const {OAuth2Client} = require('google-auth-library');

const THREAD_KEY = 'rest-e2e-thread';
const CLIENT_ID = 'client-rest-e2e';
const PAGE_SIZE = 2;
const TIMEOUT = {timeout: 30000};
// The gRPC status codes by number (google.rpc.Code), to report the client's numeric `code` by name.
const CODES = ['OK', 'CANCELLED', 'UNKNOWN', 'INVALID_ARGUMENT', 'DEADLINE_EXCEEDED', 'NOT_FOUND', 'ALREADY_EXISTS',
  'PERMISSION_DENIED', 'RESOURCE_EXHAUSTED', 'FAILED_PRECONDITION', 'ABORTED', 'OUT_OF_RANGE', 'UNIMPLEMENTED',
  'INTERNAL', 'UNAVAILABLE', 'DATA_LOSS', 'UNAUTHENTICATED'];

function client(base, token) {
  const url = new URL(base);
  const authClient = new OAuth2Client();
  authClient.setCredentials({access_token: token});
  return new ChatServiceClient({
    fallback: true,
    apiEndpoint: url.hostname,
    port: Number(url.port),
    protocol: url.protocol.replace(/:$/, ''),
    authClient,
  });
}

function messageOf(message) {
  return {
    name: message.name,
    text: message.text,
    thread: message.thread ? message.thread.name : '',
    sender: message.sender.name,
    sender_type: message.sender.type,
    space: message.space ? message.space.name : '',
    client_id: message.clientAssignedMessageId,
    create_time: Boolean(message.createTime),
    last_update_time: Boolean(message.lastUpdateTime),
  };
}

async function failure(call) {
  try {
    await call();
  } catch (error) {
    const details = error.statusDetails || [];
    const infos = details.filter(d => d.constructor && d.constructor.name === 'ErrorInfo');
    const fields = details
      .filter(d => d.constructor && d.constructor.name === 'BadRequest')
      .flatMap(d => d.fieldViolations.map(v => v.field));
    return {
      kind: error.constructor.name,
      grpc_code: error.code,
      status: CODES[error.code],
      http: error.httpStatusCode === undefined ? null : error.httpStatusCode,
      reason: error.reason === undefined ? null : error.reason,
      domain: error.domain === undefined ? null : error.domain,
      message: error.message,
      details_reason: infos.length ? infos[0].reason : null,
      fields,
    };
  }
  return {kind: 'no error'};
}

async function run(base, aliceToken, bobToken, readonlyToken) {
  const alice = client(base, aliceToken);
  const bob = client(base, bobToken);
  const readonly = client(base, readonlyToken);
  const summary = {client: '@google-apps/chat fallback'};

  const displayName = `rest e2e ${crypto.randomBytes(4).toString('hex')}`;
  const [space] = await alice.createSpace({space: {spaceType: 'SPACE', displayName}}, TIMEOUT);
  const [gotSpace] = await alice.getSpace({name: space.name}, TIMEOUT);
  summary.display_name = displayName;
  summary.space = {name: space.name, display_name: space.displayName, space_type: space.spaceType};
  summary.space_got = {name: gotSpace.name, display_name: gotSpace.displayName, space_type: gotSpace.spaceType};
  // UpdateSpace: PATCH with the mask as a query parameter (the transport writes its paths in camelCase).
  const [renamed] = await alice.updateSpace({
    space: {name: space.name, displayName: `${displayName} renamed`, spaceDetails: {description: 'about REST'}},
    updateMask: {paths: ['display_name', 'space_details']}}, TIMEOUT);
  summary.space_updated = {name: renamed.name, display_name: renamed.displayName,
    description: renamed.spaceDetails.description};
  summary.spaces_listed = (await alice.listSpaces({}, TIMEOUT))[0].map(s => s.name);

  const [membership] = await alice.createMembership(
    {parent: space.name, membership: {member: {name: 'users/bob@example.com', type: 'HUMAN'}}}, TIMEOUT);
  summary.membership = {name: membership.name, member: membership.member.name, state: membership.state,
    role: membership.role};
  summary.membership_got = (await alice.getMembership({name: membership.name}, TIMEOUT))[0].name;
  summary.membership_by_email = (await alice.getMembership(
    {name: `${space.name}/members/bob@example.com`}, TIMEOUT))[0].name;
  const [memberships] = await alice.listMemberships({parent: space.name}, TIMEOUT);
  summary.memberships = memberships.map(m => m.name);
  summary.members = memberships.map(m => m.member.name);

  const threaded = {messageReplyOption: 'REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD'};
  const created = [(await alice.createMessage({parent: space.name, ...threaded,
    message: {text: 'first, in a thread', thread: {threadKey: THREAD_KEY}}}, TIMEOUT))[0]];
  created.push((await bob.createMessage({parent: space.name, ...threaded,
    message: {text: 'bob replies', thread: {threadKey: THREAD_KEY}}}, TIMEOUT))[0]);
  for (let i = 0; i < 2; i++) {
    created.push((await alice.createMessage({parent: space.name, message: {text: `plain ${i}`}}, TIMEOUT))[0]);
  }
  // The last one with a client-assigned id (the `messageId` query parameter), which then names it too.
  created.push((await alice.createMessage(
    {parent: space.name, message: {text: 'plain 2'}, messageId: CLIENT_ID}, TIMEOUT))[0]);
  summary.got_by_client_id = (await alice.getMessage({name: `${space.name}/messages/${CLIENT_ID}`}, TIMEOUT))[0].name;
  summary.messages = created.map(messageOf);
  const first = created[0];
  summary.got = messageOf((await alice.getMessage({name: first.name}, TIMEOUT))[0]);

  // UpdateMessage goes out on its first binding, PUT.
  const [updated] = await alice.updateMessage(
    {message: {name: first.name, text: 'first, edited'}, updateMask: {paths: ['text']}}, TIMEOUT);
  summary.updated = messageOf(updated);
  summary.got_after_update = messageOf((await alice.getMessage({name: first.name}, TIMEOUT))[0]);

  // Page by page: autoPaginate off gives [page, the next request or null, the raw response].
  summary.pages = [];
  summary.page_tokens = [];
  let request = {parent: space.name, pageSize: PAGE_SIZE};
  while (request) {
    const [page, next, raw] = await alice.listMessages(request, {...TIMEOUT, autoPaginate: false});
    summary.pages.push(page.map(m => m.name));
    summary.page_tokens.push(Boolean(raw.nextPageToken));
    request = next;
  }
  summary.bob_listed = (await bob.listMessages({parent: space.name}, TIMEOUT))[0].map(m => m.name);
  // The async iterator follows nextPageToken too.
  summary.iterated = [];
  for await (const m of alice.listMessagesAsync({parent: space.name, pageSize: PAGE_SIZE}, TIMEOUT)) {
    summary.iterated.push(m.name);
  }
  summary.thread_filtered = (await alice.listMessages(
    {parent: space.name, filter: `thread.name = "${first.thread.name}"`}, TIMEOUT))[0].map(m => m.name);

  const [reaction] = await bob.createReaction({parent: first.name, reaction: {emoji: {unicode: '👍'}}}, TIMEOUT);
  summary.reaction = {name: reaction.name, emoji: reaction.emoji.unicode, user: reaction.user.name};
  summary.reactions = (await alice.listReactions({parent: first.name}, TIMEOUT))[0].map(r => r.name);
  await bob.deleteReaction({name: reaction.name}, TIMEOUT);
  summary.reactions_after_delete = (await alice.listReactions({parent: first.name}, TIMEOUT))[0].map(r => r.name);

  const doomed = created[created.length - 1];
  await alice.deleteMessage({name: doomed.name}, TIMEOUT);
  summary.deleted = doomed.name;
  summary.listed_after_delete = (await alice.listMessages({parent: space.name}, TIMEOUT))[0].map(m => m.name);

  summary.errors = {
    not_found: await failure(() => alice.getSpace({name: 'spaces/doesnotexist'}, TIMEOUT)),
    deleted: await failure(() => alice.getMessage({name: doomed.name}, TIMEOUT)),
    not_creator: await failure(() => bob.updateMessage(
      {message: {name: first.name, text: 'bob was here'}, updateMask: {paths: ['text']}}, TIMEOUT)),
    scope: await failure(() => readonly.createMessage({parent: space.name, message: {text: 'no'}}, TIMEOUT)),
    invalid: await failure(() => alice.listMessages({parent: space.name, filter: 'bogus'}, TIMEOUT)),
  };
  await Promise.all([alice.close(), bob.close(), readonly.close()]);
  return summary;
}

async function main(argv) {
  const tokens = ['', 'BOB_', 'READONLY_'].map(who => process.env[`CHATSVC_E2E_${who}TOKEN`]);
  if (argv.length !== 1 || !tokens.every(Boolean)) {
    process.stderr.write('usage: node rest_lifecycle.js BASE (with CHATSVC_E2E_TOKEN, CHATSVC_E2E_BOB_TOKEN and ' +
      'CHATSVC_E2E_READONLY_TOKEN set)\n');
    return 2;
  }
  const summary = await run(argv[0], ...tokens);
  process.stdout.write(JSON.stringify(summary, null, 2) + '\n');
  return 0;
}

main(process.argv.slice(2)).then(
  code => { process.exitCode = code; },
  error => { process.stderr.write(`${error && error.stack ? error.stack : error}\n`); process.exitCode = 1; });
