namespace Plant.Hosting;

/// <summary>Which key an HTTP function requires, as in Azure Functions.</summary>
public enum AuthorizationLevel
{
    /// <summary>No key.</summary>
    Anonymous,

    /// <summary>A function key or the master key.</summary>
    Function,

    /// <summary>The master key only.</summary>
    Admin,
}
