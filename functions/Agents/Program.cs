using Plant.Agents;
using Plant.Hosting;

return await FunctionHost.RunAsync(args, AgentsApp.Definition);
