using System.Diagnostics;
using Annotated.WebSockets.Diagnostics;
using Annotated.WebSockets.Dispatch;
using Annotated.WebSockets.Protocol;
using Annotated.WebSockets.Sessions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Features.Authentication;
using Microsoft.Extensions.Logging;

namespace Annotated.WebSockets.Server;

/// <summary>
/// The server's upgrade role: the opening handshake of one request (validation, header limits, origin, admission),
/// the negotiation (subprotocol, permessage-deflate, the configurator's ModifyHandshake) and the 101 (or the HTTP/2
/// 200); then the admitted connection starts its session (<see cref="ServerConnection.Start"/>).
/// </summary>
internal sealed partial class ServerUpgrade
{
    private readonly ServerContainer _container;
    private readonly AnnotatedWebSocketsOptions _options;
    private readonly WebSocketSessionOptions _sessionOptions;
    private readonly ConnectionAdmission _admission;
    private readonly ILogger _logger;
    private readonly TimeProvider _clock;
    private readonly PerMessageDeflateOptions? _deflateOptions;
    private readonly WebSocketEngineOptions _engineOptions;

    public ServerUpgrade(ServerContainer container, AnnotatedWebSocketsOptions options, WebSocketSessionOptions sessionOptions, ConnectionAdmission admission, ILogger logger, TimeProvider clock)
    {
        _container = container;
        _options = options;
        _sessionOptions = sessionOptions;
        _admission = admission;
        _logger = logger;
        _clock = clock;
        var deflate = options.PerMessageDeflate;
        _deflateOptions = deflate.Enabled
            ? new PerMessageDeflateOptions
            {
                Enabled = true,
                ServerNoContextTakeover = deflate.ServerNoContextTakeover,
                ClientNoContextTakeover = deflate.ClientNoContextTakeover,
                ClientMaxWindowBits = deflate.ClientMaxWindowBits,
            }
            : null;
        _engineOptions = CreateEngineOptions(null, null, writesReachPeer: true);
    }

    // Not async, nor is anything it calls until the session runs: the task returned is the connection's own
    // (ServerConnection), so no awaiting method stays pending for the life of an idle connection. Only an upgrade
    // that does not complete at once (the 101 waits for the transport) takes the async path.
    public Task AcceptAsync(
        HttpContext context,
        ServerEndpointConfig config,
        AnnotatedEndpointDefinition definition,
        IReadOnlyDictionary<string, string> pathParameters)
    {
        ServerConnection? connection = null;
        var started = _clock.GetTimestamp();
        try
        {
            if (!ServerHandshake.TryValidate(context, out var kind, out var key, out var failure))
            {
                Log.HandshakeRejected(_logger, context.Request.Path, failure);
                ServerHandshake.WriteFailure(context, failure);
                Refused(context, config, started, "invalid_handshake");
                return Task.CompletedTask;
            }

            // Checked before anything reads the headers further: they would be kept for the whole session.
            if (!ServerHandshake.HeadersWithin(context.Request, _options.MaxHandshakeHeaderBytes))
            {
                Log.HandshakeRejected(_logger, context.Request.Path, HandshakeFailure.HeadersTooLarge);
                ServerHandshake.WriteFailure(context, HandshakeFailure.HeadersTooLarge);
                Refused(context, config, started, "handshake_headers_too_large");
                return Task.CompletedTask;
            }

            // WSC-8.3-2: a CONFIDENTIAL endpoint takes wss only. (UseHttpsRedirection, where the application has it,
            // redirects a plain request before it is routed here.)
            if (config.RequireSecureConnection && !context.Request.IsHttps)
            {
                Log.InsecureHandshakeRejected(_logger, context.Request.Path);
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                Refused(context, config, started, "secure_connection_required");
                return Task.CompletedTask;
            }

            var request = context.Request;
            var configurator = config.Configurator;
            var origin = request.Headers.Origin;
            var originValue = origin.Count > 0 ? origin[0] : null;
            var allowedOrigins = _options.EndpointAllowedOrigins.TryGetValue(config.Path, out var perEndpoint) ? perEndpoint : _options.AllowedOrigins;
            if (!OriginPolicy.Allows(context, originValue, allowedOrigins) || !configurator.CheckOrigin(originValue))
            {
                Log.OriginRejected(_logger, context.Request.Path, origin.ToString());
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                Refused(context, config, started, "origin_not_allowed");
                return Task.CompletedTask;
            }

            // Admission is counted before the upgrade, so a full server answers with an HTTP status, not a close.
            if (!_admission.TryAdmit(config.EndpointType, config.Path, out var admitted))
            {
                Log.ConnectionLimitReached(_logger, context.Request.Path);
                context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                Refused(context, config, started, _container.Sessions.IsStopping ? "shutting_down" : "connection_limit");
                return Task.CompletedTask;
            }

            // From here the connection holds the admission; ending it releases everything it holds.
            connection = new ServerConnection(_container, admitted);
            return AcceptAdmitted(context, config, definition, pathParameters, kind, key, connection, started);
        }
        catch (Exception ex)
        {
            // As from an async method: a failure reaches the caller as a faulted task.
            return connection is null ? Task.FromException(ex) : connection.EndFaultedAsync(ex);
        }
    }

