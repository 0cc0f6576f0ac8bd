namespace Annotated.WebSockets.Interop.Tests.Infrastructure;

/// <summary>
/// Shares one running sample among the tests of a class or collection. The sample starts on first use, so
/// tests skipped for a missing peer start nothing; it is killed (with its process tree) at the end.
/// </summary>
public abstract class SampleServerFixture : IAsyncLifetime
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly string _assemblyName;
    private SampleServer? _server;
    private Exception? _startFailure;

    private protected SampleServerFixture(string assemblyName) => _assemblyName = assemblyName;

    internal async Task<SampleServer> GetServerAsync()
    {
        await _gate.WaitAsync();
        try
        {
            if (_startFailure is not null)
            {
                throw new InvalidOperationException($"The sample {_assemblyName} failed to start.", _startFailure);
            }

            if (_server is null)
            {
                try
                {
                    _server = await SampleServer.StartAsync(_assemblyName);
                }
                catch (Exception exception)
                {
                    _startFailure = exception;
                    throw;
                }
            }

            return _server;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    public Task InitializeAsync() => Task.CompletedTask;

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        _gate.Dispose();
    }
}
