namespace Plant.Hosting;

/// <summary>What an app's own health function answers: the app is deployed and serving (the portals' status page reads it).</summary>
public sealed record AppHealth(string App, string Status = "ok");
