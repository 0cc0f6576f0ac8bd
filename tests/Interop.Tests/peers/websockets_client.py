"""The Python 'websockets' library as a WebSocket client: runs a plan against a server and prints
{ ok, protocol, extensions, steps: [observation...], error? } as one JSON line.

The plan format is the one described in plan.mjs (shared with the Node peers), read from standard input:
    echo '{"url":"ws://127.0.0.1:5000/echo","deflate":true,"steps":[...]}' | /usr/bin/python3 websockets_client.py
Written against websockets 10.x (Debian's python3-websockets) and later releases of the legacy API.
"""

import asyncio
import base64
import hashlib
import json
import sys

import websockets
from websockets.extensions.permessage_deflate import ClientPerMessageDeflateFactory
from websockets.frames import OP_PONG

try:  # websockets >= 14 moved the asyncio implementation; the legacy one keeps the API used here.
    from websockets.legacy.client import WebSocketClientProtocol, connect
except ImportError:  # pragma: no cover - very old releases
    from websockets.client import WebSocketClientProtocol, connect

MAX_PRINTED_BYTES = 4096


class RecordingClientProtocol(WebSocketClientProtocol):
    """Records the payload of every pong, so a step can report what the server actually sent back."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.pongs = asyncio.Queue()

    async def read_frame(self, max_size):
        frame = await super().read_frame(max_size)
        if frame.opcode == OP_PONG:
            self.pongs.put_nowait(bytes(frame.data))
        return frame


def describe_message(message):
    binary = isinstance(message, (bytes, bytearray))
    data = bytes(message) if binary else message.encode("utf-8")
    observation = {
        "type": "binary" if binary else "text",
        "length": len(data),
        "sha256": hashlib.sha256(data).hexdigest(),
    }
    if len(data) <= MAX_PRINTED_BYTES:
        if binary:
            observation["base64"] = base64.b64encode(data).decode("ascii")
        else:
            observation["data"] = message
    return observation


def repeated_payload(step):
    if step["kind"] == "binary":
        return base64.b64decode(step["unit"]) * step["count"]
    return step["unit"] * step["count"]


async def fragments(step):
    """An async iterator of the parts: websockets sends it as one fragmented message, one frame per part."""
    if step["kind"] == "text" and step.get("encoding") == "base64":
        raise ValueError("websockets sends bytes as binary frames; text fragments must be strings")
    for part in step["parts"]:
        yield base64.b64decode(part) if step["kind"] == "binary" else part


def deflate_offer(offer):
    """A permessage-deflate offer with the plan's parameters (names as in plan.mjs)."""
    return ClientPerMessageDeflateFactory(
        server_no_context_takeover=bool(offer.get("serverNoContextTakeover")),
        client_no_context_takeover=bool(offer.get("clientNoContextTakeover")),
        server_max_window_bits=offer.get("serverMaxWindowBits"),
        client_max_window_bits=offer.get("clientMaxWindowBits", True),
    )


async def run(plan, result):
    timeout = plan.get("timeoutMs", 10000) / 1000
    offer = plan.get("deflateOffer")
    socket = await asyncio.wait_for(
        connect(
            plan["url"],
            subprotocols=plan.get("protocols") or None,
            # compression="deflate" is websockets' default offer; an explicit offer replaces it.
            compression="deflate" if plan.get("deflate") and offer is None else None,
            extensions=[deflate_offer(offer)] if offer is not None else None,
            max_size=64 * 1024 * 1024,
            ping_interval=None,
            open_timeout=timeout,
            create_protocol=RecordingClientProtocol,
        ),
        timeout,
    )
    try:
        result["protocol"] = socket.subprotocol
        result["extensions"] = socket.response_headers.get("Sec-WebSocket-Extensions")
        for step in plan["steps"]:
            op = step["op"]
            if op in ("text", "binary", "fragments", "repeat"):
                if op == "text":
                    await socket.send(step["data"])
                elif op == "binary":
                    await socket.send(base64.b64decode(step["base64"]))
                elif op == "fragments":
                    await socket.send(fragments(step))
                else:
                    await socket.send(repeated_payload(step))
                message = await asyncio.wait_for(socket.recv(), timeout)
                result["steps"].append(describe_message(message))
            elif op == "ping":
                await socket.ping(step["data"].encode("utf-8"))
                pong = await asyncio.wait_for(socket.pongs.get(), timeout)
                result["steps"].append({"type": "pong", "base64": base64.b64encode(pong).decode("ascii")})
            elif op == "close":
                await asyncio.wait_for(socket.close(code=step["code"], reason=step["reason"]), timeout)
                result["steps"].append(
                    {"type": "close", "code": socket.close_code, "reason": socket.close_reason}
                )
            else:
                raise ValueError(f"unknown step '{op}'")
        result["ok"] = True
    finally:
        socket.transport.abort()


def main():
    text = sys.stdin.read().strip()
    if not text:
        print("usage: echo '<plan as JSON>' | python3 websockets_client.py", file=sys.stderr)
        sys.exit(2)
    plan = json.loads(text)
    result = {"ok": False, "protocol": None, "extensions": None, "steps": []}
    try:
        asyncio.run(run(plan, result))
    except Exception as error:  # the test judges the result; every failure is reported in it
        result["error"] = f"{type(error).__name__}: {error}"
    result["library"] = f"websockets {websockets.__version__}"
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
