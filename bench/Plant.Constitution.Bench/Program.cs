using BenchmarkDotNet.Running;
using Plant.Constitution.Bench;

// dotnet run -c Release --project bench/Plant.Constitution.Bench [-- BenchmarkDotNet arguments, e.g. --filter '*Agent*']
BenchmarkSwitcher.FromAssembly(typeof(ValidationBenchmarks).Assembly).Run(args);
