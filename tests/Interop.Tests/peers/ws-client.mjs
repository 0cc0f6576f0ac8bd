// The Node 'ws' library as a WebSocket client: runs a plan (see plan.mjs) against a server and prints
// { ok, protocol, extensions, steps: [observation...], error? } as one JSON line.
//   echo '{"url":"ws://127.0.0.1:5000/echo","deflate":true,"steps":[{"op":"text","data":"hi"}]}' | node ws-client.mjs
import WebSocket from 'ws';
import { describeMessage, finish, readPlan, repeatedPayload, withTimeout } from './plan.mjs';

const plan = await readPlan();
const timeoutMs = plan.timeoutMs ?? 10000;
const result = { ok: false, protocol: null, extensions: null, steps: [] };

// Everything the server sends, in arrival order; a step takes the next event of the kind it waits for.
const events = [];
let wake = null;
function push(event) {
  events.push(event);
  if (wake) {
    const w = wake;
    wake = null;
    w();
  }
}

async function next(accept, what) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const index = events.findIndex(accept);
    if (index >= 0) {
      return events.splice(index, 1)[0];
    }
    const closed = events.find((e) => e.type === 'close');
    if (closed && !accept(closed)) {
      throw new Error(`the connection closed (${closed.code} "${closed.reason}") while waiting for ${what}`);
    }
    const remaining = deadline - Date.now();
    if (remaining <= 0) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    }
    await withTimeout(new Promise((resolve) => { wake = resolve; }), remaining, what).catch(() => {});
  }
}

const socket = new WebSocket(plan.url, plan.protocols ?? [], {
  // true: ws's default offer; an object: an offer with those parameters (ws's option names).
  perMessageDeflate: plan.deflateOffer ?? plan.deflate === true,
  handshakeTimeout: timeoutMs,
  maxPayload: 64 * 1024 * 1024,
});
socket.on('upgrade', (response) => {
  result.extensions = response.headers['sec-websocket-extensions'] ?? null;
});
socket.on('message', (data, isBinary) => push(describeMessage(isBinary, data)));
socket.on('pong', (data) => push({ type: 'pong', base64: Buffer.from(data).toString('base64') }));
socket.on('close', (code, reason) => push({ type: 'close', code, reason: reason.toString('utf8') }));
socket.on('error', (error) => push({ type: 'error', message: error.message }));

try {
  await withTimeout(new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
    socket.once('unexpected-response', (_, response) => reject(new Error(`handshake refused: HTTP ${response.statusCode}`)));
  }), timeoutMs, 'the opening handshake');
  result.protocol = socket.protocol || null;

  const isData = (e) => e.type === 'text' || e.type === 'binary';
  for (const step of plan.steps) {
    switch (step.op) {
      case 'text':
        socket.send(step.data, { binary: false });
        result.steps.push(await next(isData, 'the echo of a text message'));
        break;
      case 'binary':
        socket.send(Buffer.from(step.base64, 'base64'), { binary: true });
        result.steps.push(await next(isData, 'the echo of a binary message'));
        break;
      case 'fragments': {
        const binary = step.kind === 'binary';
        // Text parts given as base64 bytes may cut a UTF-8 sequence between frames (ws sends a Buffer as is).
        const bytes = binary || step.encoding === 'base64';
        step.parts.forEach((part, i) => {
          const payload = bytes ? Buffer.from(part, 'base64') : part;
          socket.send(payload, { binary, fin: i === step.parts.length - 1 });
        });
        result.steps.push(await next(isData, 'the echo of a fragmented message'));
        break;
      }
      case 'repeat': {
        const binary = step.kind === 'binary';
        const payload = repeatedPayload(step);
        socket.send(binary ? payload : payload.toString('utf8'), { binary });
        result.steps.push(await next(isData, 'the echo of a large message'));
        break;
      }
      case 'ping':
        socket.ping(Buffer.from(step.data, 'utf8'));
        result.steps.push(await next((e) => e.type === 'pong', 'a pong'));
        break;
      case 'close':
        socket.close(step.code, step.reason);
        result.steps.push(await next((e) => e.type === 'close', "the server's close frame"));
        break;
      default:
        throw new Error(`unknown step '${step.op}'`);
    }
  }
  result.ok = true;
} catch (error) {
  result.error = error.message;
} finally {
  socket.terminate();
}
finish(result);
