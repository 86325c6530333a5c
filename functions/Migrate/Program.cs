using Plant.Migrate;
using Plant.Hosting;

// With a command (status, plan, up, down, seed) this is the migration command line; without one it serves the functions.
// TODO(issue 3): pass the built-in embedder for seed, e.g. `embedderFactory: _ => new FeatureHashingEmbedder()`, once
// it is merged; until then seed exits 1 saying that no embedder is configured.
return MigrateCommandLine.IsCommand(args)
    ? await MigrateCommandLine.RunAsync(args, Console.Out, Console.Error, embedderFactory: null)
    : await FunctionHost.RunAsync(args, MigrateApp.Definition);
