using BenchmarkDotNet.Running;

// Runs the benchmarks named by the BenchmarkDotNet command line, e.g. `--filter '*Dispatch*'`; with no filter it
// asks which to run. See bench/README.md.
BenchmarkSwitcher.FromAssembly(typeof(Annotated.WebSockets.Bench.Micro.DispatchBenchmarks).Assembly).Run(args);
