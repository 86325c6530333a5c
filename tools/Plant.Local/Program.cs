using Plant.Agents;
using Plant.Genesis;
using Plant.Hosting;
using Plant.Migrate;

// All three function apps in one process on port 7071, as `func start` would serve them; in the cloud each app
// is its own container.
return await FunctionHost.RunAsync(args, GenesisApp.Definition, AgentsApp.Definition, MigrateApp.Definition);
