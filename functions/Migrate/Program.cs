using Plant.Migrate;
using Plant.Hosting;

// With a command (status, plan, up, down, seed) this is the migration command line; without one it serves the functions.
return MigrateCommandLine.IsCommand(args)
    ? await MigrateCommandLine.RunAsync(args, Console.Out, Console.Error)
    : await FunctionHost.RunAsync(args, MigrateApp.Definition);
