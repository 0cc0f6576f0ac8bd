using System.Text.Json;
using System.Text.Json.Serialization;
using Annotated.WebSockets.Interop.Tests.Infrastructure;

namespace Annotated.WebSockets.Interop.Tests.Browser;

/// <summary>
/// Chromium's own WebSocket (a <c>new WebSocket(...)</c> script in a page served by samples/Echo) against /echo:
/// text, binary, a large compressible message (Chromium always offers permessage-deflate) and the close handshake.
/// </summary>
[Collection(EchoServerCollection.Name)]
public sealed class ChromiumEchoTests(EchoServerFixture echo, BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    // Runs in the page. Every wait is bounded, so a silent server ends the script with an error, not a hang.
    private const string EchoScript = """
        async (url) => {
          const events = [];
          let wake = null;
          const push = (e) => { events.push(e); if (wake) { const w = wake; wake = null; w(); } };
          const next = async (what) => {
            const deadline = Date.now() + 10000;
            while (events.length === 0) {
              if (Date.now() > deadline) throw new Error('timed out waiting for ' + what);
              await new Promise((resolve) => { wake = resolve; setTimeout(resolve, 250); });
            }
            return events.shift();
          };
          const ws = new WebSocket(url);
          ws.binaryType = 'arraybuffer';
          ws.onmessage = (e) => push(typeof e.data === 'string'
            ? { kind: 'text', text: e.data }
            : { kind: 'binary', bytes: Array.from(new Uint8Array(e.data)) });
          ws.onclose = (e) => push({ kind: 'close', code: e.code, reason: e.reason, wasClean: e.wasClean });
          await new Promise((resolve, reject) => {
            ws.onopen = resolve;
            ws.onerror = () => reject(new Error('the WebSocket to ' + url + ' failed to open'));
            setTimeout(() => reject(new Error('the opening handshake timed out')), 10000);
          });
          const result = { extensions: ws.extensions, protocol: ws.protocol, received: [] };

          ws.send('hello from Chromium ✓ 🎉');
          result.received.push(await next('the text echo'));

          ws.send(new Uint8Array([0, 1, 2, 127, 128, 253, 254, 255]).buffer);
          result.received.push(await next('the binary echo'));

          const large = 'Chromium compresses this sentence well. '.repeat(5000);
          ws.send(large);
          const echoed = await next('the large echo');
          result.received.push({ kind: echoed.kind, length: (echoed.text ?? '').length, same: echoed.text === large });

          ws.close(4001, 'bye');
          result.received.push(await next('the close'));
          return JSON.stringify(result);
        }
        """;

    [PeerFact(PeerKind.Chromium)]
    public async Task InPageWebSocket_EchoesTextBinaryLargeAndClose()
    {
        var server = await echo.GetServerAsync();
        await using var context = await browser.NewContextAsync();
        var page = await PageAtOrigin.OpenAsync(context, server.HttpBase);

        var json = await PageScript.EvaluateAsync<string>(page, EchoScript, server.WebSocketUri("/echo").ToString());
        var result = JsonSerializer.Deserialize<PageResult>(json)!;

        Assert.StartsWith("permessage-deflate", result.Extensions, StringComparison.Ordinal);
        Assert.Equal("", result.Protocol);
        Assert.Equal(4, result.Received.Count);
        Assert.Equal("text", result.Received[0].Kind);
        Assert.Equal("hello from Chromium ✓ 🎉", result.Received[0].Text);
        Assert.Equal("binary", result.Received[1].Kind);
        Assert.Equal(new[] { 0, 1, 2, 127, 128, 253, 254, 255 }, result.Received[1].Bytes);
        Assert.Equal("text", result.Received[2].Kind);
        Assert.Equal("Chromium compresses this sentence well. ".Length * 5000, result.Received[2].Length);
        Assert.True(result.Received[2].Same, "The large message came back changed.");
        Assert.Equal("close", result.Received[3].Kind);
        Assert.Equal(4001, result.Received[3].Code);
        Assert.True(result.Received[3].WasClean, "The close handshake was not clean.");
    }

    private sealed record PageResult(
        [property: JsonPropertyName("extensions")] string Extensions,
        [property: JsonPropertyName("protocol")] string Protocol,
        [property: JsonPropertyName("received")] IReadOnlyList<PageEvent> Received);

    private sealed record PageEvent(
        [property: JsonPropertyName("kind")] string Kind,
        [property: JsonPropertyName("text")] string? Text,
        [property: JsonPropertyName("bytes")] int[]? Bytes,
        [property: JsonPropertyName("length")] int? Length,
        [property: JsonPropertyName("same")] bool? Same,
        [property: JsonPropertyName("code")] int? Code,
        [property: JsonPropertyName("reason")] string? Reason,
        [property: JsonPropertyName("wasClean")] bool? WasClean);
}
