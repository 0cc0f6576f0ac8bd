using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace Annotated.WebSockets.Server;

/// <summary>
/// Counts open connections, over all endpoints and per endpoint, against
/// <see cref="AnnotatedWebSocketsOptions.MaxConcurrentConnections"/> and
/// <see cref="AnnotatedWebSocketsOptions.MaxConcurrentConnectionsPerEndpoint"/>. A connection is admitted
/// before its upgrade and released when it ends, so the counts never lag behind the sessions.
/// </summary>
internal sealed class ConnectionAdmission(int maxTotal, int maxPerEndpoint)
{
    private readonly ConcurrentDictionary<(Type EndpointType, string Path), StrongBox<int>> _perEndpoint = new();
    private int _total;

    /// <summary>Connections admitted and not yet ended.</summary>
    public int Active => Volatile.Read(ref _total);

    /// <summary>The most connections admitted at once (<c>MaxConcurrentConnections</c>); zero or less for no limit.</summary>
    public int Limit => maxTotal;

    /// <summary>Admits a connection, or returns false when a limit is reached (nothing is then counted).</summary>
    /// <param name="endpointType">The endpoint class.</param>
    /// <param name="path">The path it is deployed at (with the class, what identifies a logical endpoint).</param>
    /// <param name="admitted">The endpoint's counter, to hand back to <see cref="Release"/>.</param>
    public bool TryAdmit(Type endpointType, string path, out StrongBox<int> admitted)
    {
        admitted = _perEndpoint.GetOrAdd((endpointType, path), static _ => new StrongBox<int>());
        if (!TryIncrement(ref _total, maxTotal))
        {
            return false;
        }

        if (!TryIncrement(ref admitted.Value, maxPerEndpoint))
        {
            Interlocked.Decrement(ref _total);
            return false;
        }

        return true;
    }

    public void Release(StrongBox<int> admitted)
    {
        Interlocked.Decrement(ref admitted.Value);
        Interlocked.Decrement(ref _total);
    }

    // Increments unless that would pass a positive limit; a lock-free check-and-add.
    private static bool TryIncrement(ref int count, int limit)
    {
        while (true)
        {
            int current = Volatile.Read(ref count);
            if (limit > 0 && current >= limit)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref count, current + 1, current) == current)
            {
                return true;
            }
        }
    }
}
