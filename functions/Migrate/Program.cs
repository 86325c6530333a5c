using Plant.Migrate;
using Plant.Hosting;

return await FunctionHost.RunAsync(args, MigrateApp.Definition);
