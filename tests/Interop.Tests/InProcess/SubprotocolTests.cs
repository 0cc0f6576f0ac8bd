using Annotated.WebSockets.Interop.Tests.Browser;
using Annotated.WebSockets.Interop.Tests.Infrastructure;

namespace Annotated.WebSockets.Interop.Tests.InProcess;

/// <summary>
/// Subprotocol negotiation (Sec-WebSocket-Protocol) with each peer against <see cref="SubprotocolEndpoint"/>:
/// the server selects the first of the client's subprotocols that it supports (Jakarta's default), and
/// selects none when it supports none of them.
/// </summary>
public sealed class SubprotocolTests(InProcessServerFixture server, BrowserFixture browser)
    : IClassFixture<InProcessServerFixture>, IClassFixture<BrowserFixture>
{
    private static readonly string[] s_offer = ["unknown.v9", "interop.v1", "interop.v2"];

    [PeerFact(PeerKind.NodeWs)]
    public Task NodeWs_SeveralOffered_ClientsFirstSupportedIsSelected() => SelectsClientsFirstSupportedAsync(PeerKind.NodeWs);

    [PeerFact(PeerKind.PythonWebsockets)]
    public Task PythonWebsockets_SeveralOffered_ClientsFirstSupportedIsSelected() =>
        SelectsClientsFirstSupportedAsync(PeerKind.PythonWebsockets);

    /// <summary>(Node 'ws' fails its own handshake when none is selected, so this case uses Python.)</summary>
    [PeerFact(PeerKind.PythonWebsockets)]
    public async Task PythonWebsockets_NoneSupported_NoneIsSelectedAndConnectionWorks()
    {
        var uri = await server.WebSocketUriAsync(SubprotocolEndpoint.Path);
        var result = await ClientPeer.RunAsync(PeerKind.PythonWebsockets, new Plan(uri.ToString(), [PlanStep.Text("hi")])
        {
            Protocols = ["unknown.v9"],
        });

        Expect.Completed(result, 1);
        Assert.Null(result.Protocol);
        Expect.TextMessage(result.Steps[0], "|hi");
    }

    [PeerFact(PeerKind.Chromium)]
    public async Task Chromium_SeveralOffered_ClientsFirstSupportedIsSelected()
    {
        var uri = await server.WebSocketUriAsync(SubprotocolEndpoint.Path);
        await using var context = await browser.NewContextAsync();
        var page = await PageAtOrigin.OpenAsync(context, uri);

        var answer = await PageScript.EvaluateAsync<string>(
            page,
            """
            async ([url, protocols]) => {
              const ws = new WebSocket(url, protocols);
              await new Promise((resolve, reject) => {
                ws.onopen = resolve;
                ws.onerror = () => reject(new Error('the WebSocket failed to open'));
                setTimeout(() => reject(new Error('the opening handshake timed out')), 10000);
              });
              const reply = new Promise((resolve, reject) => {
                ws.onmessage = (e) => resolve(e.data);
                setTimeout(() => reject(new Error('no answer')), 10000);
              });
              ws.send('hi');
              const text = await reply;
              ws.close(1000);
              return ws.protocol + ' ' + text;
            }
            """,
            new object[] { uri.ToString(), s_offer });

        Assert.Equal("interop.v1 interop.v1|hi", answer);
    }

    private async Task SelectsClientsFirstSupportedAsync(PeerKind peer)
    {
        var uri = await server.WebSocketUriAsync(SubprotocolEndpoint.Path);
        var result = await ClientPeer.RunAsync(peer, new Plan(uri.ToString(), [PlanStep.Text("hi")]) { Protocols = s_offer });

        Expect.Completed(result, 1);
        Assert.Equal("interop.v1", result.Protocol);
        Expect.TextMessage(result.Steps[0], "interop.v1|hi");
    }
}