    private Task AcceptAdmitted(
        HttpContext context,
        ServerEndpointConfig config,
        AnnotatedEndpointDefinition definition,
        IReadOnlyDictionary<string, string> pathParameters,
        HandshakeKind kind,
        string? key,
        ServerConnection connection,
        long started)
    {
        var request = context.Request;
        var configurator = config.Configurator;
        // Read-only: the configurator must not be able to add its choice to what the client offered.
        var requested = ServerHandshake.SplitList(request.Headers.SecWebSocketProtocol).AsReadOnly();
        var subprotocol = configurator.GetNegotiatedSubprotocol(config.Subprotocols, requested) ?? string.Empty;
        if (subprotocol.Length > 0 && !requested.Contains(subprotocol, StringComparer.Ordinal))
        {
            // RFC 6455 §4.2.2: the server may only select one of the client's values; anything else fails the client.
            Log.SubprotocolNotRequested(_logger, subprotocol);
            subprotocol = string.Empty;
        }

        var deflateOptions = DeflateOptionsFor(config);
        var (deflate, extensionsHeader, negotiatedExtensions) = NegotiateExtensions(config, deflateOptions, request.Headers.SecWebSocketExtensions);

        var connectionConfig = config.ForConnection();
        var info = CreateConnectionInfo(context, pathParameters, subprotocol, negotiatedExtensions, Activity.Current?.Context ?? default, _options.CloseOnAuthenticationExpiration);
        var handshakeResponse = new ServerHandshakeResponse();
        try
        {
            configurator.ModifyHandshake(connectionConfig, new HandshakeRequest(context, info, info.BuildRequestParameters()), handshakeResponse);
        }
        catch (Exception ex)
        {
            Log.ModifyHandshakeFailed(_logger, config.EndpointType.FullName, ex);
            context.Response.StatusCode = StatusCodes.Status500InternalServerError;
            Refused(context, config, started, "configurator_failed");
            return connection.SessionEndedAsync();
        }

        var headers = context.Response.Headers;
        foreach (var (name, values) in handshakeResponse.Headers)
        {
            if (!IsProtocolHeader(name) && values is not null)
            {
                headers.Append(name, values.ToArray());
            }
        }

        if (subprotocol.Length > 0)
        {
            headers.SecWebSocketProtocol = subprotocol;
        }

        if (extensionsHeader is not null)
        {
            headers.SecWebSocketExtensions = extensionsHeader;
        }

        ValueTask<Stream> upgrade;
        if (kind == HandshakeKind.Upgrade)
        {
            headers.Upgrade = "websocket";
            headers.SecWebSocketAccept = WebSocketHandshake.ComputeAcceptKey(key!);
            // Sets 101 and Connection: Upgrade, flushes the response and hands over the connection.
            upgrade = new ValueTask<Stream>(context.Features.GetRequiredFeature<IHttpUpgradeFeature>().UpgradeAsync());
        }
        else
        {
            // The request body is the WebSocket's incoming stream, so no body size limit applies to it.
            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodySize)
            {
                bodySize.MaxRequestBodySize = null;
            }

            // Responds 200 and gives the stream of the HTTP/2 stream.
            upgrade = context.Features.GetRequiredFeature<IHttpExtendedConnectFeature>().AcceptAsync();
        }

