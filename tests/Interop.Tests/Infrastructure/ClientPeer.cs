using System.Text.Json;

namespace Annotated.WebSockets.Interop.Tests.Infrastructure;

/// <summary>Runs a <see cref="Plan"/> in a client peer (Node 'ws' or Python 'websockets') and reads its result.</summary>
internal static class ClientPeer
{
    private static readonly TimeSpan s_processTimeout = TimeSpan.FromSeconds(20);

    public static async Task<PeerResult> RunAsync(PeerKind peer, Plan plan)
    {
        Peers.Require(peer);
        var planJson = JsonSerializer.Serialize(plan);
        var (fileName, script) = peer switch
        {
            PeerKind.NodeWs => (Peers.NodePath, "ws-client.mjs"),
            PeerKind.PythonWebsockets => (Peers.PythonPath, "websockets_client.py"),
            _ => throw new ArgumentOutOfRangeException(nameof(peer), peer, "Not a client peer run by a script."),
        };

        var output = await PeerProcess.RunAsync(fileName, [script], planJson, s_processTimeout);
        var lastLine = output.StandardOutput
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .LastOrDefault();
        if (output.ExitCode != 0 || lastLine is null || !lastLine.StartsWith('{'))
        {
            throw new Xunit.Sdk.XunitException(
                $"The {peer} peer printed no result (exit code {output.ExitCode}).\nstdout: {output.StandardOutput}\nstderr: {output.StandardError}");
        }

        return JsonSerializer.Deserialize<PeerResult>(lastLine)
            ?? throw new Xunit.Sdk.XunitException($"The {peer} peer printed 'null'.");
    }
}
