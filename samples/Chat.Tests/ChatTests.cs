using Microsoft.AspNetCore.Mvc.Testing;

namespace Annotated.Samples.Chat.Tests;

/// <summary>The chat sample's rooms, member list and limits, through its own application in memory.</summary>
public class ChatTests(WebApplicationFactory<Program> factory) : IClassFixture<WebApplicationFactory<Program>>
{
    [Fact]
    public async Task A_line_reaches_everyone_in_the_room_and_no_one_elsewhere()
    {
        await using var host = WebSocketTestHost.Create(factory);
        var (ann, bob) = await AnnAndBobInTheLobbyAsync(host);
        var cid = await JoinAsync(host, "kitchen", "cid", "cid");

        await bob.SendTextAsync("hi");

        await ann.ExpectTextAsync("bob: hi");
        await bob.ExpectTextAsync("bob: hi");
        await cid.ExpectNothingMoreAsync();
        await ann.ExpectNothingMoreAsync();
    }

    [Fact]
    public async Task Leaving_updates_the_member_list()
    {
        await using var host = WebSocketTestHost.Create(factory);
        var (ann, bob) = await AnnAndBobInTheLobbyAsync(host);

        await bob.CloseAsync();
        await bob.ExpectCloseAsync(CloseCode.NormalClosure);

        await ann.ExpectTextAsync("* bob left #lobby");
        await ann.ExpectTextAsync("* here: ann");
        await ann.ExpectNothingMoreAsync();
    }

    [Fact]
    public async Task A_line_above_4_KiB_is_refused_with_1009()
    {
        await using var host = WebSocketTestHost.Create(factory);
        var ann = await JoinAsync(host, "lobby", "ann", "ann");

        await ann.SendTextAsync(new string('x', 4097));

        await ann.ExpectCloseAsync(CloseCode.TooBig);
    }

    [Fact]
    public async Task A_silent_visitor_is_closed_after_the_idle_timeout()
    {
        await using var host = WebSocketTestHost.Create(factory);
        var ann = await JoinAsync(host, "lobby", "ann", "ann");

        await host.AdvanceAsync(TimeSpan.FromMinutes(5) - TimeSpan.FromSeconds(1));
        await ann.ExpectNothingMoreAsync();
        await host.AdvanceAsync(TimeSpan.FromSeconds(2));

        await ann.ExpectCloseAsync(CloseCode.GoingAway);
    }

    [Fact]
    public async Task Lines_past_20_a_second_wait_for_the_next_second_and_none_is_lost()
    {
        await using var host = WebSocketTestHost.Create(factory);
        var (ann, bob) = await AnnAndBobInTheLobbyAsync(host);

        for (var line = 1; line <= 22; line++)
        {
            await ann.SendTextAsync($"line {line}");
        }

        for (var line = 1; line <= 20; line++)
        {
            await bob.ExpectTextAsync($"ann: line {line}");
        }

        // Line 21 waits for the limit's next second: ann's session reads nothing meanwhile, and nothing is dropped.
        await bob.ExpectNothingMoreAsync();
        await host.AdvanceAsync(TimeSpan.FromMilliseconds(999));
        await bob.ExpectNothingMoreAsync();
        await host.AdvanceAsync(TimeSpan.FromMilliseconds(1));

        await bob.ExpectTextAsync("ann: line 21");
        await bob.ExpectTextAsync("ann: line 22");
        await bob.ExpectNothingMoreAsync();
    }

    private static async Task<(WebSocketTestClient Ann, WebSocketTestClient Bob)> AnnAndBobInTheLobbyAsync(WebSocketTestHost host)
    {
        var ann = await JoinAsync(host, "lobby", "ann", "ann");
        var bob = await JoinAsync(host, "lobby", "bob", "ann, bob");
        await ann.ExpectTextAsync("* bob joined #lobby");
        await ann.ExpectTextAsync("* here: ann, bob");
        return (ann, bob);
    }

    private static async Task<WebSocketTestClient> JoinAsync(WebSocketTestHost host, string room, string name, string here)
    {
        var client = await host.ConnectAsync($"/chat/{room}?name={name}");
        await client.ExpectTextAsync($"* {name} joined #{room}");
        await client.ExpectTextAsync($"* here: {here}");
        return client;
    }
}
