using System.Security.Claims;
using Annotated.WebSockets.Client;
using Annotated.WebSockets.Testing.Transport;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Annotated.WebSockets.Testing;

/// <summary>
/// WebSocket endpoints hosted in memory for tests: the application's ASP.NET Core pipeline on a <see cref="TestServer"/>
/// (middleware, authentication, routing, DI and options), the real server container and handshake, and the real
/// protocol engine on both ends, joined by an in-memory connection (no socket, no port). Test clients connect with
/// <see cref="ConnectAsync"/>; time is virtual by default (<see cref="AdvanceAsync"/>).
/// </summary>
/// <remarks>
/// <para>
/// Make one standalone with <see cref="CreateBuilder"/>, or over an application's <c>WebApplicationFactory</c> with
/// <see cref="Create{TEntryPoint}"/>.
/// </para>
/// <para>
/// Quiescence: the host is quiescent when every side of every connection has read all it was sent and waits for more
/// (or is done), and no server session has sends queued (<see cref="ISessionActivity"/>). Since a session runs each
/// handler before it reads again, that means every message sent so far was handled and every reply delivered.
/// Work an endpoint starts on its own (<c>Task.Run</c>, its own timers) is not seen. A session that waits for a
/// message rate-limit token (the delay action) reads nothing until time passes: its unread input counts as settled,
/// so a test can expect nothing more, then advance the clock and see the delayed message handled.
/// </para>
/// </remarks>
public sealed class WebSocketTestHost : IAsyncDisposable
{
    private static readonly Uri s_inMemoryUri = new("ws://localhost/");
    private readonly Func<ClaimsPrincipal?, (ITestConnection Connection, HttpMessageHandler Handler)> _connect;
    private readonly Uri _baseUri;
    private readonly Func<ValueTask> _dispose;
    private readonly Func<Task> _stop;
    private readonly WebSocketTestHostOptions _options;
    private readonly ISessionActivity? _activity;
    private readonly ActivitySignal _signal;
    private readonly WebSocketContainer _container;
    private readonly object _lock = new();
    private readonly List<(ITestConnection Connection, WebSocketTestClient Client)> _clients = [];
    private int _disposed;

    internal WebSocketTestHost(
        ActivitySignal signal,
        Func<ClaimsPrincipal?, (ITestConnection Connection, HttpMessageHandler Handler)> connect,
        Uri baseUri,
        IServiceProvider services,
        TestClock? clock,
        WebSocketTestHostOptions options,
        Func<Task> stop,
        Func<ValueTask> dispose)
    {
        _signal = signal;
        _connect = connect;
        _baseUri = baseUri;
        Services = services;
        Clock = clock;
        _options = options;
        _stop = stop;
        _dispose = dispose;
        _activity = services.GetService<ISessionActivity>();
        _container = clock is null ? WebSocketContainer.Create() : WebSocketContainer.Create(clock);
        // The test client takes whatever the server sends and never closes on its own: a timeout under test is the server's.
        _container.SessionOptions.MaxIdleTimeout = TimeSpan.Zero;
        _container.SessionOptions.MaxTextMessageBufferSize = 64 * 1024 * 1024;
        _container.SessionOptions.MaxBinaryMessageBufferSize = 64 * 1024 * 1024;
    }

    /// <summary>The application's services (the server's DI container).</summary>
    public IServiceProvider Services { get; }

    /// <summary>The virtual clock, or null when the host uses the system clock.</summary>
    public TestClock? Clock { get; }

    /// <summary>Whether time is virtual (<see cref="AdvanceAsync"/> moves it).</summary>
    public bool UsesVirtualTime => Clock is not null;

    /// <summary>How long an expectation waits for the next entry of an inbox (real time).</summary>
    public TimeSpan ExpectTimeout => _options.ExpectTimeout;

    /// <summary>The server sessions open now, across every endpoint.</summary>
    public int OpenSessionCount => _activity?.OpenSessionCount ?? 0;

    /// <summary>The clients connected so far (open or closed), in the order they connected.</summary>
    public IReadOnlyList<WebSocketTestClient> Clients
    {
        get
        {
            lock (_lock)
            {
                return _clients.ConvertAll(static entry => entry.Client);
            }
        }
    }

    /// <summary>The path templates of the WebSocket endpoints the application maps (what a 404 lists).</summary>
    public IReadOnlyList<string> EndpointTemplates =>
        Services.GetService<EndpointDataSource>()?.Endpoints
            .OfType<RouteEndpoint>()
            .Where(static endpoint => endpoint.DisplayName?.StartsWith("WebSocket ", StringComparison.Ordinal) == true)
            .Select(static endpoint => endpoint.RoutePattern.RawText ?? string.Empty)
            .Order(StringComparer.Ordinal)
            .ToArray() ?? [];

