namespace Annotated.WebSockets.Diagnostics;

/// <summary>
/// Every event id the runtime logs with, in one table so that no id is used twice: 1–99 sessions
/// (<see cref="LoggerCategories.Sessions"/>), 100–199 the server (<see cref="LoggerCategories.Server"/>), 200–299 the
/// client (<see cref="LoggerCategories.Client"/>). An id is never reused or renumbered once released.
/// </summary>
internal static class LogEvents
{
    // Sessions (1–99)
    public const int SessionOpened = 1;
    public const int SessionClosed = 2;
    public const int UnhandledEndpointError = 3;
    public const int ErrorHandlerFailed = 4;
    public const int TransportFailed = 5;
    public const int ReceiveLoopFailed = 6;
    public const int IdleTimeout = 7;
    public const int DestroyCodersFailed = 8;
    public const int HeartbeatHandlerFailed = 9;
    public const int AuthenticationExpired = 10;
    public const int SendQueueStalled = 40;
    public const int MessageRateLimited = 50;
    public const int MessageRateLimitClose = 51;

    // Server (100–199)
    public const int HandshakeRejected = 101;
    public const int OriginRejected = 102;
    public const int EndpointCreationFailed = 103;
    public const int EndpointDisposeFailed = 104;
    public const int EngineDisposeFailed = 105;
    public const int ScopeDisposeFailed = 106;
    public const int SubprotocolNotRequested = 107;
    public const int ModifyHandshakeFailed = 108;
    public const int InsecureHandshakeRejected = 110;
    // Was 201 until the foundation issue: it collided with the client's ConnectFailed.
    public const int DeploymentFailed = 109;
    public const int ConnectionLimitReached = 120;
    public const int DrainTimedOut = 130;
    public const int SessionAbandoned = 131;
    public const int CloseHandlersTimedOut = 132;

    // Client (200–299)
    public const int ConnectFailed = 201;
    public const int TeardownFailed = 202;
    public const int ClientEndpointDisposeFailed = 203;
    public const int DisposeTimedOut = 204;
}
