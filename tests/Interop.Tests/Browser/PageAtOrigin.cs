using Microsoft.Playwright;

namespace Annotated.WebSockets.Interop.Tests.Browser;

/// <summary>
/// Opens an empty page whose origin is the server under test, without the server having to serve a page:
/// Playwright answers the navigation itself. Scripts in it then open WebSockets as a same-origin page would
/// (the Origin header names the server).
/// </summary>
internal static class PageAtOrigin
{
    public static async Task<IPage> OpenAsync(IBrowserContext context, Uri server)
    {
        var address = new UriBuilder(server) { Scheme = Uri.UriSchemeHttp, Path = "/__interop-blank.html", Query = "" }.Uri;
        var page = await context.NewPageAsync();
        await page.RouteAsync(address.ToString(), route => route.FulfillAsync(new RouteFulfillOptions
        {
            Status = 200,
            ContentType = "text/html; charset=utf-8",
            Body = "<!doctype html><meta charset=\"utf-8\"><title>interop</title>",
        }));
        await page.GotoAsync(address.ToString());
        return page;
    }
}
