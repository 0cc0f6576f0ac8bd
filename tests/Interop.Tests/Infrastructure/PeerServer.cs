using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Annotated.WebSockets.Tests.Shared;

namespace Annotated.WebSockets.Interop.Tests.Infrastructure;

/// <summary>
/// A peer's echo server (peers/ws-server.mjs or peers/websockets_server.py) as a child process, for testing a
/// WebSocket client against it: it listens on a free loopback port, echoes messages, answers pings, echoes the
/// close code, negotiates permessage-deflate and selects the first supported subprotocol. Disposing kills the
/// process tree; should this process die first, the peer sees its standard input close and exits by itself.
/// </summary>
internal sealed class PeerServer : IAsyncDisposable
{
    private static readonly TimeSpan s_startTimeout = TimeSpan.FromSeconds(15);

    private readonly Process _process;
    private readonly StringBuilder _errors = new();

    private PeerServer(Process process, int port)
    {
        _process = process;
        Port = port;
        _process.ErrorDataReceived += (_, e) =>
        {
            lock (_errors)
            {
                _errors.AppendLine(e.Data);
            }
        };
        _process.BeginErrorReadLine();
    }

    public int Port { get; }

    /// <summary>The server's echo address (the scripts serve /echo).</summary>
    public Uri EchoUri => new($"ws://127.0.0.1:{Port}/echo");

    /// <summary>What the peer wrote to standard error, for failure messages.</summary>
    public string Errors
    {
        get
        {
            lock (_errors)
            {
                return _errors.ToString();
            }
        }
    }

    /// <summary>Starts the peer's server with the given subprotocols and deflate setting, and waits until it listens.</summary>
    public static async Task<PeerServer> StartAsync(PeerKind peer, IReadOnlyList<string> protocols, bool deflate)
    {
        Peers.Require(peer);
        var (fileName, script) = peer switch
        {
            PeerKind.NodeWs => (Peers.NodePath, "ws-server.mjs"),
            PeerKind.PythonWebsockets => (Peers.PythonPath, "websockets_server.py"),
            _ => throw new ArgumentOutOfRangeException(nameof(peer), peer, "Not a peer with a server script."),
        };
        var startInfo = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = InteropLocations.PeersDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        startInfo.ArgumentList.Add(script);
        startInfo.ArgumentList.Add(JsonSerializer.Serialize(new { protocols, deflate, lifetimeMs = 120_000 }));

        var process = Process.Start(startInfo) ?? throw new InvalidOperationException($"'{fileName}' could not be started.");
        try
        {
            var firstLine = await process.StandardOutput.ReadLineAsync().WaitAsync(s_startTimeout);
            using var ready = JsonDocument.Parse(firstLine ?? throw new InvalidOperationException(
                $"The {peer} server exited before listening: {await process.StandardError.ReadToEndAsync()}"));
            return new PeerServer(process, ready.RootElement.GetProperty("port").GetInt32());
        }
        catch
        {
            process.Kill(entireProcessTree: true);
            process.Dispose();
            throw;
        }
    }

    public ValueTask DisposeAsync() => ChildProcess.KillAndDisposeAsync(_process);
}
