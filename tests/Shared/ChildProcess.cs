using System.Diagnostics;

namespace Annotated.WebSockets.Tests.Shared;

/// <summary>Ends the child processes tests start (peers, sample servers): whatever state they are in, nothing outlives the test.</summary>
internal static class ChildProcess
{
    /// <summary>Kills the process tree if it still runs, waits (bounded) for it to exit, and disposes it.</summary>
    public static async ValueTask KillAndDisposeAsync(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (InvalidOperationException)
        {
            // Never started, or already gone: nothing to kill.
        }
        finally
        {
            process.Dispose();
        }
    }
}
