// The scenario format shared by the Node peers (the Python peers read the same JSON).
//
// A plan is a JSON object, read from standard input: { url, protocols?, deflate?, deflateOffer?, timeoutMs?,
// steps: [...] }. deflate: offer permessage-deflate with the library's defaults; deflateOffer: offer it with
// these parameters { serverNoContextTakeover, clientNoContextTakeover, serverMaxWindowBits, clientMaxWindowBits }
// (each optional). Each step is one of
//   { op: "text", data }                         send a text message, wait for the next message
//   { op: "binary", base64 }                     send a binary message, wait for the next message
//   { op: "fragments", kind, parts, encoding? }  send one message in parts (text parts, or base64 parts when
//                                                kind is "binary" or encoding is "base64"; the Python peer
//                                                cannot send text as bytes), wait for the next message
//   { op: "repeat", kind, unit, count }          send unit repeated count times (a large, compressible
//                                                message), wait for the next message
//   { op: "ping", data }                         ping with that payload, wait for the pong
//   { op: "close", code, reason }                close with that code and reason, wait for the peer's close
// and produces one observation per step, printed as JSON: messages as { type, length, sha256, data|base64 }
// (the content only up to 4 KiB, the hash always), pongs as { type: "pong", base64 }, closes as
// { type: "close", code, reason }. Hashes let the test compare large messages without large output.
import { createHash } from 'node:crypto';

/** The content of a message is printed only up to this many bytes; the hash is always printed. */
const maxPrintedBytes = 4096;

/** Reads the plan: JSON on standard input (a plan may be larger than a command-line argument may be). */
export async function readPlan() {
  const chunks = [];
  for await (const chunk of process.stdin) {
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (!text) {
    throw new Error('usage: echo \'<plan as JSON>\' | node <peer>.mjs');
  }
  return JSON.parse(text);
}

/** The bytes a step sends, as a Buffer (text as UTF-8), for the repeat op. */
export function repeatedPayload(step) {
  const unit = step.kind === 'binary' ? Buffer.from(step.unit, 'base64') : Buffer.from(step.unit, 'utf8');
  return Buffer.concat(Array.from({ length: step.count }, () => unit));
}

/** Describes a received data message. */
export function describeMessage(isBinary, bytes) {
  const buffer = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes);
  const observation = {
    type: isBinary ? 'binary' : 'text',
    length: buffer.length,
    sha256: createHash('sha256').update(buffer).digest('hex'),
  };
  if (buffer.length <= maxPrintedBytes) {
    if (isBinary) {
      observation.base64 = buffer.toString('base64');
    } else {
      observation.data = buffer.toString('utf8');
    }
  }
  return observation;
}

/** Prints the result as one line of JSON and ends the process (exit code 0: the test judges the content). */
export function finish(result) {
  process.stdout.write(JSON.stringify(result) + '\n', () => process.exit(0));
}

/** Races a promise against the step timeout. */
export function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
