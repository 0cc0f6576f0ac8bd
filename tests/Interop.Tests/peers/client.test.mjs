// The generated TypeScript clients (compiled to JavaScript by the interop tests) under Node, with the 'ws' package as
// their WebSocket: run with `node --test client.test.mjs` and the environment variables
//   CHAT_CLIENT  the compiled client of samples/Chat, CHAT_URL  the running sample's http:// base;
//   DESCRIBED_CLIENT  the compiled client of the interop tests' described endpoints, DESCRIBED_URL  their server.
import { test } from "node:test";
import assert from "node:assert/strict";
import { pathToFileURL } from "node:url";
import WebSocket from "ws";

const chat = await import(pathToFileURL(process.env.CHAT_CLIENT).href);
const described = await import(pathToFileURL(process.env.DESCRIBED_CLIENT).href);
const withTimeout = (promise, what) =>
  Promise.race([promise, new Promise((_, reject) => setTimeout(() => reject(new Error(`timed out: ${what}`)), 10_000))]);

async function next(iterator, predicate, what) {
  for (;;) {
    const { value, done } = await withTimeout(iterator.next(), what);
    assert.equal(done, false, `the connection closed before ${what}`);
    if (predicate(value)) {
      return value;
    }
  }
}

test("chat: join a room, see the member list, send a line and receive it, close with 1000", async () => {
  const connection = await chat.connectChatEndpoint({ room: "node-room" }, { baseUrl: process.env.CHAT_URL, query: { name: "nora" }, webSocket: WebSocket });
  const messages = connection.messages();
  assert.equal(await next(messages, (line) => line.startsWith("* here: "), "the member list"), "* here: nora");
  connection.send("hello from node");
  assert.equal(await next(messages, (line) => line.startsWith("nora: "), "the echoed line"), "nora: hello from node");
  connection.close(1000, "bye");
  const closed = await withTimeout(connection.closed, "the close");
  assert.equal(closed.code, 1000);
});

test("chat: a line over the handler's MaxMessageSize closes the connection with 1009", async () => {
  const connection = await chat.connectChatEndpoint({ room: "node-big" }, { baseUrl: process.env.CHAT_URL, webSocket: WebSocket });
  connection.send("x".repeat(5000));
  const closed = await withTimeout(connection.closed, "the 1009 close");
  assert.equal(closed.code, 1009);
});

test("chat: with reconnect, a connection the server closes (1009) comes back, rejoins and carries on; close() ends it", async () => {
  const reconnected = [];
  const connection = await chat.connectChatEndpoint(
    { room: "node-again" },
    { baseUrl: process.env.CHAT_URL, query: { name: "rita" }, webSocket: WebSocket, reconnect: { initialDelayMs: 20, onReconnected: (attempts) => reconnected.push(attempts) } });
  const messages = connection.messages();
  assert.equal(await next(messages, (line) => line.startsWith("* here: "), "the member list"), "* here: rita");
  connection.send("x".repeat(5000));
  assert.equal(await next(messages, (line) => line.startsWith("* here: "), "the member list after reconnecting"), "* here: rita");
  assert.deepEqual(reconnected, [1]);
  connection.send("back again");
  assert.equal(await next(messages, (line) => line.startsWith("rita: "), "a line after reconnecting"), "rita: back again");
  connection.close(1000, "bye");
  assert.equal((await withTimeout(connection.closed, "the close")).code, 1000);
});

test("described endpoint: typed path parameter, negotiated subprotocol, a push, a typed JSON reply", async () => {
  const connection = await described.connectOrdersEndpoint({ shop: 7 }, { baseUrl: process.env.DESCRIBED_URL, protocols: ["orders.v1"], webSocket: WebSocket });
  assert.equal(connection.protocol, "orders.v1");
  const messages = connection.messages();
  const notice = await next(messages, (message) => typeof message === "object" && "level" in message, "the notice");
  assert.deepEqual(notice, { text: "shop 7 is open", level: "Info" });
  connection.send({ id: "o-1", lines: [{ product: "tea", quantity: 2, unitPrice: 1.5 }], placedAt: "2026-12-06T08:00:00+00:00" });
  const receipt = await next(messages, (message) => typeof message === "object" && "orderId" in message, "the receipt");
  assert.deepEqual(receipt, { orderId: "o-1", shop: 7, total: 3, note: null });
  connection.close(1000);
  assert.equal((await withTimeout(connection.closed, "the close")).code, 1000);
});

test("described endpoint: a failed handshake (no endpoint at the path) rejects the connect promise", async () => {
  await assert.rejects(
    described.connectOrdersEndpoint({ shop: 7 }, { baseUrl: process.env.DESCRIBED_URL.replace(/\/$/, "") + "/nowhere", webSocket: WebSocket }));
});
