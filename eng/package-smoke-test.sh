#!/usr/bin/env bash
# Packs the NuGet packages into a temporary feed, then uses them as a user would, outside the solution:
#  1. installs the server as a .NET tool (dotnet tool install --tool-path) and starts `eventtracker-server`;
#  2. creates a fresh `dotnet new web` app, adds EventTracker.AspNetCore from the feed (plus the machine's normal
#     source), builds and runs it, calls it once, and checks that its request event reached the server;
#  3. checks the packages' target frameworks, and builds one console app on EventTracker.Client from the feed for
#     net8.0, netcoreapp3.1 and net48 (the last two take the netstandard2.0 build); runs the first two on this
#     machine's newer runtime (DOTNET_ROLL_FORWARD=Major): their events must reach the server.
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

# A version of its own, so the NuGet cache never serves an older build of the same number; a stable one (1.0.0.<time>),
# so installing without --version or --prerelease finds it, as a user installing 1.0.0 would (a package version only:
# the assemblies stay 1.0.0.0).
version="1.0.0.$(date +%s)"
feed="$work/feed"
for project in Contracts Client AspNetCore Server; do
  dotnet pack "$root/src/EventTracker.$project" -c Release -o "$feed" -p:PackageVersion="$version" --nologo -v quiet
done
ls "$feed"
frameworks() { unzip -l "$feed/$1.$version.nupkg" | grep -o 'lib/[^/]*/' | sort -u | tr '\n' ' '; }
for package in EventTracker.Contracts EventTracker.Client; do
  [[ "$(frameworks $package)" == "lib/net10.0/ lib/net8.0/ lib/netstandard2.0/ " ]] || { echo "smoke test: $package ships $(frameworks $package)" >&2; exit 1; }
done
[[ "$(frameworks EventTracker.AspNetCore)" == "lib/net10.0/ lib/net8.0/ " ]] || { echo "smoke test: EventTracker.AspNetCore ships $(frameworks EventTracker.AspNetCore)" >&2; exit 1; }

echo "== tool: install and start eventtracker-server"
dotnet tool install EventTracker.Server --tool-path "$work/tools" --add-source "$feed" >/dev/null
dotnet tool list --tool-path "$work/tools" | grep -F "$version" >/dev/null || { echo "smoke test: the tool installed is not $version" >&2; exit 1; }
server_port=$(free_port)
# Started from the work directory, the tool keeps its events in eventtracker-data there, as a user's would.
(cd "$work" && PORT=$server_port exec "$work/tools/eventtracker-server" >"$work/server.log" 2>&1) &
pids+=($!)
wait_for "http://localhost:$server_port/healthz" 60
# The tool carries the browser assets too: the monitor script and the dashboard, bundled with its npm packages.
contains "http://localhost:$server_port/api/monitor.js" LiveMonitor
contains "http://localhost:$server_port/" dashboard.js
contains "http://localhost:$server_port/dashboard.js" uplot

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
builder.Services.AddEventTracking();
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

echo "== console apps on EventTracker.Client from the feed: net8.0 (its net8.0 build), netcoreapp3.1 and net48 (its netstandard2.0 build)"
mkdir "$work/console"
cd "$work/console"
cp "$work/app/nuget.config" .
cat > ConsoleApp.csproj <<'XML'
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFrameworks>net8.0;netcoreapp3.1;net48</TargetFrameworks>
    <LangVersion>latest</LangVersion>
    <Nullable>enable</Nullable>
    <UseAppHost>false</UseAppHost>
    <CheckEolTargetFramework>false</CheckEolTargetFramework>
    <SuppressTfmSupportBuildWarnings>true</SuppressTfmSupportBuildWarnings>
  </PropertyGroup>
</Project>
XML
dotnet add package EventTracker.Client >/dev/null
grep -F "Version=\"$version\"" ConsoleApp.csproj >/dev/null || { echo "smoke test: dotnet add package did not take $version" >&2; exit 1; }
cat > Program.cs <<'CS'
using System;
using System.Threading.Tasks;
using EventTracker.Client;
using EventTracker.Contracts;

internal static class Program
{
    // args: the server, and the service to track under (one per framework, so each run counts only its own events).
    private static async Task<int> Main(string[] args)
    {
        using var client = new EventTrackerClient(new Uri(args[0]), new EventTrackerClientOptions { ServiceName = args[1] });
        var tracker = new BackgroundEventTracker(client);
        for (var i = 0; i < 250; i++)
        {
            tracker.Track("console-event", new AIEventPayload { ResponseTimeMs = i });
        }

        await tracker.FlushAsync();
        await tracker.DisposeAsync();
        var stored = await client.GetEventsPageAsync(new EventQuery { ServiceName = args[1], Limit = 1 });
        Console.WriteLine($"sent {tracker.SentCount}, dropped {tracker.DroppedCount}, stored {stored.Filtered} on {System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}");
        return stored.Filtered == 250 ? 0 : 1;
    }
}
CS
dotnet build -c Release --nologo -v quiet
# .NET Framework cannot run here: its build shows the package installs and compiles there.
[[ -f bin/Release/net48/ConsoleApp.exe && -f bin/Release/net48/EventTracker.Client.dll ]] || { echo "smoke test: the net48 app did not build" >&2; exit 1; }
for framework in net8.0 netcoreapp3.1; do
  DOTNET_ROLL_FORWARD=Major dotnet "bin/Release/$framework/ConsoleApp.dll" "http://localhost:$server_port" "console-$framework" | tee "$work/$framework.log"
  grep -F "stored 250" "$work/$framework.log" >/dev/null
done

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
