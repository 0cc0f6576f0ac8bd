using System.Net;
using System.Net.WebSockets;
using System.Security.Claims;
using System.Text.Encodings.Web;
using Annotated.WebSockets.Client;
using Annotated.WebSockets.Runtime.Tests.Client;
using Annotated.WebSockets.Server;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Annotated.WebSockets.Runtime.Tests.Server;

/// <summary>
/// Issue 21 over Kestrel: the container a session belongs to, the container's default configurator, extensions with
/// parameters in the configs, read-only handshake collections, closing on authentication expiry, wss-only endpoints.
/// </summary>
public sealed class ContainerApiTests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_session_knows_its_container_on_the_server_and_on_the_client()
    {
        var endpoint = new ScriptedEndpoint();
        await using var host = await ServerTestHost.StartAsync("/container/echo", endpoint);
        await using var container = WebSocketContainer.Create();

        var session = await container.ConnectToServerAsync(new ProgrammaticTestEndpoint(), ClientEndpointConfig.CreateBuilder().Build(), host.WebSocketUri("/container/echo")).WaitAsync(s_timeout);
        await endpoint.Log.WaitForAsync("open");
        var serverSession = endpoint.Log.Values.OfType<WebSocketSession>().Single();

        Assert.Same(host.App.Services.GetRequiredService<IServerContainer>(), serverSession.Container);
        Assert.Same(container, session.Container);
        Assert.Equal(["permessage-deflate"], serverSession.Container.InstalledExtensions.Select(static e => e.ToString()));
        Assert.Equal(["permessage-deflate"], container.InstalledExtensions.Select(static e => e.ToString()));
        Assert.Equal(TimeSpan.FromMinutes(5), serverSession.Container.DefaultMaxSessionIdleTimeout);
        Assert.Equal(container.DefaultMaxTextMessageBufferSize, session.Container.DefaultMaxTextMessageBufferSize);
        Assert.Throws<NotSupportedException>(() => ((IList<Extension>)container.InstalledExtensions).Add(new Extension("x-mine")));
    }

    [Fact]
    public void The_container_default_configurator_is_one_plain_ServerEndpointConfigurator()
    {
        var custom = new RecordingConfigurator();
        var containerDefault = custom.GetContainerDefaultConfigurator();

        Assert.Same(containerDefault, new ServerEndpointConfigurator().GetContainerDefaultConfigurator());
        Assert.Equal(typeof(ServerEndpointConfigurator), containerDefault.GetType());
        Assert.Equal("b", containerDefault.GetNegotiatedSubprotocol(["a", "b"], ["c", "b", "a"]));
        Assert.True(containerDefault.CheckOrigin("https://anywhere.example"));
    }

    [Fact]
    public async Task Configured_extensions_with_parameters_are_the_installed_list_and_configure_deflate()
    {
        var configurator = new RecordingConfigurator();
        var endpoint = new CapturingEndpoint();
        var config = new ServerEndpointConfig(
            typeof(CapturingEndpoint),
            "/container/extensions",
            _ => endpoint,
            extensions: [Extension.Parse("permessage-deflate; server_no_context_takeover")],
            configurator: configurator);
        await using var host = await KestrelHost.StartAsync(mapEndpoints: app => AnnotatedWebSocketsEndpointRouteBuilderExtensions.MapAnnotatedWebSocketEndpoints(app, [], [config]));

        using var client = await host.ConnectAsync("/container/extensions", options =>
        {
            options.DangerousDeflateOptions = new WebSocketDeflateOptions();
            options.CollectHttpResponseDetails = true;
        });
        var session = await endpoint.Opened.WaitAsync(s_timeout);

        Assert.Equal(["permessage-deflate; server_no_context_takeover"], configurator.Installed!.Select(static e => e.ToString()));
        Assert.Contains("server_no_context_takeover", client.HttpResponseHeaders!["Sec-WebSocket-Extensions"].Single(), StringComparison.Ordinal);
        var negotiated = Assert.Single(session.NegotiatedExtensions);
        Assert.Equal("permessage-deflate", negotiated.Name);
        Assert.Contains(negotiated.Parameters, static p => p.Name == "server_no_context_takeover");
        var text = string.Concat(Enumerable.Repeat("compress me ", 100));
        await client.SendTextAsync(text);
        Assert.Equal(text, await client.ReceiveTextAsync());
    }

    [Fact]
    public async Task An_extension_the_container_cannot_run_fails_deployment_naming_the_config_and_the_extension()
    {
        await using var host = await KestrelHost.StartAsync(mapEndpoints: app => AnnotatedWebSocketsEndpointRouteBuilderExtensions.MapAnnotatedWebSocketEndpoints(app, []));
        var server = host.App.Services.GetRequiredService<IServerContainer>();
        var unknown = new ServerEndpointConfig(
            typeof(CapturingEndpoint), "/container/custom", _ => new CapturingEndpoint(), extensions: [Extension.Parse("x-custom-compression; level=3")]);
        var malformed = new ServerEndpointConfig(
            typeof(CapturingEndpoint), "/container/malformed", _ => new CapturingEndpoint(), extensions: [Extension.Parse("permessage-deflate; client_max_window_bits=20")]);

        var error = Assert.Throws<DeploymentException>(() => server.AddEndpoint(unknown));
        Assert.Contains(typeof(CapturingEndpoint).FullName!, error.Message, StringComparison.Ordinal);
        Assert.Contains("'/container/custom'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'x-custom-compression; level=3' cannot be run by this container", error.Message, StringComparison.Ordinal);
        var malformedError = Assert.Throws<DeploymentException>(() => server.AddEndpoint(malformed));
        Assert.Contains("'permessage-deflate; client_max_window_bits=20' cannot be configured", malformedError.Message, StringComparison.Ordinal);

        // Nothing was deployed: a handshake to either path finds no endpoint.
        using var probe = new ClientWebSocket();
        probe.Options.CollectHttpResponseDetails = true;
        await Assert.ThrowsAsync<WebSocketException>(() => probe.ConnectAsync(host.WebSocketUri("/container/custom"), CancellationToken.None).WaitAsync(s_timeout));
        Assert.Equal(HttpStatusCode.NotFound, probe.HttpStatusCode);
    }

    [Fact]
    public async Task Client_config_extensions_are_offered_with_their_parameters_and_an_unknown_one_fails_the_connect()
    {
        await using var server = await ClientTestServer.StartAsync(options => options.PerMessageDeflate.Enabled = true);
        await using var container = WebSocketContainer.Create();
        var id = ServerLog.NewId();
        var config = ClientEndpointConfig.CreateBuilder()
            .WithExtensions(Extension.Parse("permessage-deflate; server_no_context_takeover"))
            .Build();

        var session = await container.ConnectToServerAsync(new ProgrammaticTestEndpoint(), config, server.WebSocketUri("/client-tests/echo", id)).WaitAsync(s_timeout);

        Assert.Equal(["permessage-deflate; server_no_context_takeover"], config.Extensions.Select(static e => e.ToString()));
        Assert.Equal("permessage-deflate; server_no_context_takeover", ClientTestServer.RequestHeaders[id]["Sec-WebSocket-Extensions"]);
        var negotiated = Assert.Single(session.NegotiatedExtensions);
        Assert.Contains(negotiated.Parameters, static p => p.Name == "server_no_context_takeover");

        var unknown = ClientEndpointConfig.CreateBuilder().WithExtensions(new Extension("x-unknown", [new ExtensionParameter("level", "3")])).Build();
        var unknownId = ServerLog.NewId();
        var error = await Assert.ThrowsAsync<DeploymentException>(() => container.ConnectToServerAsync(new ProgrammaticTestEndpoint(), unknown, server.WebSocketUri("/client-tests/echo", unknownId)));
        Assert.Contains("'x-unknown; level=3' cannot be run by this container", error.Message, StringComparison.Ordinal);
        Assert.Contains(typeof(ProgrammaticTestEndpoint).FullName!, error.Message, StringComparison.Ordinal);
        Assert.False(ClientTestServer.RequestHeaders.ContainsKey(unknownId));   // refused before any request
    }

    [Fact]
    public async Task Handshake_collections_given_to_the_configurator_are_read_only_and_the_session_sees_the_originals()
    {
        var configurator = new RecordingConfigurator();
        var endpoint = new CapturingEndpoint();
        var config = new ServerEndpointConfig(
            typeof(CapturingEndpoint),
            "/container/read-only/{room}",
            _ => endpoint,
            subprotocols: ["chat.v1"],
            extensions: [Extension.Parse("permessage-deflate; client_no_context_takeover")],
            configurator: configurator);
        await using var host = await KestrelHost.StartAsync(mapEndpoints: app => AnnotatedWebSocketsEndpointRouteBuilderExtensions.MapAnnotatedWebSocketEndpoints(app, [], [config]));

        using var client = await host.ConnectAsync("/container/read-only/lobby?q=1&q=2", options =>
        {
            options.AddSubProtocol("chat.v1");
            options.DangerousDeflateOptions = new WebSocketDeflateOptions();
            options.SetRequestHeader("X-Tag", "original");
        });
        var session = await endpoint.Opened.WaitAsync(s_timeout);

        Assert.NotEmpty(configurator.Attempts);
        Assert.All(configurator.Attempts, static attempt => Assert.EndsWith(":refused", attempt, StringComparison.Ordinal));
        Assert.Equal(["1", "2"], session.RequestParameters["q"]);
        Assert.Equal(["lobby"], session.RequestParameters["room"]);
        Assert.False(session.RequestParameters.ContainsKey("injected"));
        Assert.Equal("chat.v1", session.NegotiatedSubprotocol);
        Assert.Equal(["chat.v1"], config.Subprotocols);
        Assert.Throws<NotSupportedException>(() => ((IList<string>)session.RequestParameters["q"])[0] = "evil");
        Assert.Throws<NotSupportedException>(() => ((IDictionary<string, IReadOnlyList<string>>)session.RequestParameters).Clear());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_session_whose_authentication_expires_is_closed_with_1008_and_says_why(bool closeOnExpiration)
    {
        var clock = FakeClock.Create();
        var endpoint = new ScriptedEndpoint();
        await using var host = await KestrelHost.StartAsync(
            options => options.CloseOnAuthenticationExpiration = closeOnExpiration,
            services: services =>
            {
                services.AddSingleton<TimeProvider>(clock);
                services.AddAuthentication(ExpiringTicketHandler.SchemeName)
                    .AddScheme<AuthenticationSchemeOptions, ExpiringTicketHandler>(ExpiringTicketHandler.SchemeName, null);
            },
            mapEndpoints: app =>
            {
                app.UseAuthentication();
                AnnotatedWebSocketsEndpointRouteBuilderExtensions.MapAnnotatedWebSocketEndpoints(app, [endpoint.ToDefinition("/container/expiring")]);
            });
        using var client = await host.ConnectAsync("/container/expiring");
        await endpoint.Log.WaitForAsync("open");
        Assert.Equal("ada", endpoint.Log.Values.OfType<WebSocketSession>().Single().User?.Identity?.Name);

        // The ticket expires a minute after the handshake: the heartbeat (every second) closes the session at its first tick after.
        clock.Advance(ExpiringTicketHandler.Lifetime - TimeSpan.FromSeconds(1));
        await client.SendTextAsync("before");
        Assert.Equal("before", await client.ReceiveTextAsync());
        if (closeOnExpiration)
        {
            var closing = client.ReceiveCloseAsync();
            clock.Advance(TimeSpan.FromSeconds(2));
            var (status, description) = await closing.WaitAsync(s_timeout);
            Assert.Equal(WebSocketCloseStatus.PolicyViolation, status);
            Assert.Equal("Authentication expired.", description);
            Assert.Equal("close:1008:Authentication expired.", await endpoint.Log.WaitForAsync("close:"));
        }
        else
        {
            clock.Advance(TimeSpan.FromSeconds(2));
            await client.SendTextAsync("after");
            Assert.Equal("after", await client.ReceiveTextAsync());
            Assert.Equal(WebSocketState.Open, client.State);
        }
    }

    [Fact]
    public async Task An_endpoint_requiring_a_secure_connection_refuses_ws_with_403_and_accepts_wss()
    {
        var endpoint = new CapturingEndpoint();
        var config = new ServerEndpointConfig(typeof(CapturingEndpoint), "/container/secure", _ => endpoint) { RequireSecureConnection = true };
        await using var host = await KestrelHost.StartAsync(
            configureBuilder: builder =>
            {
                builder.WebHost.UseKestrelHttpsConfiguration();
                builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(TestCertificates.Server)));
            },
            mapEndpoints: app => AnnotatedWebSocketsEndpointRouteBuilderExtensions.MapAnnotatedWebSocketEndpoints(app, [], [config]));
        var addresses = host.App.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Select(static a => new Uri(a)).ToList();
        var plainAddress = addresses.Single(static a => a.Scheme == "http");
        var tlsAddress = addresses.Single(static a => a.Scheme == "https");

        using var plain = new ClientWebSocket();
        plain.Options.CollectHttpResponseDetails = true;
        await Assert.ThrowsAsync<WebSocketException>(() => plain.ConnectAsync(new Uri($"ws://{plainAddress.Authority}/container/secure"), CancellationToken.None).WaitAsync(s_timeout));
        Assert.Equal(HttpStatusCode.Forbidden, plain.HttpStatusCode);
        Assert.False(endpoint.Opened.IsCompleted);

        await using var container = WebSocketContainer.Create();
        var tls = ClientEndpointConfig.CreateBuilder()
            .WithRemoteCertificateValidation(static (_, certificate, _, _) => certificate?.GetCertHashString() == TestCertificates.Server.GetCertHashString())
            .Build();
        var session = await container.ConnectToServerAsync(new ProgrammaticTestEndpoint(), tls, new Uri($"wss://{tlsAddress.Authority}/container/secure")).WaitAsync(s_timeout);
        Assert.True(session.IsSecure);
        Assert.True((await endpoint.Opened.WaitAsync(s_timeout)).IsSecure);
    }

    /// <summary>A programmatic endpoint that hands over its session when it opens and echoes text.</summary>
    private sealed class CapturingEndpoint : Endpoint
    {
        private readonly TaskCompletionSource<WebSocketSession> _opened = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<WebSocketSession> Opened => _opened.Task;

        public override Task OnOpen(WebSocketSession session, EndpointConfig config)
        {
            session.AddMessageHandler<string>(text => session.BasicRemote.SendTextAsync(text));
            _opened.TrySetResult(session);
            return Task.CompletedTask;
        }
    }

    /// <summary>Records the installed extensions and tries to change every collection the handshake gives it.</summary>
    private sealed class RecordingConfigurator : ServerEndpointConfigurator
    {
        public IReadOnlyList<Extension>? Installed { get; private set; }

        public List<string> Attempts { get; } = [];

        public override string GetNegotiatedSubprotocol(IReadOnlyList<string> supported, IReadOnlyList<string> requested)
        {
            Attempts.Add(TryChange("supported", () => ((IList<string>)supported).Add("injected")));
            Attempts.Add(TryChange("requested", () => ((IList<string>)requested).Add("injected")));
            return GetContainerDefaultConfigurator().GetNegotiatedSubprotocol(supported, requested);
        }

        public override IReadOnlyList<Extension> GetNegotiatedExtensions(IReadOnlyList<Extension> installed, IReadOnlyList<Extension> requested)
        {
            Installed = installed;
            Attempts.Add(TryChange("installed", () => ((IList<Extension>)installed).Clear()));
            Attempts.Add(TryChange("requested extensions", () => ((IList<Extension>)requested).Add(new Extension("x-injected"))));
            Attempts.Add(TryChange("extension parameters", () => ((IList<ExtensionParameter>)installed[0].Parameters).Clear()));
            return GetContainerDefaultConfigurator().GetNegotiatedExtensions(installed, requested);
        }

        public override void ModifyHandshake(ServerEndpointConfig config, HandshakeRequest request, ServerHandshakeResponse response)
        {
            if (request.ParameterMap.Count == 0)
            {
                return;   // the extensions test: nothing to try here
            }

            Attempts.Add(TryChange("parameter map", () => ((IDictionary<string, IReadOnlyList<string>>)request.ParameterMap)["injected"] = ["x"]));
            Attempts.Add(TryChange("parameter values", () => ((IList<string>)request.ParameterMap["q"])[0] = "evil"));
            Attempts.Add(TryChange("path parameter values", () => ((IList<string>)request.ParameterMap["room"])[0] = "evil"));
            Attempts.Add(TryChange("headers", () => ((IDictionary<string, IReadOnlyList<string>>)request.Headers).Remove("X-Tag")));
            Attempts.Add(TryChange("header values", () => ((IList<string>)request.Headers["X-Tag"])[0] = "evil"));
            Attempts.Add(TryChange("config subprotocols", () => ((IList<string>)config.Subprotocols)[0] = "evil"));
            Attempts.Add(TryChange("config extensions", () => ((IList<Extension>)config.Extensions).Clear()));
        }

        private static string TryChange(string what, Action change)
        {
            try
            {
                change();
                return what + ":changed";
            }
            catch (Exception ex) when (ex is NotSupportedException or InvalidCastException)
            {
                return what + ":refused";
            }
        }
    }

    /// <summary>Signs every request in as "ada" with a ticket that expires a minute later on the DI clock (as a cookie or bearer ticket would).</summary>
    private sealed class ExpiringTicketHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
        : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        public const string SchemeName = "Expiring";

        public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(1);

        protected override Task<AuthenticateResult> HandleAuthenticateAsync()
        {
            var now = Context.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
            var principal = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, "ada")], SchemeName));
            var properties = new AuthenticationProperties { IssuedUtc = now, ExpiresUtc = now + Lifetime };
            return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, properties, SchemeName)));
        }
    }
}
