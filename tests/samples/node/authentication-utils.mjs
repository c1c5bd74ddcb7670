// How Google's Node samples for Chat build their app-auth client, written again here (not copied) for the tests to
// run against chatsvc: googleworkspace/node-samples, chat/client-libraries/cloud/authentication-utils.js,
// createClientWithAppCredentials(): `new ChatServiceClient({keyFile: './service_account.json', scopes:
// ['https://www.googleapis.com/auth/chat.bot']})`, the default (gRPC) transport, the key file read from the working
// directory under the sample's name.
//
// What differs, and nothing else: `apiEndpoint` and `port`, chatsvc's gRPC address (`localhost:PORT`, from
// SAMPLES_CHAT_ENDPOINT) instead of chat.googleapis.com:443. The test supplies the key file naming an account chatsvc
// trusts and NODE_EXTRA_CA_CERTS for chatsvc's CA.
//
// Left out: the sample's user-auth half (createClientWithUserCredentials). Its OAuth2Client is built from
// `credentials.json` with (client_id, client_secret, redirect_uri) only, so google-auth-library sends the browser to
// accounts.google.com and the code to oauth2.googleapis.com/token whatever the file says: it cannot reach chatsvc's
// authorization server without changing that code. (It also needs the `open` and `server-destroy` packages.)

import {ChatServiceClient} from '@google-apps/chat';

const SERVICE_ACCOUNT_FILE = './service_account.json';
const APP_AUTH_OAUTH_SCOPES = ['https://www.googleapis.com/auth/chat.bot'];
// the one change: chatsvc instead of chat.googleapis.com
const [API_HOST, API_PORT] = process.env.SAMPLES_CHAT_ENDPOINT.split(':');

export function createClientWithAppCredentials() {
  return new ChatServiceClient({
    keyFile: SERVICE_ACCOUNT_FILE,
    scopes: APP_AUTH_OAUTH_SCOPES,
    apiEndpoint: API_HOST,
    port: Number(API_PORT),
  });
}
