# One image per function app, each a Native AOT executable:
#   docker build --build-arg FUNCTION_APP=Genesis -t plant-genesis .
#   docker build --build-arg FUNCTION_APP=Agents  -t plant-agents .
#   docker build --build-arg FUNCTION_APP=Migrate -t plant-migrate .
# Cloud Run sets K_SERVICE and PORT; the host reads them (JSON logs with `severity`, bind 0.0.0.0, timers driven
# by Cloud Scheduler). DATABASE_URL and PLANT_MASTER_KEY (or PLANT_MASTER_KEY_FILE, a mounted secret) come from
# the deployment, never from the image.
#
# This machine has no Docker engine, so the image is not built here; scripts/publish-aot.sh publishes with the
# same command as the build stage below, and tests/Plant.Functions.Tests runs each app's executable the way this
# image's entrypoint does.

# The 10.0 tags follow the newest 10.0 SDK and runtime patches; global.json asks for SDK 10.0.401 or a later
# feature band, which the floating tag satisfies. Pin a full version here to make builds reproducible.
ARG DOTNET_VERSION=10.0

FROM mcr.microsoft.com/dotnet/sdk:${DOTNET_VERSION} AS build
# Genesis | Agents | Migrate: the folder under functions/ and the middle of the project and assembly name.
ARG FUNCTION_APP=Genesis
# Native AOT compiles to native code with clang and links with lld.
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends clang lld zlib1g-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src

# Restore first, from the project files alone: this layer (the packages, the linux-x64 runtime pack and the
# ahead-of-time compiler package) is reused for as long as no project file or package version changes, which is
# most builds. Only the projects this app depends on are copied, so a change in another app's project file does
# not invalidate it either.
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY shared/Plant.Core/Plant.Core.csproj shared/Plant.Core/
COPY shared/Plant.Hosting/Plant.Hosting.csproj shared/Plant.Hosting/
COPY shared/Plant.Hosting.Generator/Plant.Hosting.Generator.csproj shared/Plant.Hosting.Generator/
COPY functions/Directory.Build.targets functions/
COPY functions/${FUNCTION_APP}/Plant.${FUNCTION_APP}.csproj functions/${FUNCTION_APP}/
# The runtime identifier must be the same as in the publish below, or restore would not bring the packs that
# publish needs and --no-restore would fail.
RUN dotnet restore functions/${FUNCTION_APP}/Plant.${FUNCTION_APP}.csproj -r linux-x64

COPY host.json ./
COPY shared/ shared/
COPY functions/${FUNCTION_APP}/ functions/${FUNCTION_APP}/
# The app's project sets PublishAot: one self-contained native executable, with the runtime, the app and its
# libraries compiled in, which starts without a JIT. Beside it: host.json, openapi.json and ONNX Runtime's native
# library (Plant.Core's embedding model). Symbols and API docs are left out.
# The executable is renamed to one fixed name, so that the exec-form ENTRYPOINT below is the same for every app:
# exec form expands no build argument.
RUN dotnet publish functions/${FUNCTION_APP} -c Release -r linux-x64 --no-restore -o /app \
    && mv /app/Plant.${FUNCTION_APP} /app/function-app \
    && find /app \( -name '*.dbg' -o -name '*.pdb' -o -name '*.xml' \) -delete

# runtime-deps: only what a self-contained executable needs from the system (libc, libstdc++, OpenSSL,
# certificates, time zones); no .NET runtime, which is compiled into the executable.
FROM mcr.microsoft.com/dotnet/runtime-deps:${DOTNET_VERSION} AS runtime
ARG FUNCTION_APP=Genesis
# The working folder is the host's content root and where it looks for local.settings.json. It must not be "/":
# configuration reload would then watch the whole file system, which costs seconds at start-up.
WORKDIR /app
# Files stay owned by root and read-only to the app's user: the process cannot rewrite its own code.
COPY --from=build /app ./

LABEL org.opencontainers.image.title="plant-${FUNCTION_APP}"

# Cloud Run sends traffic to PORT (8080 unless configured otherwise); the host listens where PORT says.
# The base image sets ASPNETCORE_HTTP_PORTS=8080, which the host's own Kestrel binding overrides with a warning
# at every start; clearing it leaves PORT as the one setting for the port.
ENV PORT=8080 \
    ASPNETCORE_HTTP_PORTS=""
EXPOSE 8080

# The non-root user the .NET images provide (APP_UID, 1654): a compromised function does not run as root.
USER $APP_UID

# Exec form, no shell: the process is PID 1 and receives SIGTERM itself, which drains in-flight requests.
ENTRYPOINT ["/app/function-app"]
