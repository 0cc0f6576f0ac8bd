// The Node 'ws' library as a WebSocket server, for testing our client: echoes every text and binary message
// unchanged (fragmented messages are echoed whole), answers pings (ws does that itself), echoes the client's
// close code and reason, negotiates permessage-deflate, and selects the first subprotocol it supports.
//   node ws-server.mjs '{"protocols":["chat.v1"],"deflate":true,"lifetimeMs":60000}'
// Listens on 127.0.0.1 on a free port and prints {"port":N} as the first line of stdout when ready.
// Ends when stdin closes (the test process went away), on SIGTERM, or after lifetimeMs.
import { WebSocketServer } from 'ws';

const options = JSON.parse(process.argv[2] ?? '{}');
const supported = options.protocols ?? [];

const server = new WebSocketServer({
  host: '127.0.0.1',
  port: 0,
  path: options.path ?? '/echo',
  perMessageDeflate: options.deflate !== false,
  maxPayload: 64 * 1024 * 1024,
  handleProtocols: (offered) => {
    for (const protocol of offered) {
      if (supported.includes(protocol)) {
        return protocol;
      }
    }
    return false;
  },
});

server.on('connection', (socket) => {
  socket.on('message', (data, isBinary) => socket.send(data, { binary: isBinary }));
  socket.on('error', () => socket.terminate());
  // ws itself answers pings with the same payload and a close frame with the same code and reason.
});

server.on('listening', () => {
  process.stdout.write(JSON.stringify({ port: server.address().port }) + '\n');
});

function stop() {
  for (const client of server.clients) {
    client.terminate();
  }
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 1000).unref();
}

process.stdin.on('end', stop);
process.stdin.on('close', stop);
process.stdin.resume();
process.on('SIGTERM', stop);
setTimeout(stop, options.lifetimeMs ?? 120000).unref();
