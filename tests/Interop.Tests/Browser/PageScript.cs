using System.Collections.Concurrent;
using Microsoft.Playwright;

namespace Annotated.WebSockets.Interop.Tests.Browser;

/// <summary>
/// Runs a script in a page with a deadline; when it fails, the failure carries what the browser logged (for
/// a refused handshake Chromium says why only in its console, e.g. "Error during WebSocket handshake: ...").
/// </summary>
internal static class PageScript
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(30);

    public static async Task<T> EvaluateAsync<T>(IPage page, string script, object? argument)
    {
        var console = new ConcurrentQueue<string>();
        void OnConsole(object? sender, IConsoleMessage message) => console.Enqueue($"[{message.Type}] {message.Text}");
        page.Console += OnConsole;
        try
        {
            return await page.EvaluateAsync<T>(script, argument).WaitAsync(s_timeout);
        }
        catch (Exception exception) when (exception is PlaywrightException or TimeoutException)
        {
            throw new Xunit.Sdk.XunitException(
                $"The script in the page failed: {exception.Message}\nBrowser console:\n{string.Join('\n', console)}");
        }
        finally
        {
            page.Console -= OnConsole;
        }
    }
}
