"""The Python 'websockets' library as a scriptable WebSocket server, for testing our client beyond plain echo:

- echoes every text and binary message FRAGMENTED (text into pieces of at most fragmentSize characters, binary
  into pieces of at most fragmentSize bytes), which websockets does when given an iterable;
- a text "close:CODE:REASON" makes it close the connection with that code and reason;
- prints one JSON line per connection end with the close code and reason it received from the client.

    /usr/bin/python3 websockets_command_server.py '{"fragmentSize":1000,"lifetimeMs":60000}'

Listens on 127.0.0.1 on a free port and prints {"port": N} as the first line of stdout when ready. Ends when
stdin closes (the test process went away), on SIGTERM, or after lifetimeMs.
"""

import asyncio
import json
import signal
import sys

from websockets.exceptions import ConnectionClosed

try:
    from websockets.legacy.server import serve
except ImportError:  # pragma: no cover - very old releases
    from websockets.server import serve

OPTIONS = json.loads(sys.argv[1]) if len(sys.argv) > 1 else {}
FRAGMENT_SIZE = OPTIONS.get("fragmentSize", 1000)


def pieces(message):
    if len(message) == 0:
        return [message]
    return [message[i:i + FRAGMENT_SIZE] for i in range(0, len(message), FRAGMENT_SIZE)]


async def handle(socket, path=None):
    try:
        async for message in socket:
            if isinstance(message, str) and message.startswith("close:"):
                _, code, reason = message.split(":", 2)
                await socket.close(int(code), reason)
                break
            await socket.send(pieces(message))
    except ConnectionClosed:
        pass
    await socket.wait_closed()
    print(json.dumps({"event": "close", "code": socket.close_code, "reason": socket.close_reason or ""}), flush=True)


async def stdin_closed():
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    while await reader.read(4096):
        pass


async def main():
    stop = asyncio.get_running_loop().create_future()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, lambda: stop.done() or stop.set_result(None))
    async with serve(handle, "127.0.0.1", 0, compression=None, max_size=64 * 1024 * 1024, ping_interval=None) as server:
        port = server.sockets[0].getsockname()[1]
        print(json.dumps({"port": port}), flush=True)
        watchers = [asyncio.ensure_future(stdin_closed()), stop]
        await asyncio.wait(watchers, timeout=OPTIONS.get("lifetimeMs", 120000) / 1000,
                           return_when=asyncio.FIRST_COMPLETED)


if __name__ == "__main__":
    asyncio.run(main())
