using System.Net;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Annotated.WebSockets.Runtime.Tests.Server;

/// <summary>Endpoint routing metadata applies to WebSocket endpoints: authorization guards the handshake.</summary>
public class AuthorizationTests
{
    [Fact]
    public async Task RequireAuthorization_rejects_anonymous_handshakes_and_the_session_sees_the_user()
    {
        var endpoint = new ScriptedEndpoint();
        await using var app = await StartAuthorizedAsync(endpoint, "/secure/{room}");
        var uri = new Uri(app.Urls.First().Replace("http", "ws", StringComparison.Ordinal) + "/secure/vault");

        using var anonymous = new ClientWebSocket();
        anonymous.Options.CollectHttpResponseDetails = true;
        await Assert.ThrowsAsync<WebSocketException>(() => anonymous.ConnectAsync(uri, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.HttpStatusCode);

        using var alice = new ClientWebSocket();
        alice.Options.SetRequestHeader("X-User", "alice");
        await alice.ConnectAsync(uri, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        await endpoint.Log.WaitForAsync("open");

        Assert.Equal("alice", endpoint.Log.Values.OfType<WebSocketSession>().Single().User?.Identity?.Name);
        Assert.Equal(1, endpoint.InstancesCreated);
        await alice.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        await app.StopAsync();
    }

    [Fact]
    public async Task Without_an_allow_list_an_endpoint_requiring_authorization_refuses_cross_origin_browsers()
    {
        var endpoint = new ScriptedEndpoint();
        await using var app = await StartAuthorizedAsync(endpoint, "/secure-origin");
        var http = new Uri(app.Urls.First());
        var uri = new Uri($"ws://{http.Authority}/secure-origin");

        // Cross-site WebSocket hijacking: another site's page, riding on the user's credentials.
        using var hijacker = new ClientWebSocket();
        hijacker.Options.CollectHttpResponseDetails = true;
        hijacker.Options.SetRequestHeader("X-User", "alice");
        hijacker.Options.SetRequestHeader("Origin", "https://evil.example");
        await Assert.ThrowsAsync<WebSocketException>(() => hijacker.ConnectAsync(uri, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(HttpStatusCode.Forbidden, hijacker.HttpStatusCode);

        using var ownPage = new ClientWebSocket();
        ownPage.Options.SetRequestHeader("X-User", "alice");
        ownPage.Options.SetRequestHeader("Origin", $"http://{http.Authority}");
        await ownPage.ConnectAsync(uri, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        await endpoint.Log.WaitForAsync("open");
        Assert.Equal(1, endpoint.InstancesCreated);
        await ownPage.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        await app.StopAsync();
    }

    /// <summary>Kestrel on loopback with header authentication and <paramref name="path"/> mapped with RequireAuthorization.</summary>
    private static async Task<WebApplication> StartAuthorizedAsync(ScriptedEndpoint endpoint, string path)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrlsLoopback();
        builder.Services.AddAuthentication(HeaderAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, HeaderAuthenticationHandler>(HeaderAuthenticationHandler.SchemeName, null);
        builder.Services.AddAuthorization();
        builder.Services.AddAnnotatedWebSockets();
        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        AnnotatedWebSocketsEndpointRouteBuilderExtensions
            .MapAnnotatedWebSocketEndpoints(app, [endpoint.ToDefinition(path)])
            .RequireAuthorization();
        await app.StartAsync().WaitAsync(TimeSpan.FromSeconds(30));
        return app;
    }
}
