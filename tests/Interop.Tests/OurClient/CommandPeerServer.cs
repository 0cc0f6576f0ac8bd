using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Annotated.WebSockets.Interop.Tests.Infrastructure;
using Annotated.WebSockets.Tests.Shared;

namespace Annotated.WebSockets.Interop.Tests.OurClient;

/// <summary>
/// A peer's scriptable server (peers/ws-command-server.mjs or peers/websockets_command_server.py) as a child
/// process: it echoes messages fragmented into frames of at most <c>fragmentSize</c>, closes on a text
/// "close:CODE:REASON", and reports the close code and reason it received from our client. Disposing kills it;
/// should this process die first, the peer sees its standard input close and exits by itself.
/// </summary>
internal sealed class CommandPeerServer : IAsyncDisposable
{
    private static readonly TimeSpan s_startTimeout = TimeSpan.FromSeconds(15);

    private readonly Process _process;
    private readonly BlockingCollection<JsonElement> _closes = new();
    private readonly StringBuilder _errors = new();

    private CommandPeerServer(Process process, int port)
    {
        _process = process;
        Uri = new Uri($"ws://127.0.0.1:{port}/command");
        // The first line (the port) was read from StandardOutput directly, so the rest is read the same way: a
        // Process cannot mix that with BeginOutputReadLine.
        _ = Task.Run(ReadReportsAsync);
        _process.ErrorDataReceived += (_, e) =>
        {
            lock (_errors)
            {
                _errors.AppendLine(e.Data);
            }
        };
        _process.BeginErrorReadLine();
    }

    public Uri Uri { get; }

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

    public static async Task<CommandPeerServer> StartAsync(PeerKind peer, int fragmentSize)
    {
        Peers.Require(peer);
        var (fileName, script) = peer switch
        {
            PeerKind.NodeWs => (Peers.NodePath, "ws-command-server.mjs"),
            PeerKind.PythonWebsockets => (Peers.PythonPath, "websockets_command_server.py"),
            _ => throw new ArgumentOutOfRangeException(nameof(peer), peer, "Not a peer with a command server script."),
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
        startInfo.ArgumentList.Add(JsonSerializer.Serialize(new { fragmentSize, lifetimeMs = 120_000 }));

        var process = Process.Start(startInfo) ?? throw new InvalidOperationException($"'{fileName}' could not be started.");
        try
        {
            var firstLine = await process.StandardOutput.ReadLineAsync().WaitAsync(s_startTimeout);
            using var ready = JsonDocument.Parse(firstLine ?? throw new InvalidOperationException(
                $"The {peer} command server exited before listening: {await process.StandardError.ReadToEndAsync()}"));
            return new CommandPeerServer(process, ready.RootElement.GetProperty("port").GetInt32());
        }
        catch
        {
            process.Kill(entireProcessTree: true);
            process.Dispose();
            throw;
        }
    }

    /// <summary>Waits (at most 15 s) for the peer to report the end of a connection; returns the code and reason it received.</summary>
    public (int Code, string Reason) WaitForClose()
    {
        if (!_closes.TryTake(out var close, TimeSpan.FromSeconds(15)))
        {
            throw new TimeoutException($"The peer reported no closed connection. Its errors: {Errors}");
        }

        return (close.GetProperty("code").GetInt32(), close.GetProperty("reason").GetString() ?? "");
    }

    private async Task ReadReportsAsync()
    {
        try
        {
            while (await _process.StandardOutput.ReadLineAsync() is { } text)
            {
                if (!string.IsNullOrWhiteSpace(text))
                {
                    using var line = JsonDocument.Parse(text);
                    _closes.Add(line.RootElement.Clone());
                }
            }
        }
        catch (Exception ex) when (ex is ObjectDisposedException or InvalidOperationException or IOException)
        {
            // The process was disposed: no more reports.
        }
    }

    public ValueTask DisposeAsync() => ChildProcess.KillAndDisposeAsync(_process);
}
