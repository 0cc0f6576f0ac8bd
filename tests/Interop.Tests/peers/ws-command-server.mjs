// The Node 'ws' library as a scriptable WebSocket server, for testing our client beyond plain echo:
//   - echoes every text and binary message FRAGMENTED into frames of at most fragmentSize bytes (text is split
//     by bytes, so a fragment may end inside a UTF-8 sequence, which RFC 6455 allows);
//   - a text "close:CODE:REASON" makes it close the connection with that code and reason;
//   - prints one JSON line per connection end with the close code and reason it received from the client.
//   node ws-command-server.mjs '{"fragmentSize":1000,"lifetimeMs":60000}'
// Listens on 127.0.0.1 on a free port and prints {"port":N} as the first line of stdout when ready.
// Ends when stdin closes (the test process went away), on SIGTERM, or after lifetimeMs.
import { WebSocketServer } from 'ws';

const options = JSON.parse(process.argv[2] ?? '{}');
const fragmentSize = options.fragmentSize ?? 1000;

const server = new WebSocketServer({
  host: '127.0.0.1',
  port: 0,
  path: '/command',
  perMessageDeflate: false,
  maxPayload: 64 * 1024 * 1024,
});

server.on('connection', (socket) => {
  socket.on('message', (data, isBinary) => {
    const text = isBinary ? null : data.toString('utf8');
    if (text !== null && text.startsWith('close:')) {
      const [, code, ...reason] = text.split(':');
      socket.close(Number(code), reason.join(':'));
      return;
    }
    if (data.length === 0) {
      socket.send(data, { binary: isBinary });
      return;
    }
    for (let offset = 0; offset < data.length; offset += fragmentSize) {
      const end = Math.min(offset + fragmentSize, data.length);
      socket.send(data.subarray(offset, end), { binary: isBinary, fin: end >= data.length });
    }
  });
  socket.on('close', (code, reason) => {
    process.stdout.write(JSON.stringify({ event: 'close', code, reason: reason.toString('utf8') }) + '\n');
  });
  socket.on('error', () => socket.terminate());
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
