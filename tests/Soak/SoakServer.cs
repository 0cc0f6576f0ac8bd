using System.Globalization;
using System.Net;
using Annotated.WebSockets.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Annotated.WebSockets.Soak;

/// <summary>
/// The server side (<c>--serve</c>, started by the driver as a child process): Kestrel on 127.0.0.1 with the default
/// options and every annotated endpoint, then a line protocol on stdin/stdout: prints <c>listening PORT</c>, answers
/// <c>sample</c> and <c>collect</c> (the same after a forced full GC) with a <c>sample key=value …</c> line, and stops
/// on <c>stop</c> or when stdin closes (the driver went away).
/// </summary>
internal static class SoakServer
{
    public static async Task<int> RunAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Services.AddAnnotatedWebSockets();
        await using var app = builder.Build();
        app.MapAnnotatedWebSockets();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"listening {new Uri(address).Port}"));

        while (await Console.In.ReadLineAsync() is { } command && command != "stop")
        {
            if (command is "sample" or "collect")
            {
                Console.Out.WriteLine($"sample {Sample(collect: command == "collect")}");
            }
            else
            {
                Console.Out.WriteLine($"unknown command '{command}'");
            }
        }

        await app.StopAsync();
        return 0;
    }

    // Per generation after the last collection: gen0, gen1, gen2, large object heap, pinned object heap (where
    // Kestrel's and the engine's pinned buffer pools live).
    private static string Generations(GCMemoryInfo info)
    {
        var names = new[] { "gen0", "gen1", "gen2", "loh", "poh" };
        var generations = info.GenerationInfo;
        var parts = new List<string>(names.Length);
        for (var i = 0; i < Math.Min(names.Length, generations.Length); i++)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{names[i]}={generations[i].SizeAfterBytes - generations[i].FragmentationAfterBytes}"));
        }

        return string.Join(' ', parts);
    }

    private static string Sample(bool collect)
    {
        if (collect)
        {
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        }

        // After a forced collection this is what it left; otherwise the heap as of the last collection.
        var info = GC.GetGCMemoryInfo(GCKind.Any);
        var fds = Directory.Exists("/proc/self/fd") ? Directory.EnumerateFileSystemEntries("/proc/self/fd").Count() : -1;
        return string.Create(
            CultureInfo.InvariantCulture,
            $"gcheap={info.HeapSizeBytes - info.FragmentedBytes} {Generations(info)} workingset={Environment.WorkingSet} fds={fds} "
            + $"threads={System.Diagnostics.Process.GetCurrentProcess().Threads.Count} open={SoakServerCounters.OpenSessions} {SoakServerCounters.Describe()}");
    }
}
