using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using Annotated.WebSockets.Client;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Annotated.WebSockets.Runtime.Tests.Client;

/// <summary>TLS, HTTP/2 extended CONNECT and transport failures of the client's handshake.</summary>
public sealed class ClientTransportTests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Wss_WithASelfSignedCertificate_IsAcceptedThroughTheValidationCallback()
    {
        await using var server = await ClientTestServer.StartAsync(certificate: TestCertificates.Server);
        await using var container = WebSocketContainer.Create();
        var seen = new List<string>();
        var config = ClientEndpointConfig.CreateBuilder()
            .WithRemoteCertificateValidation((_, certificate, _, errors) =>
            {
                seen.Add(errors.ToString());
                return certificate?.GetCertHashString() == TestCertificates.Server.GetCertHashString();
            })
            .Build();
        var endpoint = new RecordingClientEndpoint();

        var session = await container.ConnectToServerAsync(endpoint, config, server.WebSocketUri("/client-tests/echo", ServerLog.NewId())).WaitAsync(s_timeout);

        Assert.True(session.IsSecure);
        Assert.Contains(nameof(SslPolicyErrors.RemoteCertificateChainErrors), Assert.Single(seen), StringComparison.Ordinal);
        await session.BasicRemote.SendTextAsync("over tls").WaitAsync(s_timeout);
        Assert.Equal("text:over tls", await endpoint.Events.WaitForAsync("text:"));
    }

    [Fact]
    public async Task Wss_WithASelfSignedCertificate_IsRejectedWithoutTheCallback()
    {
        await using var server = await ClientTestServer.StartAsync(certificate: TestCertificates.Server);
        await using var container = WebSocketContainer.Create();
        var endpoint = new RecordingClientEndpoint();

        var error = await Assert.ThrowsAsync<HttpRequestException>(() =>
            container.ConnectToServerAsync(endpoint, server.WebSocketUri("/client-tests/echo", ServerLog.NewId())).WaitAsync(s_timeout));

        Assert.Equal(HttpRequestError.SecureConnectionError, error.HttpRequestError);
        Assert.Empty(endpoint.Events.Entries);
    }

    [Fact]
    public async Task Http2_OverTls_UsesExtendedConnect()
    {
        await using var server = await ClientTestServer.StartAsync(protocols: HttpProtocols.Http1AndHttp2, certificate: TestCertificates.Server);
        await using var container = WebSocketContainer.Create();
        var config = ClientEndpointConfig.CreateBuilder()
            .WithHttpVersion(HttpVersion.Version20, HttpVersionPolicy.RequestVersionExact)
            .WithRemoteCertificateValidation((_, certificate, _, _) => certificate?.GetCertHashString() == TestCertificates.Server.GetCertHashString())
            .Build();
        var id = ServerLog.NewId();
        var endpoint = new RecordingClientEndpoint();

        var session = await container.ConnectToServerAsync(endpoint, config, server.WebSocketUri("/client-tests/echo", id)).WaitAsync(s_timeout);

        Assert.Equal("HTTP/2", ClientTestServer.RequestProtocols[id]);
        Assert.Equal("chat.v1", session.NegotiatedSubprotocol);
        await session.BasicRemote.SendTextAsync("over h2").WaitAsync(s_timeout);
        Assert.Equal("text:over h2", await endpoint.Events.WaitForAsync("text:"));
        await session.CloseAsync(new CloseReason((CloseCode)4020, "h2 done")).WaitAsync(s_timeout);
        Assert.Equal("close:4020:h2 done", await ServerLog.For(id).WaitForAsync("close:"));
    }

    [Fact]
    public async Task Http2_Cleartext_UsesPriorKnowledge()
    {
        await using var server = await ClientTestServer.StartAsync(protocols: HttpProtocols.Http2);
        await using var container = WebSocketContainer.Create();
        var config = ClientEndpointConfig.CreateBuilder().WithHttpVersion(HttpVersion.Version20, HttpVersionPolicy.RequestVersionExact).Build();
        var id = ServerLog.NewId();
        var endpoint = new RecordingClientEndpoint();

        var session = await container.ConnectToServerAsync(endpoint, config, server.WebSocketUri("/client-tests/echo", id)).WaitAsync(s_timeout);

        Assert.Equal("HTTP/2", ClientTestServer.RequestProtocols[id]);
        await session.BasicRemote.SendBinaryAsync(new byte[] { 42 }).WaitAsync(s_timeout);
        Assert.Equal("binary:2A", await endpoint.Events.WaitForAsync("binary:"));
    }

    [Fact]
    public async Task Http2_FallsBackToHttp11_WhenTheServerHasNoHttp2AndThePolicyAllowsIt()
    {
        await using var server = await ClientTestServer.StartAsync(protocols: HttpProtocols.Http1, certificate: TestCertificates.Server);
        await using var container = WebSocketContainer.Create();
        var config = ClientEndpointConfig.CreateBuilder()
            .WithHttpVersion(HttpVersion.Version20, HttpVersionPolicy.RequestVersionOrLower)
            .WithRemoteCertificateValidation((_, _, _, _) => true)
            .Build();
        var id = ServerLog.NewId();

        var session = await container.ConnectToServerAsync(new RecordingClientEndpoint(), config, server.WebSocketUri("/client-tests/echo", id)).WaitAsync(s_timeout);

        Assert.True(session.IsOpen);
        Assert.Equal("HTTP/1.1", ClientTestServer.RequestProtocols[id]);
    }

    [Fact]
    public async Task Http2_WithAnExactPolicy_FailsAgainstAServerWithoutHttp2()
    {
        await using var server = await ClientTestServer.StartAsync(protocols: HttpProtocols.Http1, certificate: TestCertificates.Server);
        await using var container = WebSocketContainer.Create();
        var config = ClientEndpointConfig.CreateBuilder()
            .WithHttpVersion(HttpVersion.Version20, HttpVersionPolicy.RequestVersionExact)
            .WithRemoteCertificateValidation((_, _, _, _) => true)
            .Build();
        var id = ServerLog.NewId();

        await Assert.ThrowsAsync<HttpRequestException>(() =>
            container.ConnectToServerAsync(new RecordingClientEndpoint(), config, server.WebSocketUri("/client-tests/echo", id)).WaitAsync(s_timeout));
        Assert.False(ClientTestServer.RequestProtocols.ContainsKey(id));
    }

    [Fact]
    public async Task AProxy_CarriesTheConnectionThroughACONNECTTunnel()
    {
        await using var server = await ClientTestServer.StartAsync();
        await using var proxy = new TunnelProxy();
        await using var container = WebSocketContainer.Create();
        var config = ClientEndpointConfig.CreateBuilder().WithProxy(proxy).Build();
        var endpoint = new RecordingClientEndpoint();

        var session = await container.ConnectToServerAsync(endpoint, config, server.WebSocketUri("/client-tests/echo", ServerLog.NewId())).WaitAsync(s_timeout);

        Assert.Equal($"CONNECT {server.BaseAddress.Authority} HTTP/1.1", Assert.Single(proxy.Requests));
        await session.BasicRemote.SendTextAsync("through the proxy").WaitAsync(s_timeout);
        Assert.Equal("text:through the proxy", await endpoint.Events.WaitForAsync("text:"));
        await session.CloseAsync().WaitAsync(s_timeout);
    }

    [Fact]
    public async Task ConnectionRefused_IsAnHttpRequestException()
    {
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        await using var container = WebSocketContainer.Create();
        await Assert.ThrowsAsync<HttpRequestException>(() =>
            container.ConnectToServerAsync(new RecordingClientEndpoint(), new Uri($"ws://127.0.0.1:{port}/nothing")).WaitAsync(s_timeout));
    }

    [Fact]
    public async Task AServerThatNeverAnswers_HitsTheConnectTimeout()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var accepted = silent.AcceptTcpClientAsync();
        var clock = FakeClock.Create();
        var connectTimeout = TimeSpan.FromMilliseconds(300);
        await using var container = WebSocketContainer.Create(clock);
        container.ConnectTimeout = connectTimeout;

        var connecting = container.ConnectToServerAsync(new RecordingClientEndpoint(), new Uri($"ws://127.0.0.1:{((IPEndPoint)silent.LocalEndpoint).Port}/silent"));
        // The TCP connection reached the listener: the handshake (and its deadline, armed before it) is under way.
        using var peer = await accepted.WaitAsync(s_timeout);

        // Just before the deadline the handshake still waits; the last tick times it out.
        clock.Advance(connectTimeout - TimeSpan.FromTicks(1));
        await Task.WhenAny(connecting, Task.Delay(50));
        Assert.False(connecting.IsCompleted, "The connect ended before its timeout.");
        clock.Advance(TimeSpan.FromTicks(1));

        await Assert.ThrowsAsync<TimeoutException>(() => connecting.WaitAsync(s_timeout));
    }
}
