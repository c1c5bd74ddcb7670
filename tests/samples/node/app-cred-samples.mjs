// Google's Node samples for Chat with app authentication (googleworkspace/node-samples,
// chat/client-libraries/cloud/*-app-cred*.js), written again here, each as a function named after its file: each
// builds its client with createClientWithAppCredentials() (./authentication-utils.mjs) and sends the sample's
// request, with the sample's SPACE_NAME / MEMBER_NAME / MESSAGE_NAME placeholders filled in as its comments ask.
// Where a sample logs the response, these return it for the test to judge.
//
// Usage (in a directory holding service_account.json; node_modules found from this file's place in the repository):
//   node app-cred-samples.mjs SPACE
// Prints one JSON object {sample: response} and exits 0; a sample that fails exits 1 with the error on stderr.
//
// Not mirrored: find-dm-space-app-cred (needs a direct message between a user and the app) and
// get-attachment-app-cred (needs an attachment the app can name).

import {createClientWithAppCredentials} from './authentication-utils.mjs';

function plain(message) {
  return message ?? null; // what the sample logs: gax's object of the response (enums by name)
}

async function createMessageAppCred(space) {
  const chatClient = createClientWithAppCredentials();
  const request = {parent: space, message: {text: 'Hello with app credential!'}};
  const response = await chatClient.createMessage(request);
  return plain(response[0]);
}

async function createMessageAppCredWithCards(space) {
  const chatClient = createClientWithAppCredentials();
  const request = {
    parent: space,
    message: {
      text: 'Hello with app credential!',
      cardsV2: [{cardId: 'card-id', card: {header: {title: 'And with a card!'}}}],
    },
  };
  const response = await chatClient.createMessage(request);
  return plain(response[0]);
}

async function getSpaceAppCred(space) {
  const chatClient = createClientWithAppCredentials();
  const response = await chatClient.getSpace({name: space});
  return plain(response[0]);
}

async function listSpacesAppCred() {
  const chatClient = createClientWithAppCredentials();
  const request = {filter: 'space_type = "SPACE"'};
  const found = [];
  for await (const response of chatClient.listSpacesAsync(request)) {
    found.push(plain(response));
  }
  return found;
}

async function listMembershipsAppCred(space) {
  const chatClient = createClientWithAppCredentials();
  const request = {parent: space, filter: 'member.type = "HUMAN"'};
  const found = [];
  for await (const response of chatClient.listMembershipsAsync(request)) {
    found.push(plain(response));
  }
  return found;
}

async function getMembershipAppCred(membership) {
  const chatClient = createClientWithAppCredentials();
  const response = await chatClient.getMembership({name: membership});
  return plain(response[0]);
}

async function getMessageAppCred(message) {
  const chatClient = createClientWithAppCredentials();
  const response = await chatClient.getMessage({name: message});
  return plain(response[0]);
}

async function updateMessageAppCred(message) {
  const chatClient = createClientWithAppCredentials();
  // The sample writes `updateMask: 'text'`, which @google-apps/chat 0.32.0 refuses itself before sending anything
  // ("Request message serialization failure: .google.chat.v1.UpdateMessageRequest.updateMask: object expected"),
  // against Google as anywhere: the FieldMask is given as the object it must be.
  const request = {message: {name: message, text: 'Updated with app credential!'}, updateMask: {paths: ['text']}};
  const response = await chatClient.updateMessage(request);
  return plain(response[0]);
}

async function deleteMessageAppCred(message) {
  const chatClient = createClientWithAppCredentials();
  const response = await chatClient.deleteMessage({name: message});
  return plain(response[0]);
}

async function main(space) {
  const out = {};
  out['create-message-app-cred'] = await createMessageAppCred(space);
  out['create-message-app-cred-with-cards'] = await createMessageAppCredWithCards(space);
  out['get-space-app-cred'] = await getSpaceAppCred(space);
  out['list-spaces-app-cred'] = await listSpacesAppCred();
  out['list-memberships-app-cred'] = await listMembershipsAppCred(space);
  // MEMBER_NAME: the human member the listing found; MESSAGE_NAME: the app's own messages above
  out['get-membership-app-cred'] = await getMembershipAppCred(out['list-memberships-app-cred'][0].name);
  out['get-message-app-cred'] = await getMessageAppCred(out['create-message-app-cred'].name);
  out['update-message-app-cred'] = await updateMessageAppCred(out['create-message-app-cred'].name);
  out['delete-message-app-cred'] = await deleteMessageAppCred(out['create-message-app-cred-with-cards'].name);
  return out;
}

main(process.argv[2]).then((out) => console.log(JSON.stringify(out)), (error) => {
  console.error(error);
  process.exitCode = 1;
});
