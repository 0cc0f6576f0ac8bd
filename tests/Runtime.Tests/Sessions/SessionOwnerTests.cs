using Annotated.WebSockets.Protocol;
using Annotated.WebSockets.Runtime.Tests.Server;
using Annotated.WebSockets.Tests.Shared;

namespace Annotated.WebSockets.Runtime.Tests.Sessions;

// Nothing awaits a server session any more: it tells its container (ISessionHost, which ends the connection) when it is over, and the close
// handshake's completion source is made only when a close waits for it. These pin what that must not change.
public class SessionOwnerTests
{
    [Fact]
    public async Task The_owner_is_told_after_OnClose_and_a_later_close_returns_at_once()
    {
        var endpoint = new ScriptedEndpoint();
        var owner = new RecordingOwner(endpoint.Log);
        await using var harness = SessionHarness.Start(endpoint, ended: owner.SessionEndedAsync);
        await endpoint.Log.WaitForAsync("open");

        await harness.Peer.CloseOutputAsync(4001, "peer", CancellationToken.None);
        await harness.Run.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(1, owner.Calls);
        Assert.Equal(1, owner.ClosesSeenWhenTold);
        // The loop ended before anyone waited for it: a close now neither sends nor waits.
        await harness.Session.CloseAsync().WaitAsync(TimeSpan.FromSeconds(1));
        Assert.Equal(1, endpoint.Log.Count("close:"));
        Assert.Equal(1, owner.Calls);
    }

    [Fact]
    public async Task An_abandoned_session_tells_its_owner_and_runs_OnClose_once()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var endpoint = new ScriptedEndpoint
        {
            OnText = async (_, _, _) => await release.Task,
        };
        var owner = new RecordingOwner(endpoint.Log);
        await using var harness = SessionHarness.Start(endpoint, ended: owner.SessionEndedAsync);
        await endpoint.Log.WaitForAsync("open");
        await harness.SendTextAsync("stuck");
        await endpoint.Log.WaitForAsync("text:stuck");

        harness.Session.AbortForShutdown();
        await harness.Session.AbandonAsync().WaitAsync(TimeSpan.FromSeconds(10));
        await WaitUntilAsync(() => owner.Calls >= 1);

        Assert.Equal(1, endpoint.Log.Count("close:"));
        Assert.Equal(1, owner.ClosesSeenWhenTold);
        Assert.False(harness.Run.IsCompleted);

        // The stuck handler returns: the loop ends without a second OnClose.
        release.SetResult();
        await harness.Run.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(1, endpoint.Log.Count("close:"));
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (var i = 0; i < 200 && !condition(); i++)
        {
            await Task.Delay(50);
        }

        Assert.True(condition());
    }

    private sealed class RecordingOwner(CallbackLog log)
    {
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public int ClosesSeenWhenTold { get; private set; } = -1;

        public Task SessionEndedAsync()
        {
            if (Interlocked.Increment(ref _calls) == 1)
            {
                ClosesSeenWhenTold = log.Count("close:");
            }

            return Task.CompletedTask;
        }
    }
}
