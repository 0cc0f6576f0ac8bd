using System.Text;
using Annotated.WebSockets.Runtime.Tests.Server;
using Annotated.WebSockets.Sessions;
using Microsoft.Extensions.Time.Testing;
using static Annotated.WebSockets.Runtime.Tests.Sessions.SendQueueHarness;

namespace Annotated.WebSockets.Runtime.Tests.Sessions;

/// <summary>
/// Broadcasts made by a handler leave their flushes to the sender's receive loop (DeferredFlushes): a burst of
/// messages already read goes to a member in one transport write, made when the sender's input runs dry; a handler
/// that waits has what it sent flushed first; no flush waits longer than the bound.
/// </summary>
public class DeferredFlushTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_burst_from_one_sender_reaches_a_member_in_one_transport_write_when_the_senders_input_runs_dry()
    {
        var (member, sender, _) = await StartPairAsync();
        await using (member)
        await using (sender)
        {
            var before = member.Engine.SendProgress;

            // Thirty messages in one write: the sender's loop finds each next one already there.
            await sender.Peer.WriteAsync([.. Enumerable.Range(0, 30).SelectMany(i => sender.Peer.Build(1, Encoding.UTF8.GetBytes($"m{i}")))]);

            for (var i = 0; i < 30; i++)
            {
                var frame = await member.Peer.ReadFrameAsync().WaitAsync(Wait);
                Assert.Equal($"m{i}", Encoding.UTF8.GetString(frame!.Payload));
            }

            await WaitUntilAsync(() => !((ISendProgressSource)member.Session).HasQueuedSends, () => "a flush still in hand");
            Assert.Equal(1, member.Engine.SendProgress - before);
        }
    }

    [Fact]
    public async Task A_handler_that_waits_has_what_it_broadcast_flushed_first()
    {
        var (member, sender, endpoint) = await StartPairAsync();
        await using (member)
        await using (sender)
        {
            // The handler waits for the member's answer to what it sent: the member must get it while the handler waits.
            var answered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            endpoint.OnText = async (_, text, _) =>
            {
                member.Session.TryQueue(PreparedMessage.FromText(text));
                await answered.Task;
            };

            await sender.Peer.SendTextAsync("question");
            var frame = await member.Peer.ReadFrameAsync().WaitAsync(Wait);
            Assert.Equal("question", Encoding.UTF8.GetString(frame!.Payload));
            answered.SetResult();
        }
    }

    [Fact]
    public async Task A_deferred_flush_waits_no_longer_than_its_bound_while_input_keeps_coming()
    {
        var (member, sender, endpoint) = await StartPairAsync();
        await using (member)
        await using (sender)
        {
            // The first message's handler takes as long as the bound (on the sender's clock); the next one holds the
            // sender's loop, without waiting asynchronously, until the member has the first: only the bound can send it.
            using var memberHasFirst = new ManualResetEventSlim();
            var heldUntilRead = false;
            endpoint.OnText = (_, text, _) =>
            {
                member.Session.TryQueue(PreparedMessage.FromText(text));
                if (text == "slow")
                {
                    sender.Clock.Advance(DeferredFlushes.MaxDeferral);
                }
                else if (text == "held")
                {
                    heldUntilRead = memberHasFirst.Wait(Wait);
                }

                return default;
            };

            await sender.Peer.WriteAsync([.. new[] { "slow", "held", "last" }.SelectMany(text => sender.Peer.Build(1, Encoding.UTF8.GetBytes(text)))]);
            var first = await member.Peer.ReadFrameAsync().WaitAsync(Wait);
            Assert.Equal("slow", Encoding.UTF8.GetString(first!.Payload));
            memberHasFirst.Set();

            foreach (var expected in new[] { "held", "last" })
            {
                var frame = await member.Peer.ReadFrameAsync().WaitAsync(Wait);
                Assert.Equal(expected, Encoding.UTF8.GetString(frame!.Payload));
            }

            Assert.True(heldUntilRead);
        }
    }

    // A member that only reads, and a sender whose handler queues each text on the member; the sender's session runs on a
    // fake clock that moves only when a test moves it.
    private static async Task<(SendQueueHarness Member, ClockedHarness Sender, ScriptedEndpoint SenderEndpoint)> StartPairAsync()
    {
        var memberEndpoint = new ScriptedEndpoint();
        var member = Start(memberEndpoint, Settings(), pauseThreshold: 1024 * 1024);
        await memberEndpoint.Log.WaitForAsync("open");

        var senderEndpoint = new ScriptedEndpoint();
        senderEndpoint.OnText = (_, text, _) =>
        {
            Assert.Equal(SendQueueResult.Queued, member.Session.TryQueue(PreparedMessage.FromText(text)));
            return default;
        };
        var clock = new FakeTimeProvider();
        var sender = Start(senderEndpoint, Settings(), pauseThreshold: 1024 * 1024, clock: clock);
        await senderEndpoint.Log.WaitForAsync("open");
        return (member, new ClockedHarness(sender, clock), senderEndpoint);
    }

    private sealed class ClockedHarness(SendQueueHarness harness, FakeTimeProvider clock) : IAsyncDisposable
    {
        public RawPeer Peer => harness.Peer;

        public FakeTimeProvider Clock => clock;

        public ValueTask DisposeAsync() => harness.DisposeAsync();
    }
}
