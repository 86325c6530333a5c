using Plant.Genesis;
using Plant.Hosting;

return await FunctionHost.RunAsync(args, GenesisApp.Definition);
