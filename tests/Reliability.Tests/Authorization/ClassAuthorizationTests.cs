using System.Net;
using System.Net.WebSockets;
using Annotated.WebSockets.Server;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Annotated.WebSockets.Reliability.Tests.Authorization;

/// <summary>
/// <c>[Authorize]</c> and <c>[AllowAnonymous]</c> on endpoint classes (and their base classes) guard the
/// handshake through ASP.NET Core authorization with a real authentication scheme: 401 or 403 before any
/// upgrade, and the session's user is the authenticated principal.
/// </summary>
public sealed class ClassAuthorizationTests
{
    [Fact]
    public async Task An_anonymous_handshake_to_an_authorized_class_gets_401_and_no_session()
    {
        await using var host = await StartAuthenticatedAsync();

        var status = await RefusedStatusAsync(host, "/auth/members", configure: null);

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal(0, host.App.Services.GetRequiredService<ServerContainer>().Sessions.Count);
    }

    [Fact]
    public async Task An_authenticated_member_is_upgraded_and_the_session_user_is_the_principal()
    {
        await using var host = await StartAuthenticatedAsync();

        using var alice = await host.ConnectAsync("/auth/members", options => SignIn(options, "alice", "member"));
        await alice.SendTextAsync("who am I?");

        Assert.Equal("alice/Header/member", await alice.ReceiveTextAsync());
        await alice.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task An_authenticated_user_without_the_role_gets_403()
    {
        await using var host = await StartAuthenticatedAsync();

        var status = await RefusedStatusAsync(host, "/auth/members", options => SignIn(options, "bob", "guest"));

        Assert.Equal(HttpStatusCode.Forbidden, status);
    }

    [Fact]
    public async Task AllowAnonymous_on_the_class_opens_an_endpoint_whose_base_class_is_authorized()
    {
        await using var host = await StartAuthenticatedAsync();

        using var anonymous = await host.ConnectAsync("/auth/lobby");
        await anonymous.SendTextAsync("who am I?");
        Assert.Equal("anonymous", await anonymous.ReceiveTextAsync());

        // The user is still authenticated when credentials come along.
        using var alice = await host.ConnectAsync("/auth/lobby", options => SignIn(options, "alice", "guest"));
        await alice.SendTextAsync("who am I?");
        Assert.Equal("alice/Header/not a member", await alice.ReceiveTextAsync());
    }

    [Fact]
    public async Task A_cross_origin_browser_handshake_to_an_authorized_class_gets_403()
    {
        await using var host = await StartAuthenticatedAsync();

        // Cross-site WebSocket hijacking: another site's page riding on the user's credentials.
        var status = await RefusedStatusAsync(host, "/auth/members", options =>
        {
            SignIn(options, "alice", "member");
            options.SetRequestHeader("Origin", "https://evil.example");
        });
        Assert.Equal(HttpStatusCode.Forbidden, status);

        // The application's own page is let in, and so is any page to the [AllowAnonymous] endpoint.
        using var ownPage = await host.ConnectAsync("/auth/members", options =>
        {
            SignIn(options, "alice", "member");
            options.SetRequestHeader("Origin", $"http://{host.BaseAddress.Authority}");
        });
        using var lobby = await host.ConnectAsync("/auth/lobby", options => options.SetRequestHeader("Origin", "https://evil.example"));
        await lobby.SendTextAsync("who am I?");
        Assert.Equal("anonymous", await lobby.ReceiveTextAsync());
    }

    [Fact]
    public async Task A_host_without_authentication_still_serves_its_other_endpoints_while_authorized_classes_are_mapped()
    {
        // The default host maps every endpoint of this assembly, [Authorize] ones included, and registers no
        // authentication: that must not stop it from starting or from serving the endpoints without metadata.
        await using var host = await KestrelHost.StartAsync();

        using var client = await host.ConnectAsync("/auth/unguarded");
        await client.SendTextAsync("still serving");
        Assert.Equal("still serving", await client.ReceiveTextAsync());
    }

    [Fact]
    public async Task Class_attributes_come_before_route_conventions_in_the_endpoint_metadata()
    {
        await using var host = await KestrelHost.StartAsync(mapEndpoints: app => app.MapAnnotatedWebSockets().RequireAuthorization("convention"));

        var endpoint = ((IEndpointRouteBuilder)host.App).DataSources
            .SelectMany(source => source.Endpoints)
            .Single(candidate => candidate.DisplayName?.Contains("/auth/members", StringComparison.Ordinal) == true);

        // The base class's [Authorize], the class's own, then the route convention: last wins where one counts.
        Assert.Equal(
            new (string?, string?)[] { (null, null), (null, "member"), ("convention", null) },
            endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(data => (data.Policy, data.Roles)));
    }

    [Fact]
    public async Task A_class_deployed_at_run_time_with_AddEndpoint_keeps_its_Authorize()
    {
        await using var host = await KestrelHost.StartAsync(
            services: AddHeaderAuthentication,
            mapEndpoints: app =>
            {
                app.UseAuthentication();
                app.UseAuthorization();
                AnnotatedWebSocketsEndpointRouteBuilderExtensions.MapAnnotatedWebSocketEndpoints(app, []);
            });
        host.App.Services.GetRequiredService<IServerContainer>().AddEndpoint(typeof(MembersEndpoint));

        Assert.Equal(HttpStatusCode.Unauthorized, await RefusedStatusAsync(host, "/auth/members", configure: null));
        Assert.Equal(HttpStatusCode.Forbidden, await RefusedStatusAsync(host, "/auth/members", options => SignIn(options, "bob", "guest")));
        using var alice = await host.ConnectAsync("/auth/members", options => SignIn(options, "alice", "member"));
        await alice.SendTextAsync("who am I?");
        Assert.Equal("alice/Header/member", await alice.ReceiveTextAsync());
        await alice.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
    }

    private static Task<KestrelHost> StartAuthenticatedAsync() => KestrelHost.StartAsync(
        services: AddHeaderAuthentication,
        map: app =>
        {
            app.UseAuthentication();
            app.UseAuthorization();
        });

    private static void AddHeaderAuthentication(IServiceCollection services)
    {
        services.AddAuthentication(HeaderAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, HeaderAuthenticationHandler>(HeaderAuthenticationHandler.SchemeName, null);
        services.AddAuthorization();
    }

    private static void SignIn(ClientWebSocketOptions options, string user, string roles)
    {
        options.SetRequestHeader("X-User", user);
        options.SetRequestHeader("X-Roles", roles);
    }

    /// <summary>Attempts a handshake that must be refused; returns the HTTP status it got instead of 101.</summary>
    private static async Task<HttpStatusCode> RefusedStatusAsync(KestrelHost host, string path, Action<ClientWebSocketOptions>? configure)
    {
        using var client = new ClientWebSocket();
        client.Options.CollectHttpResponseDetails = true;
        configure?.Invoke(client.Options);
        await Assert.ThrowsAsync<WebSocketException>(() => client.ConnectAsync(host.WebSocketUri(path), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.NotEqual(HttpStatusCode.SwitchingProtocols, client.HttpStatusCode);
        return client.HttpStatusCode;
    }
}
