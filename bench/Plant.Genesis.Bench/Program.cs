using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Plant.Genesis.Bench;

// dotnet run -c Release --project bench/Plant.Genesis.Bench -- audit [appends] [entries]
//     audit appends with 16 writers and verification of a long chain, against a throwaway PostgreSQL
// dotnet run -c Release --project bench/Plant.Genesis.Bench -- --filter '*'
//     every BenchmarkDotNet class of this project (CanonicalJsonBenchmarks, and any added beside it)
if (args is ["audit", ..])
{
    return await AuditBenchmark.RunAsync(args[1..]);
}

// In process: BenchmarkDotNet's usual separate build of a generated project takes minutes on a busy 2-core
// machine and times out; the measurements themselves are the same.
var config = DefaultConfig.Instance.AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance));
BenchmarkSwitcher.FromAssembly(typeof(CanonicalJsonBenchmarks).Assembly).Run(args, config);
return 0;
