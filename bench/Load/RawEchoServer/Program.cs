using System.Buffers;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

// ws://<address>/echo: every message comes back as it arrives, fragment by fragment. No permessage-deflate.
// Default: one 16 KiB buffer per connection, the usual way to write an echo loop with System.Net.WebSockets.
// With --pooled true: a zero-byte receive waits for the next frame, and only then is a buffer rented from the pool, so
// an idle connection holds no buffer (the memory floor of this stack, for the idle-connection comparison).
var builder = WebApplication.CreateBuilder(args);
bool pooled = string.Equals(builder.Configuration["pooled"], "true", StringComparison.OrdinalIgnoreCase);
var app = builder.Build();
app.UseWebSockets();
app.Map("/echo", async context =>
{
    if (!context.WebSockets.IsWebSocketRequest)
    {
        context.Response.StatusCode = StatusCodes.Status400BadRequest;
        return;
    }

    using WebSocket socket = await context.WebSockets.AcceptWebSocketAsync();
    try
    {
        if (pooled)
        {
            await PooledEchoAsync(socket);
        }
        else
        {
            await BufferedEchoAsync(socket);
        }
    }
    catch (WebSocketException)
    {
        // The client went away without a close handshake (the load tool aborts idle connections at the end).
    }
});

app.Lifetime.ApplicationStarted.Register(() =>
{
    foreach (var address in app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [])
    {
        Console.WriteLine($"Raw echo listening on {address}{(pooled ? " (pooled buffers)" : "")}");
    }
});

app.Run();

static async Task BufferedEchoAsync(WebSocket socket)
{
    byte[] buffer = new byte[16 * 1024];
    while (true)
    {
        ValueWebSocketReceiveResult received = await socket.ReceiveAsync(buffer.AsMemory(), CancellationToken.None);
        if (received.MessageType == WebSocketMessageType.Close)
        {
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
            return;
        }

        await socket.SendAsync(buffer.AsMemory(0, received.Count), received.MessageType, received.EndOfMessage, CancellationToken.None);
    }
}

static async Task PooledEchoAsync(WebSocket socket)
{
    while (true)
    {
        ValueWebSocketReceiveResult waited = await socket.ReceiveAsync(Memory<byte>.Empty, CancellationToken.None);
        if (waited.MessageType == WebSocketMessageType.Close)
        {
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
            return;
        }

        if (waited.EndOfMessage && waited.Count == 0)
        {
            await socket.SendAsync(Memory<byte>.Empty, waited.MessageType, true, CancellationToken.None);
            continue;
        }

        byte[] buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            ValueWebSocketReceiveResult received = await socket.ReceiveAsync(buffer.AsMemory(), CancellationToken.None);
            await socket.SendAsync(buffer.AsMemory(0, received.Count), received.MessageType, received.EndOfMessage, CancellationToken.None);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
