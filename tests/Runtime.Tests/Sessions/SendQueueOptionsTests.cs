using Annotated.WebSockets.Client;
using Annotated.WebSockets.Server;

namespace Annotated.WebSockets.Runtime.Tests.Sessions;

/// <summary>The send-queue limits of both containers: finite defaults, and values that make no sense rejected.</summary>
public class SendQueueOptionsTests
{
    public static TheoryData<CloseCode> RejectedCodes => new()
    {
        CloseCode.NormalClosure,
        CloseCode.GoingAway,
        CloseCode.ClosedAbnormally,
        CloseCode.TooBig,
        (CloseCode)4000,
    };

    [Fact]
    public void The_server_defaults_are_finite()
    {
        var options = new AnnotatedWebSocketsOptions();

        Assert.Equal(1024 * 1024, options.MaxQueuedSendBytes);
        Assert.Equal(1024, options.MaxQueuedSendMessages);
        Assert.Equal(TimeSpan.FromSeconds(30), options.SendQueueTimeout);
        Assert.Equal(CloseCode.ViolatedPolicy, options.SendQueueTimeoutCloseCode);
    }

    [Fact]
    public async Task The_client_defaults_are_finite()
    {
        await using var container = WebSocketContainer.Create();

        Assert.Equal(1024 * 1024, container.MaxQueuedSendBytes);
        Assert.Equal(1024, container.MaxQueuedSendMessages);
        Assert.Equal(TimeSpan.FromSeconds(30), container.SendQueueTimeout);
        Assert.Equal(CloseCode.ViolatedPolicy, container.SendQueueTimeoutCloseCode);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public async Task Non_positive_bounds_are_rejected(int value)
    {
        var options = new AnnotatedWebSocketsOptions();
        await using var container = WebSocketContainer.Create();

        Assert.Throws<ArgumentOutOfRangeException>(() => options.MaxQueuedSendMessages = value);
        Assert.Throws<ArgumentOutOfRangeException>(() => options.MaxQueuedSendBytes = value);
        Assert.Throws<ArgumentOutOfRangeException>(() => container.MaxQueuedSendMessages = value);
        Assert.Throws<ArgumentOutOfRangeException>(() => container.MaxQueuedSendBytes = value);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public async Task A_timeout_that_is_neither_positive_nor_infinite_is_rejected(int milliseconds)
    {
        var options = new AnnotatedWebSocketsOptions();
        await using var container = WebSocketContainer.Create();

        Assert.Throws<ArgumentOutOfRangeException>(() => options.SendQueueTimeout = TimeSpan.FromMilliseconds(milliseconds));
        Assert.Throws<ArgumentOutOfRangeException>(() => container.SendQueueTimeout = TimeSpan.FromMilliseconds(milliseconds));
    }

    [Fact]
    public async Task An_infinite_timeout_is_accepted()
    {
        var options = new AnnotatedWebSocketsOptions { SendQueueTimeout = Timeout.InfiniteTimeSpan };
        await using var container = WebSocketContainer.Create();
        container.SendQueueTimeout = Timeout.InfiniteTimeSpan;

        Assert.Equal(Timeout.InfiniteTimeSpan, options.SendQueueTimeout);
        Assert.Equal(Timeout.InfiniteTimeSpan, container.SendQueueTimeout);
    }

    [Theory]
    [MemberData(nameof(RejectedCodes))]
    public async Task Close_codes_other_than_1008_and_1011_are_rejected(CloseCode code)
    {
        var options = new AnnotatedWebSocketsOptions();
        await using var container = WebSocketContainer.Create();

        Assert.Throws<ArgumentOutOfRangeException>(() => options.SendQueueTimeoutCloseCode = code);
        Assert.Throws<ArgumentOutOfRangeException>(() => container.SendQueueTimeoutCloseCode = code);
        Assert.Equal(CloseCode.ViolatedPolicy, options.SendQueueTimeoutCloseCode);
    }

    [Fact]
    public async Task Close_code_1011_is_accepted()
    {
        var options = new AnnotatedWebSocketsOptions { SendQueueTimeoutCloseCode = CloseCode.UnexpectedCondition };
        await using var container = WebSocketContainer.Create();
        container.SendQueueTimeoutCloseCode = CloseCode.UnexpectedCondition;

        Assert.Equal(CloseCode.UnexpectedCondition, options.SendQueueTimeoutCloseCode);
        Assert.Equal(CloseCode.UnexpectedCondition, container.SendQueueTimeoutCloseCode);
    }
}
