#!/usr/bin/env bash
# Packs the NuGet packages into a temporary feed, then uses them as a user would, outside the solution:
#  1. installs the server as a .NET tool (dotnet tool install --tool-path) and starts `eventtracker-server`;
#  2. creates a fresh `dotnet new web` app, adds EventTracker.AspNetCore from the feed (plus the machine's normal
#     source), builds and runs it, calls it once, and checks that its request event reached the server;
#  3. checks the packages' target frameworks, and builds a net8.0 console app on EventTracker.Client from the feed and
#     runs it (on this machine's newer runtime, DOTNET_ROLL_FORWARD=Major): its events must reach the server;
#  4. builds a console app for net48 and netcoreapp3.1, which take the netstandard2.0 build, and runs the latter the
#     same way (.NET Framework itself cannot run here; its build shows the package installs and compiles there).
# Loopback only; everything it starts is stopped on exit.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
# grep reads all of curl's output (no -q), so curl never dies of SIGPIPE under pipefail.
contains() { curl -fs "$1" | grep -F -- "$2" >/dev/null; } # url, text
wait_for() { # url, seconds
  for _ in $(seq 1 "$2"); do curl -fs "$1" >/dev/null 2>&1 && return 0; sleep 1; done
  echo "smoke test: $1 did not answer in $2 s" >&2; return 1
}

# A version of its own, so the NuGet cache never serves an older build of the same number.
version="0.2.0-smoke.$(date +%s)"
feed="$work/feed"
for project in Contracts Client AspNetCore Server; do
  dotnet pack "$root/src/EventTracker.$project" -c Release -o "$feed" -p:Version="$version" --nologo -v quiet
done
ls "$feed"
frameworks() { unzip -l "$feed/$1.$version.nupkg" | grep -o 'lib/[^/]*/' | sort -u | tr '\n' ' '; }
for package in EventTracker.Contracts EventTracker.Client; do
  [[ "$(frameworks $package)" == "lib/net10.0/ lib/net8.0/ lib/netstandard2.0/ " ]] || { echo "smoke test: $package ships $(frameworks $package)" >&2; exit 1; }
done
[[ "$(frameworks EventTracker.AspNetCore)" == "lib/net10.0/ lib/net8.0/ " ]] || { echo "smoke test: EventTracker.AspNetCore ships $(frameworks EventTracker.AspNetCore)" >&2; exit 1; }

echo "== tool: install and start eventtracker-server"
dotnet tool install EventTracker.Server --version "$version" --tool-path "$work/tools" --add-source "$feed" >/dev/null
server_port=$(free_port)
# Started from the work directory, the tool keeps its events in eventtracker-data there, as a user's would.
(cd "$work" && PORT=$server_port exec "$work/tools/eventtracker-server" >"$work/server.log" 2>&1) &
pids+=($!)
wait_for "http://localhost:$server_port/healthz" 60
# The tool carries the browser assets too: the monitor script and the dashboard with its npm-installed chart library.
contains "http://localhost:$server_port/api/monitor.js" LiveMonitor
contains "http://localhost:$server_port/" uPlot.iife.min.js
contains "http://localhost:$server_port/vendor/uPlot.iife.min.js" uPlot

echo "== app: dotnet new web + EventTracker.AspNetCore from the feed"
mkdir "$work/app"
cd "$work/app"
dotnet new web --name SmokeApp --output . >/dev/null
cat > nuget.config <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <add key="eventtracker-local" value="$feed" />
  </packageSources>
</configuration>
XML
dotnet add package EventTracker.AspNetCore --version "$version" >/dev/null
cat > Program.cs <<'CS'
var builder = WebApplication.CreateBuilder(args);
builder.Services.AddEventTracker(o =>
{
    o.BaseAddress = new Uri(Environment.GetEnvironmentVariable("TRACKER_URL")!);
    o.ServiceName = "smoke-app";
    o.FlushInterval = TimeSpan.FromMilliseconds(200);
});
var app = builder.Build();
app.UseEventTracking();
app.MapGet("/hello/{name}", (string name) => $"Hello {name}");
app.Run();
CS
dotnet build -c Release --nologo -v quiet
app_port=$(free_port)
TRACKER_URL="http://localhost:$server_port" dotnet bin/Release/net10.0/SmokeApp.dll --urls "http://127.0.0.1:$app_port" >"$work/app.log" 2>&1 &
pids+=($!)
wait_for "http://127.0.0.1:$app_port/hello/ready" 60
curl -fs "http://127.0.0.1:$app_port/hello/world" >/dev/null

