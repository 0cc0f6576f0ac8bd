using System.Text.RegularExpressions;
using Annotated.WebSockets.Interop.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Annotated.WebSockets.Interop.Tests.Browser;

/// <summary>
/// samples/Chat's own page in Chromium, used as a person would: two visitors join the same room in two pages,
/// one types a line, the other sees it; leaving is announced.
/// </summary>
public sealed class ChromiumChatTests(ChatServerFixture chat, BrowserFixture browser)
    : IClassFixture<ChatServerFixture>, IClassFixture<BrowserFixture>
{
    [PeerFact(PeerKind.Chromium)]
    public async Task TwoPagesInOneRoom_LineTypedInOneAppearsInTheOther()
    {
        var server = await chat.GetServerAsync();
        const string room = "interop-room";
        await using var aliceContext = await browser.NewContextAsync();
        await using var bobContext = await browser.NewContextAsync();
        var alice = await JoinAsync(aliceContext, server.HttpBase, "alice", room);
        var bob = await JoinAsync(bobContext, server.HttpBase, "bob", room);

        await Assertions.Expect(LogLine(alice, "* bob joined #interop-room")).ToBeVisibleAsync();

        await bob.Locator("#say input[name=text]").FillAsync("hello from bob ✓ 🎉");
        await bob.Locator("#say input[name=text]").PressAsync("Enter");

        await Assertions.Expect(LogLine(alice, "bob: hello from bob ✓ 🎉")).ToBeVisibleAsync();
        await Assertions.Expect(LogLine(bob, "bob: hello from bob ✓ 🎉")).ToBeVisibleAsync();

        await bob.Locator("#leave").ClickAsync();
        // The server answers with the same code; whether it repeats the reason is its choice (RFC 6455 §5.5.1).
        await Assertions.Expect(bob.Locator("#status")).ToHaveTextAsync(new Regex(@"^Disconnected \(1000(: bye)?\)\.$"));
        await Assertions.Expect(LogLine(alice, "* bob left #interop-room")).ToBeVisibleAsync();
    }

    private static async Task<IPage> JoinAsync(IBrowserContext context, Uri server, string name, string room)
    {
        var page = await context.NewPageAsync();
        await page.GotoAsync(server.ToString());
        await page.Locator("#join input[name=name]").FillAsync(name);
        await page.Locator("#join input[name=room]").FillAsync(room);
        await page.Locator("#connect").ClickAsync();
        await Assertions.Expect(page.Locator("#status")).ToHaveTextAsync($"Connected to #{room} as {name}.");
        return page;
    }

    /// <summary>A line of the page's log whose whole text is <paramref name="text"/>.</summary>
    private static ILocator LogLine(IPage page, string text) =>
        page.Locator("#log p", new PageLocatorOptions { HasTextRegex = new Regex("^" + Regex.Escape(text) + "$") });
}
