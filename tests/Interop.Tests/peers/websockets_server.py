"""The Python 'websockets' library as a WebSocket server, for testing our client: echoes every text and binary
message unchanged (fragmented messages are echoed whole), answers pings (websockets does that itself), echoes
the client's close code and reason (websockets does that too), negotiates permessage-deflate, and selects the
first subprotocol it supports.

    /usr/bin/python3 websockets_server.py '{"protocols":["chat.v1"],"deflate":true,"lifetimeMs":60000}'

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


async def echo(socket, path=None):
    try:
        async for message in socket:
            await socket.send(message)
    except ConnectionClosed:
        pass  # a close with an application code (4001) ends iteration with this; the handshake is already done


async def stdin_closed():
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    while await reader.read(4096):
        pass


async def main():
    options = json.loads(sys.argv[1]) if len(sys.argv) > 1 else {}
    stop = asyncio.get_running_loop().create_future()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, lambda: stop.done() or stop.set_result(None))
    async with serve(
        echo,
        "127.0.0.1",
        0,
        subprotocols=options.get("protocols") or None,
        compression="deflate" if options.get("deflate", True) else None,
        max_size=64 * 1024 * 1024,
        ping_interval=None,
    ) as server:
        port = server.sockets[0].getsockname()[1]
        print(json.dumps({"port": port}), flush=True)
        watchers = [asyncio.ensure_future(stdin_closed()), stop]
        await asyncio.wait(watchers, timeout=options.get("lifetimeMs", 120000) / 1000,
                           return_when=asyncio.FIRST_COMPLETED)


if __name__ == "__main__":
    asyncio.run(main())
