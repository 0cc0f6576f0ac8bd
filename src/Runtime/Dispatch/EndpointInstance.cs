namespace Annotated.WebSockets.Dispatch;

/// <summary>What both containers do with an endpoint instance they made, once its session is over.</summary>
internal static class EndpointInstance
{
    /// <summary>
    /// Disposes <paramref name="instance"/> when it is <see cref="IAsyncDisposable"/> or <see cref="IDisposable"/>
    /// (the asynchronous form first); returns its failure instead of throwing, for the container to log.
    /// </summary>
    public static async ValueTask<Exception?> TryDisposeAsync(object? instance)
    {
        try
        {
            switch (instance)
            {
                case IAsyncDisposable asyncDisposable:
                    await asyncDisposable.DisposeAsync().ConfigureAwait(false);
                    break;
                case IDisposable disposable:
                    disposable.Dispose();
                    break;
            }

            return null;
        }
        catch (Exception ex)
        {
            return ex;
        }
    }
}
