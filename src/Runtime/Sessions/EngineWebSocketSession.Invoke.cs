using System.Runtime.CompilerServices;
using Annotated.WebSockets.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Annotated.WebSockets.Sessions;

// The one path into user code. Every call the session makes into the endpoint (open, each kind of message, pong,
// error, close, and the coders' init and destroy), through the generated dispatcher or a registered message handler,
// goes through CallEndpointAsync, and a failure of any of them through RouteErrorAsync: telemetry and filters hang
// here, once. The one error-routing rule: an exception from user code (thrown, or as a faulted task) goes to the
// endpoint's OnError unwrapped while the session is alive, as Jakarta WebSocket §5.2.2 requires, and to the log when
// the endpoint has no OnError for it; a failure of OnError itself, or of the coders' destroy after the session is
// over, is only logged (never routed again).
internal sealed partial class EngineWebSocketSession
{
    /// <summary>Calls user code and routes its failure; never throws.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask InvokeAsync<TState>(EndpointCall call, Func<EngineWebSocketSession, TState, ValueTask> body, TState state)
    {
        try
        {
            await CallEndpointAsync(call, body, state).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            await RouteErrorAsync(call, ex).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Calls user code; its exception reaches the caller (a streamed handler runs on a task of its own and hands its
    /// failure to <see cref="RouteErrorAsync"/> when the message ends).
    /// </summary>
    private ValueTask CallEndpointAsync<TState>(EndpointCall call, Func<EngineWebSocketSession, TState, ValueTask> body, TState state) =>
        _telemetry is { } telemetry && telemetry.Observes(call) ? CallObservedAsync(telemetry, call, body, state) : body(this, state);

    // One span and one duration per call, while someone listens.
    private async ValueTask CallObservedAsync<TState>(SessionTelemetry telemetry, EndpointCall call, Func<EngineWebSocketSession, TState, ValueTask> body, TState state)
    {
        var measured = telemetry.StartCall(call, Id);
        try
        {
            await body(this, state).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            measured.End(ex);
            throw;
        }

        measured.End(null);
    }

    /// <summary>Applies the one error-routing rule to a failure of user code.</summary>
    private ValueTask RouteErrorAsync(EndpointCall call, Exception error)
    {
        switch (call)
        {
            case EndpointCall.DestroyCoders:
                // The session is over: OnError would see a closed session.
                Log.DestroyCodersFailed(_context.Logger, Id, error);
                return default;
            default:
                return HandleErrorAsync(error);
        }
    }

    /// <summary>Gives <paramref name="error"/> to OnError when the endpoint has one that takes it; logs it otherwise.</summary>
    private ValueTask HandleErrorAsync(Exception error)
    {
        if (!_dispatcher.HandlesError(error))
        {
            Log.UnhandledEndpointError(_context.Logger, Id, error);
            return default;
        }

        return HandleErrorCoreAsync(error);
    }

    private async ValueTask HandleErrorCoreAsync(Exception error)
    {
        try
        {
            await CallEndpointAsync(EndpointCall.Error, static (session, e) => session._dispatcher.OnErrorAsync(session, e), error).ConfigureAwait(false);
        }
        catch (Exception handlerError)
        {
            // OnError failed too: record both, never recurse.
            Log.ErrorHandlerFailed(_context.Logger, Id, error.GetType().Name, error.Message, handlerError);
        }
    }

    private ValueTask InitializeCodersAsync() =>
        InvokeAsync(
            EndpointCall.InitializeCoders,
            static (session, config) =>
            {
                session._dispatcher.InitializeCoders(config);
                return default;
            },
            _config);

    private ValueTask DestroyCodersAsync() =>
        InvokeAsync(
            EndpointCall.DestroyCoders,
            static (session, _) =>
            {
                session._dispatcher.DestroyCoders();
                return default;
            },
            0);
}