    /// <summary>Starts a standalone host: the services and endpoints to map are the builder's.</summary>
    /// <returns>A builder; <see cref="WebSocketTestHostBuilder.StartAsync"/> starts the host.</returns>
    public static WebSocketTestHostBuilder CreateBuilder() => new();

    /// <summary>
    /// A host over an application's <see cref="WebApplicationFactory{TEntryPoint}"/>: its own services, middleware and
    /// endpoints, with <paramref name="configureServices"/> applied last (DI overrides) and the virtual clock registered
    /// as the application's <see cref="TimeProvider"/>. The factory stays the caller's; the host disposes what it derived.
    /// </summary>
    /// <typeparam name="TEntryPoint">The application's entry point.</typeparam>
    /// <param name="factory">The application's factory.</param>
    /// <param name="configureServices">Overrides of the application's services, or null.</param>
    /// <param name="configure">The host's options, or null for the defaults.</param>
    /// <returns>The started host.</returns>
    public static WebSocketTestHost Create<TEntryPoint>(
        WebApplicationFactory<TEntryPoint> factory,
        Action<IServiceCollection>? configureServices = null,
        Action<WebSocketTestHostOptions>? configure = null)
        where TEntryPoint : class
    {
        ArgumentNullException.ThrowIfNull(factory);
        var options = new WebSocketTestHostOptions();
        configure?.Invoke(options);
        if (options.Transport != WebSocketTestTransport.InMemory)
        {
            throw new ArgumentException(
                "A host over a WebApplicationFactory runs in memory (the factory's test server); use WebSocketTestHost.CreateBuilder() for the Kestrel transport.",
                nameof(configure));
        }

        var clock = options.UseVirtualTime ? new TestClock() : null;
        var derived = factory.WithWebHostBuilder(builder => builder.ConfigureTestServices(services =>
        {
            if (clock is not null)
            {
                services.RemoveAll<TimeProvider>();
                services.AddSingleton<TimeProvider>(clock);
            }

            configureServices?.Invoke(services);
        }));
        var server = derived.Server;
        var services = derived.Services;
        var signal = new ActivitySignal();
        return new WebSocketTestHost(
            signal,
            InMemory(server, signal),
            s_inMemoryUri,
            services,
            clock,
            options,
            () =>
            {
                services.GetRequiredService<IHostApplicationLifetime>().StopApplication();
                return Task.CompletedTask;
            },
            derived.DisposeAsync);
    }

    /// <summary>
    /// Connects a test client to <paramref name="pathAndQuery"/> (for example <c>/chat/lobby?name=ann</c>); a refused
    /// handshake is a result with its status code, not an exception. Returns once the host is quiescent, so the
    /// server's OnOpen has run (its greetings are in the inbox, its groups joined).
    /// </summary>
    /// <param name="pathAndQuery">The path and query, relative to the application's root.</param>
    /// <param name="configure">Subprotocols, headers, user and extensions of the handshake, or null.</param>
    /// <param name="cancellationToken">Cancels the handshake.</param>
    /// <returns>The client, or the refusal.</returns>
    public async Task<WebSocketConnectResult> TryConnectAsync(string pathAndQuery, Action<WebSocketConnectOptions>? configure = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pathAndQuery);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var options = new WebSocketConnectOptions();
        configure?.Invoke(options);

        // The handler is let go once the connection is made (the upgraded connection no longer belongs to it); a
        // refusal disposes it, with the connection it may pool.
        var (connection, handler) = _connect(options.User);
        var client = new WebSocketTestClient(this, connection, pathAndQuery);
        var config = ClientEndpointConfig.CreateBuilder()
            .WithHttpMessageHandler(handler)
            .WithSubprotocols(options.Subprotocols)
            .WithEncoders(options.Encoders);
        if (options.Headers.Count > 0)
        {
            config.WithConfigurator(new HeaderConfigurator([.. options.Headers]));
        }

        if (options.PerMessageDeflate is { } deflate)
        {
            config.WithPerMessageDeflate(deflate);
        }

