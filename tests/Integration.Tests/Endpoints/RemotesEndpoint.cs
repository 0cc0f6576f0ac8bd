using Annotated.WebSockets.Integration.Tests.Infrastructure;

namespace Annotated.WebSockets.Integration.Tests.Endpoints;

/// <summary>Each text command exercises one way of sending (partial, stream, writer, objects, async, batching, timeouts).</summary>
[ServerEndpoint("/it/remotes/{test}")]
public sealed class RemotesEndpoint
{
    [OnMessage]
    public async Task Command(string command, WebSocketSession session, [PathParam("test")] string test)
    {
        var basic = session.BasicRemote;
        var recorder = Recorder.For(test);
        switch (command)
        {
            case "partial":
                await basic.SendTextAsync("SENDTEXTPART1", false);
                await basic.SendTextAsync("SENDTEXTPART2", false);
                await basic.SendTextAsync("SENDTEXTPART3", true);
                await basic.SendBinaryAsync(new byte[] { 1, 2 }, false);
                await basic.SendBinaryAsync(new byte[] { 3 }, true);
                break;
            case "stream":
                await using (var stream = basic.GetSendStream())
                {
                    var chunk = new byte[10_000];
                    for (var i = 0; i < 4; i++)
                    {
                        Array.Fill(chunk, (byte)i);
                        await stream.WriteAsync(chunk);
                    }
                }

                break;
            case "writer":
                await using (var writer = basic.GetSendWriter())
                {
                    await writer.WriteAsync("hello ");
                    await writer.WriteAsync("writer é");
                }

                // Nothing written means no message.
                await using (basic.GetSendWriter())
                {
                }

                await basic.SendTextAsync("after");
                break;
            case "objects":
                await basic.SendObjectAsync(-102);
                await basic.SendObjectAsync(false);
                await basic.SendObjectAsync('j');
                await basic.SendObjectAsync(1.5d);
                await basic.SendObjectAsync(-103L);
                await basic.SendObjectAsync(new byte[] { 9, 8 });
                try
                {
                    await basic.SendObjectAsync(new Uri("http://x"));
                }
                catch (EncodeException ex)
                {
                    await basic.SendTextAsync("encode-error:" + (ex.Value is Uri));
                }

                break;
            case "async":
                await session.AsyncRemote.SendTextAsync("a1");
                var done = new TaskCompletionSource<SendResult>(TaskCreationOptions.RunContinuationsAsynchronously);
                session.AsyncRemote.SendText("a2", done.SetResult);
                var result = await done.Task.WaitAsync(TimeSpan.FromSeconds(10));
                var failed = new TaskCompletionSource<SendResult>(TaskCreationOptions.RunContinuationsAsynchronously);
                session.AsyncRemote.SendObject(new Uri("http://x"), failed.SetResult);
                var failure = await failed.Task.WaitAsync(TimeSpan.FromSeconds(10));
                await session.AsyncRemote.SendTextAsync(
                    $"callback:{result.IsOk}:{ReferenceEquals(result.Session, session)}:{failure.IsOk}:{failure.Exception?.GetType().Name}");
                break;
            case "batch":
                basic.BatchingAllowed = true;
                await basic.SendTextAsync("b1");
                await session.AsyncRemote.SendTextAsync("b2");
                recorder.Add("batched");
                break;
            case "flush":
                await basic.FlushBatchAsync();
                basic.BatchingAllowed = false;
                break;
            case "batch-off":
                basic.BatchingAllowed = true;
                await basic.SendTextAsync("c1");
                basic.BatchingAllowed = false;
                break;
            case "timeout":
                session.AsyncRemote.SendTimeout = TimeSpan.FromMilliseconds(200);
                var big = new byte[1024 * 1024];
                try
                {
                    for (var i = 0; i < 512; i++)
                    {
                        // Counted, so that the test sees when a send stops completing.
                        recorder.Add("sending");
                        await session.AsyncRemote.SendBinaryAsync(big);
                    }

                    recorder.Add("no-timeout");
                }
                catch (TimeoutException)
                {
                    recorder.Add("timeout");
                }

                break;
        }
    }
}