echo "== net8.0 console: EventTracker.Client from the feed"
mkdir "$work/net8"
cd "$work/net8"
cp "$work/app/nuget.config" .
cat > Net8App.csproj <<'XML'
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net8.0</TargetFramework>
    <ImplicitUsings>enable</ImplicitUsings>
    <Nullable>enable</Nullable>
  </PropertyGroup>
</Project>
XML
dotnet add package EventTracker.Client --version "$version" >/dev/null
cat > Program.cs <<'CS'
using EventTracker.Client;
using EventTracker.Contracts;

var client = new EventTrackerClient(new Uri(args[0]), new EventTrackerClientOptions { ServiceName = "net8-app" });
await using (var tracker = new BackgroundEventTracker(client))
{
    for (var i = 0; i < 250; i++)
    {
        tracker.Track("net8-event", new AIEventPayload { ResponseTimeMs = i });
    }

    await tracker.FlushAsync();
    Console.WriteLine($"sent {tracker.SentCount}, dropped {tracker.DroppedCount}, failed {tracker.FailedCount}");
}

var stored = await client.GetEventsAsync(new EventQuery { ServiceName = "net8-app", Limit = 1 });
Console.WriteLine($"stored {stored.Filtered} on {System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}");
return stored.Filtered == 250 ? 0 : 1;
CS
dotnet build -c Release --nologo -v quiet
DOTNET_ROLL_FORWARD=Major dotnet bin/Release/net8.0/Net8App.dll "http://localhost:$server_port" | tee "$work/net8.log"
grep -F "stored 250" "$work/net8.log" >/dev/null

echo "== net48 and netcoreapp3.1 console: the netstandard2.0 build of EventTracker.Client"
mkdir "$work/standard"
cd "$work/standard"
cp "$work/app/nuget.config" .
cat > StandardApp.csproj <<'XML'
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFrameworks>net48;netcoreapp3.1</TargetFrameworks>
    <LangVersion>latest</LangVersion>
    <Nullable>enable</Nullable>
    <UseAppHost>false</UseAppHost>
    <CheckEolTargetFramework>false</CheckEolTargetFramework>
    <SuppressTfmSupportBuildWarnings>true</SuppressTfmSupportBuildWarnings>
  </PropertyGroup>
</Project>
XML
dotnet add package EventTracker.Client --version "$version" >/dev/null
cat > Program.cs <<'CS'
using System;
using System.Threading.Tasks;
using EventTracker.Client;
using EventTracker.Contracts;

internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        var client = new EventTrackerClient(new Uri(args[0]), new EventTrackerClientOptions { ServiceName = "standard-app" });
        var tracker = new BackgroundEventTracker(client);
        for (var i = 0; i < 120; i++)
        {
            tracker.Track("standard-event", new AIEventPayload { ResponseTimeMs = i });
        }

        await tracker.FlushAsync();
        await tracker.DisposeAsync();
        var stored = await client.GetEventsAsync(new EventQuery { ServiceName = "standard-app", Limit = 1 });
        Console.WriteLine($"sent {tracker.SentCount}, stored {stored.Filtered} on {System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}");
        return stored.Filtered == 120 ? 0 : 1;
    }
}
CS
dotnet build -c Release --nologo -v quiet
[[ -f bin/Release/net48/StandardApp.exe && -f bin/Release/net48/EventTracker.Client.dll ]] || { echo "smoke test: the net48 app did not build" >&2; exit 1; }
DOTNET_ROLL_FORWARD=Major dotnet bin/Release/netcoreapp3.1/StandardApp.dll "http://localhost:$server_port" | tee "$work/standard.log"
grep -F "stored 120" "$work/standard.log" >/dev/null

for _ in $(seq 1 30); do
  if contains "http://localhost:$server_port/api/events?serviceName=smoke-app&limit=1000" '"path":"/hello/world"'; then
    contains "http://localhost:$server_port/api/events?serviceName=smoke-app&limit=1" '"route":"/hello/{name}"'
    if ! compgen -G "$work/eventtracker-data/*.log" >/dev/null; then
      echo "smoke test: the tool kept no event log in eventtracker-data under its working directory" >&2
      exit 1
    fi
    echo "smoke test: packages install (netstandard2.0, net8.0, net10.0), the tool starts, the app's request event and the net8.0 and netstandard2.0 apps' events arrived and are in the tool's data directory"
    exit 0
  fi
  sleep 1
done
echo "smoke test: the app's request event never reached the server" >&2
cat "$work/app.log" >&2
exit 1
