# One image per function app:
#   docker build --build-arg FUNCTION_APP=Genesis -t plant-genesis .
#   docker build --build-arg FUNCTION_APP=Agents  -t plant-agents .
#   docker build --build-arg FUNCTION_APP=Migrate -t plant-migrate .
# Cloud Run sets K_SERVICE and PORT; the host reads them (JSON logs with `severity`, bind 0.0.0.0, timers driven
# by Cloud Scheduler). DATABASE_URL and PLANT_MASTER_KEY (or PLANT_MASTER_KEY_FILE, a mounted secret) come from
# the deployment, never from the image.
#
# This machine has no Docker engine, so the image is not built here; tests/Plant.Functions.Tests publishes an app
# with the same flags as the build stage below and runs the output the way this image's entrypoint does.

# The 10.0 tags follow the newest 10.0 SDK and runtime patches; global.json asks for SDK 10.0.401 or a later
# feature band, which the floating tag satisfies. Pin a full version here to make builds reproducible.
ARG DOTNET_VERSION=10.0

FROM mcr.microsoft.com/dotnet/sdk:${DOTNET_VERSION} AS build
# Genesis | Agents | Migrate: the folder under functions/ and the middle of the project and assembly name.
ARG FUNCTION_APP=Genesis
WORKDIR /src

# Restore first, from the project files alone: this layer (the packages, the linux-x64 runtime pack and the
# crossgen pack that ReadyToRun needs) is reused for as long as no project file or package version changes,
# which is most builds. Only the projects this app depends on are copied, so a change in another app's
# project file does not invalidate it either.
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY shared/Plant.Core/Plant.Core.csproj shared/Plant.Core/
COPY shared/Plant.Hosting/Plant.Hosting.csproj shared/Plant.Hosting/
COPY shared/Plant.Hosting.Generator/Plant.Hosting.Generator.csproj shared/Plant.Hosting.Generator/
COPY functions/Directory.Build.targets functions/
COPY functions/${FUNCTION_APP}/Plant.${FUNCTION_APP}.csproj functions/${FUNCTION_APP}/
# The runtime identifier and PublishReadyToRun must be the same as in the publish below, or restore would not
# bring the packs that publish needs and --no-restore would fail.
RUN dotnet restore functions/${FUNCTION_APP}/Plant.${FUNCTION_APP}.csproj -r linux-x64 -p:PublishReadyToRun=true

COPY host.json ./
COPY shared/ shared/
COPY functions/${FUNCTION_APP}/ functions/${FUNCTION_APP}/
# ReadyToRun: the assemblies carry precompiled code, so a cold start (scale from zero) does not wait for the JIT.
# Framework-dependent (--self-contained false): the runtime comes from the aspnet base image, a layer shared by
# every app's image and kept patched by its own tag.
# The apphost (Plant.<App>, an executable that runs Plant.<App>.dll from its own folder) is renamed to one fixed
# name, so that the exec-form ENTRYPOINT below is the same for every app: exec form expands no build argument.
RUN dotnet publish functions/${FUNCTION_APP} -c Release -r linux-x64 -p:PublishReadyToRun=true --self-contained false \
        --no-restore -o /app \
    && mv /app/Plant.${FUNCTION_APP} /app/function-app

FROM mcr.microsoft.com/dotnet/aspnet:${DOTNET_VERSION} AS runtime
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
