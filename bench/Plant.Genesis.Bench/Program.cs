using BenchmarkDotNet.Running;
using Plant.Genesis.Bench;

// dotnet run -c Release --project bench/Plant.Genesis.Bench -- audit [appends] [entries]
//     audit appends with 16 writers and verification of a long chain, against a throwaway PostgreSQL
// dotnet run -c Release --project bench/Plant.Genesis.Bench -- --filter '*'
//     every BenchmarkDotNet class of this project (CanonicalJsonBenchmarks, and any added beside it)
if (args is ["audit", ..])
{
    return await AuditBenchmark.RunAsync(args[1..]);
}

BenchmarkSwitcher.FromAssembly(typeof(CanonicalJsonBenchmarks).Assembly).Run(args);
return 0;