        Accepted(context, config, started, kind == HandshakeKind.Upgrade ? StatusCodes.Status101SwitchingProtocols : StatusCodes.Status200OK, subprotocol, extensionsHeader);
        var engineOptions = EngineOptionsFor(deflate, deflateOptions, writesReachPeer: HttpProtocol.IsHttp11(request.Protocol));
        var start = new ConnectionStart(context, config, definition, connectionConfig, info, engineOptions);
        return upgrade.IsCompletedSuccessfully
            ? connection.Start(start, upgrade.Result)
            : StartAfterUpgradeAsync(start, upgrade, connection);
    }

    private async Task StartAfterUpgradeAsync(ConnectionStart start, ValueTask<Stream> upgrade, ServerConnection connection)
    {
        Stream transport;
        try
        {
            transport = await upgrade.ConfigureAwait(false);
        }
        catch
        {
            await connection.SessionEndedAsync().ConfigureAwait(false);
            throw;
        }

        await connection.Start(start, transport).ConfigureAwait(false);
    }

    // A refused handshake: counted by status and reason (a closed list), and timed.
    private void Refused(HttpContext context, ServerEndpointConfig config, long started, string errorType)
    {
        var instruments = _container.Instruments;
        if (!instruments.RejectedConnections!.Enabled && !instruments.HandshakeDuration!.Enabled)
        {
            return;
        }

        var tags = new TagList
        {
            { TelemetryTags.Route, config.Path },
            { TelemetryTags.StatusCode, context.Response.StatusCode },
            { TelemetryTags.ErrorType, errorType },
        };
        instruments.RejectedConnections.Add(1, tags);
        instruments.HandshakeDuration!.Record(_clock.GetElapsedTime(started).TotalSeconds, tags);
    }

    // An accepted handshake: timed; the request's own span (ASP.NET Core's, as long as the socket) gets the endpoint,
    // subprotocol and extensions; and the request leaves the hosting metric, whose duration would be the socket's life.
    private void Accepted(HttpContext context, ServerEndpointConfig config, long started, int status, string subprotocol, string? extensions)
    {
        var instruments = _container.Instruments;
        if (instruments.HandshakeDuration!.Enabled)
        {
            instruments.HandshakeDuration.Record(
                _clock.GetElapsedTime(started).TotalSeconds,
                new TagList { { TelemetryTags.Route, config.Path }, { TelemetryTags.StatusCode, status } });
        }

        if (Activity.Current is { IsAllDataRequested: true } request)
        {
            request.SetTag(TelemetryTags.Route, config.Path);
            request.SetTag(TelemetryTags.Subprotocol, subprotocol.Length > 0 ? subprotocol : null);
            request.SetTag(TelemetryTags.Extensions, extensions);
            request.AddEvent(new ActivityEvent("websocket.upgraded"));
        }

        if (context.Features.Get<IHttpMetricsTagsFeature>() is { } hostingMetrics)
        {
#if NET9_0_OR_GREATER
            hostingMetrics.MetricsDisabled = !_options.Telemetry.KeepUpgradesInHostingMetrics;
#else
            // net8.0 cannot take a request out of the hosting metric: it is tagged so that dashboards can filter it.
            hostingMetrics.Tags.Add(new("annotated_websockets.upgraded", true));
#endif
        }
    }

    // Options for the engine: the same object for every HTTP/1.1 connection without permessage-deflate (they do not
    // differ). Kestrel's HTTP/1.1 upgraded stream sends every write; its HTTP/2 stream is flushed after each.
    private WebSocketEngineOptions EngineOptionsFor(PerMessageDeflateParameters? deflate, PerMessageDeflateOptions? deflateOptions, bool writesReachPeer) =>
        deflate is null && writesReachPeer ? _engineOptions : CreateEngineOptions(deflate, deflateOptions, writesReachPeer);

    private WebSocketEngineOptions CreateEngineOptions(PerMessageDeflateParameters? deflate, PerMessageDeflateOptions? deflateOptions, bool writesReachPeer) =>
        _sessionOptions.ToEngineOptions(WebSocketRole.Server, writesReachPeer, _clock, deflate, deflateOptions);

    private PerMessageDeflateOptions? DeflateOptionsFor(ServerEndpointConfig config)
    {
        var settings = config.PerMessageDeflate
            ?? config.ExtensionDeflate
            ?? (_options.EndpointPerMessageDeflate.TryGetValue(config.Path, out var perPath) ? perPath : null);
        if (settings is null)
        {
            return _deflateOptions;
        }

        return settings.Enabled
            ? new PerMessageDeflateOptions
            {
                Enabled = true,
                ServerNoContextTakeover = settings.ServerNoContextTakeover,
                ClientNoContextTakeover = settings.ClientNoContextTakeover,
                ClientMaxWindowBits = settings.ClientMaxWindowBits,
            }
            : null;
    }

    private static (PerMessageDeflateParameters? Deflate, string? Header, IReadOnlyList<Extension> Negotiated) NegotiateExtensions(
        ServerEndpointConfig config,
        PerMessageDeflateOptions? deflateOptions,
        Microsoft.Extensions.Primitives.StringValues offers)
    {
        // Both read-only: what the configurator is given is what the container then reads.
        var requested = ExtensionHeader.Parse(offers).AsReadOnly();
        var installed = ConfiguredExtensions.Installed(config.Extensions, deflateEnabled: deflateOptions is not null);
        var chosen = config.Configurator.GetNegotiatedExtensions(installed, requested) ?? [];
        if (deflateOptions is null)
        {
            return (null, null, []);
        }

        var deflateOffers = new List<string>();
        foreach (var extension in chosen)
        {
            if (string.Equals(extension.Name, ExtensionHeader.PerMessageDeflate, StringComparison.OrdinalIgnoreCase))
            {
                deflateOffers.Add(extension.ToString());
            }
        }

        if (deflateOffers.Count > 0
            && PerMessageDeflateNegotiator.TryNegotiate(deflateOffers, deflateOptions, out var deflate, out var header))
        {
            return (deflate, header, [Extension.Parse(header)]);
        }

        return (null, null, []);
    }

    private static bool IsProtocolHeader(string name) =>
        name.Equals("Upgrade", StringComparison.OrdinalIgnoreCase)
        || name.Equals("Connection", StringComparison.OrdinalIgnoreCase)
        || name.Equals(ServerHandshakeResponse.SecWebSocketAccept, StringComparison.OrdinalIgnoreCase)
        || name.Equals(HandshakeRequest.SecWebSocketProtocol, StringComparison.OrdinalIgnoreCase)
        || name.Equals(HandshakeRequest.SecWebSocketExtensions, StringComparison.OrdinalIgnoreCase);

    private static ServerConnectionInfo CreateConnectionInfo(HttpContext context, IReadOnlyDictionary<string, string> pathParameters, string subprotocol, IReadOnlyList<Extension> extensions, ActivityContext upgradeContext, bool closeOnAuthenticationExpiration)
    {
        var request = context.Request;
        // The list lives as long as the session; most WebSocket requests have no query, so share the empty one.
        IReadOnlyList<KeyValuePair<string, IReadOnlyList<string>>> query = [];
        // QueryString first: reading Request.Query makes a query feature that the connection then keeps.
        if (request.QueryString.HasValue && request.Query.Count > 0)
        {
            var parameters = new List<KeyValuePair<string, IReadOnlyList<string>>>(request.Query.Count);
            foreach (var (name, values) in request.Query)
            {
                // Read-only: the lists reach user code (HandshakeRequest.ParameterMap, the session's RequestParameters).
                parameters.Add(new(name, values.Where(static v => v is not null).Select(static v => v!).ToArray().AsReadOnly()));
            }

            query = parameters;
        }

        // Through the feature: reading HttpContext.User without authentication makes an empty principal per connection.
        var user = context.Features.Get<IHttpAuthenticationFeature>()?.User;
        return new ServerConnectionInfo
        {
            // The URI is built from these on first read (ServerConnectionInfo.BuildRequestUri).
            UpgradeContext = upgradeContext,
            Host = request.Host,
            PathBase = request.PathBase,
            Path = request.Path,
            Query = request.QueryString,
            QueryString = request.QueryString.HasValue && request.QueryString.Value!.Length > 1 ? request.QueryString.Value[1..] : null,
            IsSecure = request.IsHttps,
            User = user?.Identity?.IsAuthenticated == true ? user : null,
            // As SignalR reads it: the ticket's expiry from the authentication (or authorization) middleware's result.
            AuthenticationExpiresAt = closeOnAuthenticationExpiration
                ? context.Features.Get<Microsoft.AspNetCore.Authentication.IAuthenticateResultFeature>()?.AuthenticateResult?.Properties?.ExpiresUtc
                : null,
            PathParameters = pathParameters,
            QueryParameters = query,
            NegotiatedSubprotocol = subprotocol,
            NegotiatedExtensions = extensions,
        };
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = LogEvents.ConnectionLimitReached, Level = LogLevel.Warning, Message = "WebSocket upgrade to {Path} refused with 503: the connection limit is reached.")]
        public static partial void ConnectionLimitReached(ILogger logger, PathString path);

        [LoggerMessage(EventId = LogEvents.HandshakeRejected, Level = LogLevel.Debug, Message = "Request to WebSocket endpoint {Path} is not a valid handshake: {Failure}.")]
        public static partial void HandshakeRejected(ILogger logger, PathString path, HandshakeFailure failure);

        [LoggerMessage(EventId = LogEvents.OriginRejected, Level = LogLevel.Information, Message = "WebSocket handshake to {Path} refused: origin '{Origin}' failed the configurator's check.")]
        public static partial void OriginRejected(ILogger logger, PathString path, string origin);

        [LoggerMessage(EventId = LogEvents.ModifyHandshakeFailed, Level = LogLevel.Error, Message = "The configurator's ModifyHandshake for WebSocket endpoint {EndpointType} threw; the handshake was refused with 500.")]
        public static partial void ModifyHandshakeFailed(ILogger logger, string? endpointType, Exception exception);

        [LoggerMessage(EventId = LogEvents.InsecureHandshakeRejected, Level = LogLevel.Information, Message = "WebSocket handshake to {Path} refused with 403: the endpoint requires a secure connection (wss).")]
        public static partial void InsecureHandshakeRejected(ILogger logger, PathString path);

        [LoggerMessage(EventId = LogEvents.SubprotocolNotRequested, Level = LogLevel.Warning, Message = "The configurator chose subprotocol '{Subprotocol}', which the client did not request; none is selected.")]
        public static partial void SubprotocolNotRequested(ILogger logger, string subprotocol);
    }
}
