using Annotated.WebSockets.Soak;

// dotnet run -c Release --project tests/Soak -- [--duration 00:10:00] [--clients 64] [--rooms 8] [--sample-every 00:00:30]
// Starts the soak server as a child process (this program with --serve) and drives mixed traffic against it; exits 0
// when every echo was right and the server's sessions, file descriptors and memory came back to their level after
// warm-up, 1 on a lost or corrupted message, 2 on a leak, 3 when the run itself broke (see SoakRun).
if (args is ["--serve"])
{
    return await SoakServer.RunAsync();
}

if (args is ["--help"] or ["-h"])
{
    Console.WriteLine(SoakOptions.Usage);
    return 0;
}

var options = SoakOptions.Parse(args);
return options is null ? 64 : await SoakRun.RunAsync(options);
