using Annotated.WebSockets.Interop.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Annotated.WebSockets.Interop.Tests.Browser;

/// <summary>
/// One headless Debian Chromium, driven by Playwright for .NET (its driver ships in the NuGet package; the
/// browser is the system's, so nothing is downloaded). Launched on first use, closed at the end.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    private static readonly string[] s_arguments =
    [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        // Pages here are answered by Playwright (PageAtOrigin), which Chromium cannot place in an address
        // space; Local Network Access would then block their WebSockets to 127.0.0.1 as public-to-local.
        "--disable-features=LocalNetworkAccessChecks",
    ];

    private readonly SemaphoreSlim _gate = new(1, 1);

    static BrowserFixture()
    {
        // Web-first assertions (Assertions.Expect) wait this long for the page to get there.
        Assertions.SetDefaultExpectTimeout(10_000);
    }

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    internal async Task<IBrowser> GetBrowserAsync()
    {
        Peers.Require(PeerKind.Chromium);
        await _gate.WaitAsync();
        try
        {
            if (_browser is null)
            {
                _playwright ??= await Playwright.CreateAsync().WaitAsync(TimeSpan.FromSeconds(30));
                _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
                {
                    ExecutablePath = Peers.ChromiumPath,
                    Headless = true,
                    Args = s_arguments,
                    Timeout = 30_000,
                });
            }

            return _browser;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>A fresh, isolated context (own storage) with short default timeouts.</summary>
    internal async Task<IBrowserContext> NewContextAsync()
    {
        var browser = await GetBrowserAsync();
        var context = await browser.NewContextAsync();
        context.SetDefaultTimeout(10_000);
        context.SetDefaultNavigationTimeout(15_000);
        return context;
    }

    /// <inheritdoc />
    public Task InitializeAsync() => Task.CompletedTask;

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync().WaitAsync(TimeSpan.FromSeconds(15));
        }

        _playwright?.Dispose();
        _gate.Dispose();
    }
}