        try
        {
            await _container.ConnectToServerAsync(new TestClientEndpoint(client), config.Build(), new Uri(_baseUri, pathAndQuery.TrimStart('/')), cancellationToken).ConfigureAwait(false);
        }
        catch (DeploymentException ex) when (((IHandshakeObserver)handler).Answer is { } answer)
        {
            handler.Dispose();
            if (answer.StatusCode == 101)
            {
                // The server upgraded but the client objected to its answer (a subprotocol it did not offer…).
                connection.Abort();
                return new WebSocketConnectResult(101, answer.Headers, answer.Body, null, ex.Message);
            }

            var failure = answer.StatusCode == 404
                ? $"No endpoint matches '{pathAndQuery}' (404). The WebSocket endpoints mapped are: {string.Join(", ", EndpointTemplates.DefaultIfEmpty("(none)"))}."
                : $"The server refused the handshake to '{pathAndQuery}' with {answer.StatusCode}{(answer.Body.Length > 0 ? $": {answer.Body}" : ".")}";
            return new WebSocketConnectResult(answer.StatusCode, answer.Headers, answer.Body, null, failure);
        }
        catch
        {
            handler.Dispose();
            throw;
        }

        lock (_lock)
        {
            _clients.Add((connection, client));
        }

        // The server's OnOpen runs after the 101: once quiescent, it has (a room joined, a greeting delivered).
        await WaitForQuiescenceAsync().ConfigureAwait(false);
        return new WebSocketConnectResult(101, ((IHandshakeObserver)handler).Answer?.Headers ?? new Dictionary<string, IReadOnlyList<string>>(), string.Empty, client, null);
    }

    /// <summary>Connects a test client to <paramref name="pathAndQuery"/>; a refused handshake throws (use <see cref="TryConnectAsync"/> to assert on it).</summary>
    /// <param name="pathAndQuery">The path and query, relative to the application's root.</param>
    /// <param name="configure">Subprotocols, headers, user and extensions of the handshake, or null.</param>
    /// <param name="cancellationToken">Cancels the handshake.</param>
    /// <returns>The connected client.</returns>
    /// <exception cref="WebSocketExpectationException">The handshake was refused (the message has the status code, and for a 404 the mapped templates).</exception>
    public async Task<WebSocketTestClient> ConnectAsync(string pathAndQuery, Action<WebSocketConnectOptions>? configure = null, CancellationToken cancellationToken = default)
    {
        var result = await TryConnectAsync(pathAndQuery, configure, cancellationToken).ConfigureAwait(false);
        return result.Client ?? throw new WebSocketExpectationException(
            $"{result.Failure} To assert on a refusal, use TryConnectAsync, whose result has the status code.", new Transcript());
    }

    /// <summary>
    /// Advances virtual time by <paramref name="by"/>: every timer due meanwhile runs at its own time, in order, and the
    /// host waits until it is quiescent after each (so the work a timeout sets off, and the timers that work arms, run
    /// before time moves on); then the clock is set to the end and the host waits once more.
    /// </summary>
    /// <param name="by">How much virtual time passes.</param>
    /// <returns>A task that completes when the host is quiescent at the new time.</returns>
    /// <exception cref="InvalidOperationException">The host uses the system clock.</exception>
    public async Task AdvanceAsync(TimeSpan by)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(by, TimeSpan.Zero);
        var clock = Clock ?? throw new InvalidOperationException(
            "This test host uses the system clock, so time cannot be advanced. Leave WebSocketTestHostOptions.UseVirtualTime on (the default) to get a virtual clock.");
        await WaitForQuiescenceAsync().ConfigureAwait(false);
        var target = clock.GetTimestamp() + by.Ticks;
        while (clock.TryFireNext(target))
        {
            await WaitForQuiescenceAsync().ConfigureAwait(false);
        }

        clock.MoveTo(target);
        await WaitForQuiescenceAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// Waits until the host is quiescent: every message sent so far handled, every reply and close delivered, no send
    /// queued in the server. Completes at once when it already is; waits only for work in hand, never for a fixed time.
    /// </summary>
    /// <returns>A task that completes when the host is quiescent.</returns>
    /// <exception cref="TimeoutException">
    /// Still busy after <see cref="WebSocketTestHostOptions.QuiescenceTimeout"/> (real time): a handler that does not
    /// return, or that waits for virtual time (which passes only once the host is quiescent). The message says which
    /// connection is busy.
    /// </exception>
    public async Task WaitForQuiescenceAsync()
    {
        var deadline = DateTime.UtcNow + _options.QuiescenceTimeout;
        while (true)
        {
            if (Clock is { } clock && DateTime.UtcNow <= deadline && clock.TryFireNext(clock.GetTimestamp()))
            {
                continue;   // a timer due now (armed at the current virtual time) runs before anything is called quiescent
            }

            var version = _signal.Version;
            var change = _signal.NextChange;
            var transportIdle = TransportIdle();
            var sending = _activity?.HasPendingSends == true;
            if (transportIdle && !sending && version == _signal.Version)
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException(
                    $"The test host is still busy after {_options.QuiescenceTimeout} (real time): {DescribeBusy(sending)}. "
                    + "A handler that does not return, or that waits for virtual time, keeps it busy: virtual time passes only in AdvanceAsync, once the host is quiescent.");
            }

            // The transport signals every change; the server's send queues signal nothing, so they are polled briefly.
            await Task.WhenAny(change, Task.Delay(transportIdle ? 1 : 100)).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Stops the application as a host shutdown does (its sessions are closed with 1001), and waits until the clients
    /// have seen it (virtual time passes as the shutdown's drain needs).
    /// </summary>
    /// <returns>A task that completes when the application has stopped.</returns>
    public async Task StopAsync()
    {
        await WhileTimePassesAsync(_stop()).ConfigureAwait(false);
        await WaitForQuiescenceAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// Closes the clients a test left open (1000), reports them (<see cref="WebSocketTestHostOptions.Log"/>, or an
    /// exception when <see cref="WebSocketTestHostOptions.RequireClosedClients"/> is set), then stops the application.
    /// </summary>
    /// <returns>A task that completes when the host is disposed.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        var leftOpen = Clients.Where(static client => !client.IsClosed).ToArray();
        string? report = null;
        try
        {
            if (leftOpen.Length > 0)
            {
                report = $"{leftOpen.Length} test client{(leftOpen.Length == 1 ? " was" : "s were")} left open and closed by the host: {string.Join(", ", leftOpen.Select(static client => client.Path))}.";
                _options.Log?.Invoke(report);
                foreach (var client in leftOpen)
                {
                    await WhileTimePassesAsync(client.DisposeAsync().AsTask()).ConfigureAwait(false);
                }

                await WaitForQuiescenceAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            await _container.DisposeAsync().ConfigureAwait(false);
            await _dispose().ConfigureAwait(false);
        }

        if (report is not null && _options.RequireClosedClients)
        {
            throw new InvalidOperationException(report + " Close each client (CloseAsync, then ExpectCloseAsync) before the test ends.");
        }
    }

    // Waits for work that may need virtual time (a stop's drain; the close of a client whose server reads nothing, such
    // as a session waiting for a rate-limit token): each time the host is quiescent and the work is not done, the next
    // due timer fires, up to an hour of virtual time. Bounded in real time, so it fails rather than hangs.
    private async Task WhileTimePassesAsync(Task work)
    {
        await WaitForQuiescenceAsync().ConfigureAwait(false);
        if (Clock is { } clock)
        {
            var limit = clock.GetTimestamp() + TimeSpan.FromHours(1).Ticks;
            while (!work.IsCompleted && clock.TryFireNext(limit))
            {
                await WaitForQuiescenceAsync().ConfigureAwait(false);
            }
        }

        await work.WaitAsync(_options.QuiescenceTimeout).ConfigureAwait(false);
    }

    /// <summary>Connections in memory through <paramref name="server"/>'s pipeline.</summary>
    internal static Func<ClaimsPrincipal?, (ITestConnection Connection, HttpMessageHandler Handler)> InMemory(TestServer server, ActivitySignal signal) =>
        user =>
        {
            var connection = new InMemoryConnection(signal);
            return (connection, new InMemoryHandshakeHandler(server, connection, user));
        };

    // Idle when every connection is, except that as many connections as there are sessions waiting for a rate-limit
    // token may have input the server has not read: that wait ends only when time passes.
    private bool TransportIdle()
    {
        var waiting = -1;
        lock (_lock)
        {
            foreach (var (connection, _) in _clients)
            {
                if (connection.IsIdle)
                {
                    continue;
                }

                if (!connection.OnlyServerBusy)
                {
                    return false;
                }

                if (waiting < 0)
                {
                    waiting = _activity?.RateLimitWaitingSessionCount ?? 0;
                }

                if (waiting-- == 0)
                {
                    return false;
                }
            }
        }

        return true;
    }

    private string DescribeBusy(bool sending)
    {
        var busy = new List<string>();
        lock (_lock)
        {
            foreach (var (connection, client) in _clients)
            {
                if (!connection.IsIdle)
                {
                    busy.Add($"{client.Path}: {connection.Describe()}");
                }
            }
        }

        if (sending)
        {
            busy.Add("a server session has sends queued");
        }

        return busy.Count == 0 ? "nothing visible (it became quiescent just now)" : string.Join("; ", busy);
    }
}
