// Records and init-only setters on netstandard2.0, where the runtime type the compiler asks for does not exist.
namespace System.Runtime.CompilerServices;

internal static class IsExternalInit
{
}
