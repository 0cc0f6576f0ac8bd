using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using Annotated.WebSockets.Server;

namespace Annotated.WebSockets.Runtime.Tests.Server;

/// <summary>The opening handshake as seen on the wire.</summary>
public class HandshakeTests
{
    [Fact]
    public async Task A_plain_request_to_an_endpoint_path_gets_426()
    {
        await using var host = await ServerTestHost.StartAsync("/handshake/plain", new ScriptedEndpoint());
        using var client = new HttpClient { BaseAddress = host.BaseAddress };

        using var response = await client.GetAsync("/handshake/plain").WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(HttpStatusCode.UpgradeRequired, response.StatusCode);
        Assert.Equal("13", response.Headers.GetValues("Sec-WebSocket-Version").Single());
    }

    [Fact]
    public async Task A_valid_upgrade_gets_101_with_the_accept_key()
    {
        await using var host = await ServerTestHost.StartAsync("/handshake/raw", new ScriptedEndpoint());

        var response = await RawHandshakeAsync(host, "/handshake/raw", "Sec-WebSocket-Version: 13", "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==");

        Assert.StartsWith("HTTP/1.1 101", response, StringComparison.Ordinal);
        Assert.Contains("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", response, StringComparison.Ordinal);
        Assert.Contains("Upgrade: websocket", response, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Sec-WebSocket-Protocol", response, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task An_unsupported_version_gets_426_naming_version_13()
    {
        await using var host = await ServerTestHost.StartAsync("/handshake/version", new ScriptedEndpoint());

        var response = await RawHandshakeAsync(host, "/handshake/version", "Sec-WebSocket-Version: 8", "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==");

        Assert.StartsWith("HTTP/1.1 426", response, StringComparison.Ordinal);
        Assert.Contains("Sec-WebSocket-Version: 13", response, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_malformed_key_gets_400()
    {
        await using var host = await ServerTestHost.StartAsync("/handshake/key", new ScriptedEndpoint());

        var response = await RawHandshakeAsync(host, "/handshake/key", "Sec-WebSocket-Version: 13", "Sec-WebSocket-Key: c2hvcnQ=");

        Assert.StartsWith("HTTP/1.1 400", response, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refused_origin_gets_403_and_no_session()
    {
        var endpoint = new ScriptedEndpoint();
        endpoint.Configurator = new OriginConfigurator(endpoint, "https://good.example");
        await using var host = await ServerTestHost.StartAsync("/handshake/origin", endpoint);

        var refused = await RawHandshakeAsync(host, "/handshake/origin", "Sec-WebSocket-Version: 13", "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==", "Origin: https://evil.example");
        var accepted = await RawHandshakeAsync(host, "/handshake/origin", "Sec-WebSocket-Version: 13", "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==", "Origin: https://good.example");

        Assert.StartsWith("HTTP/1.1 403", refused, StringComparison.Ordinal);
        Assert.StartsWith("HTTP/1.1 101", accepted, StringComparison.Ordinal);
        Assert.Equal(1, endpoint.InstancesCreated);
    }

    [Fact]
    public async Task An_origin_allow_list_refuses_other_browser_origins_with_403_and_lets_non_browsers_in()
    {
        var endpoint = new ScriptedEndpoint();
        await using var host = await ServerTestHost.StartAsync("/handshake/allow-list", endpoint, options => options.AllowedOrigins.Add("https://good.example"));
        string[] handshake = ["Sec-WebSocket-Version: 13", "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ=="];

        var evil = await RawHandshakeAsync(host, "/handshake/allow-list", [.. handshake, "Origin: https://evil.example"]);
        var good = await RawHandshakeAsync(host, "/handshake/allow-list", [.. handshake, "Origin: https://GOOD.example"]);
        var noOrigin = await RawHandshakeAsync(host, "/handshake/allow-list", handshake);

        Assert.StartsWith("HTTP/1.1 403", evil, StringComparison.Ordinal);
        Assert.StartsWith("HTTP/1.1 101", good, StringComparison.Ordinal);
        Assert.StartsWith("HTTP/1.1 101", noOrigin, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_per_endpoint_allow_list_replaces_the_global_one()
    {
        var endpoint = new ScriptedEndpoint();
        await using var host = await ServerTestHost.StartAsync("/handshake/own-list", endpoint, options =>
        {
            options.AllowedOrigins.Add("https://good.example");
            options.EndpointAllowedOrigins["/handshake/own-list"] = ["https://other.example"];
        });
        string[] handshake = ["Sec-WebSocket-Version: 13", "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ=="];

        Assert.StartsWith("HTTP/1.1 403", await RawHandshakeAsync(host, "/handshake/own-list", [.. handshake, "Origin: https://good.example"]), StringComparison.Ordinal);
        Assert.StartsWith("HTTP/1.1 101", await RawHandshakeAsync(host, "/handshake/own-list", [.. handshake, "Origin: https://other.example"]), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_first_subprotocol_of_the_client_that_the_server_supports_wins()
    {
        var endpoint = new ScriptedEndpoint();
        await using var host = await ServerTestHost.StartAsync([endpoint.ToDefinition("/handshake/subprotocol", "MBLWS.huawei.com", "wamp", "v11.stomp", "v10.stomp", "soap")]);

        using var client = await host.ConnectAsync("/handshake/subprotocol", options =>
        {
            options.AddSubProtocol("MBWS.huawei.com");
            options.AddSubProtocol("soap");
            options.AddSubProtocol("v10.stomp");
        });
        await endpoint.Log.WaitForAsync("open");

        Assert.Equal("soap", client.SubProtocol);
        Assert.Equal("soap", endpoint.Log.Values.OfType<WebSocketSession>().Single().NegotiatedSubprotocol);
    }

    [Fact]
    public async Task No_common_subprotocol_means_no_header_and_an_empty_negotiated_subprotocol()
    {
        var endpoint = new ScriptedEndpoint();
        await using var host = await ServerTestHost.StartAsync([endpoint.ToDefinition("/handshake/no-subprotocol", "chat.v1")]);

        var response = await RawHandshakeAsync(host, "/handshake/no-subprotocol", "Sec-WebSocket-Version: 13", "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Protocol: other");
        await endpoint.Log.WaitForAsync("open");

        Assert.StartsWith("HTTP/1.1 101", response, StringComparison.Ordinal);
        Assert.DoesNotContain("Sec-WebSocket-Protocol", response, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(string.Empty, endpoint.Log.Values.OfType<WebSocketSession>().Single().NegotiatedSubprotocol);
    }

    [Fact]
    public async Task Permessage_deflate_is_negotiated_only_when_enabled()
    {
        var offer = "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits";
        await using var off = await ServerTestHost.StartAsync("/handshake/deflate-off", new ScriptedEndpoint());
        await using var on = await ServerTestHost.StartAsync("/handshake/deflate-on", new ScriptedEndpoint(), options => options.PerMessageDeflate.Enabled = true);

        var withoutDeflate = await RawHandshakeAsync(off, "/handshake/deflate-off", "Sec-WebSocket-Version: 13", "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==", offer);
        var withDeflate = await RawHandshakeAsync(on, "/handshake/deflate-on", "Sec-WebSocket-Version: 13", "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==", offer);

        Assert.DoesNotContain("Sec-WebSocket-Extensions", withoutDeflate, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Sec-WebSocket-Extensions: permessage-deflate", withDeflate, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Compressed_messages_round_trip_with_ClientWebSocket()
    {
        var endpoint = new ScriptedEndpoint();
        await using var host = await ServerTestHost.StartAsync("/handshake/deflate-echo", endpoint, options => options.PerMessageDeflate.Enabled = true);
        using var client = await host.ConnectAsync("/handshake/deflate-echo", options => options.DangerousDeflateOptions = new WebSocketDeflateOptions());
        var text = string.Concat(Enumerable.Repeat("compress me ", 500));

        await client.SendTextAsync(text);

        Assert.Equal(text, await client.ReceiveTextAsync());
    }

    [Fact]
    public async Task A_configurator_choice_the_client_did_not_request_is_not_sent()
    {
        var endpoint = new ScriptedEndpoint();
        endpoint.Configurator = new FixedSubprotocolConfigurator(endpoint);
        await using var host = await ServerTestHost.StartAsync([endpoint.ToDefinition("/handshake/unrequested", "chat.v1")]);

        using var client = await host.ConnectAsync("/handshake/unrequested", options => options.AddSubProtocol("chat.v1"));

        Assert.Null(client.SubProtocol);
    }

    private static async Task<string> RawHandshakeAsync(KestrelHost host, string path, params string[] headers)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, host.BaseAddress.Port).WaitAsync(TimeSpan.FromSeconds(10));
        var stream = tcp.GetStream();
        var request = new StringBuilder()
            .Append($"GET {path} HTTP/1.1\r\nHost: {host.BaseAddress.Authority}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n");
        foreach (var header in headers)
        {
            request.Append(header).Append("\r\n");
        }

        request.Append("\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request.ToString()));

        // The response head ends with an empty line; a 101 has no body, an error may have a short one.
        var buffer = new byte[4096];
        var received = new StringBuilder();
        while (!received.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
        {
            var count = await stream.ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
            if (count == 0)
            {
                break;
            }

            received.Append(Encoding.ASCII.GetString(buffer, 0, count));
        }

        return received.ToString();
    }

    private sealed class FixedSubprotocolConfigurator(ScriptedEndpoint endpoint) : ScriptedEndpoint.InstanceConfigurator(endpoint)
    {
        public override string GetNegotiatedSubprotocol(IReadOnlyList<string> supported, IReadOnlyList<string> requested) => "never.requested";
    }

    private sealed class OriginConfigurator(ScriptedEndpoint endpoint, string allowed) : ScriptedEndpoint.InstanceConfigurator(endpoint)
    {
        public override bool CheckOrigin(string? origin) => origin == allowed;
    }
}
