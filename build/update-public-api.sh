#!/usr/bin/env bash
# Records changes to the runtime's public surface in src/Runtime/PublicAPI.Unshipped.txt (RS0016/RS0017),
# so that a review sees every added or removed public member. Run it after changing the public API,
# then read the diff of PublicAPI.Unshipped.txt before committing. At a release, move its lines to
# PublicAPI.Shipped.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet format analyzers src/Runtime/Annotated.WebSockets.csproj --diagnostics RS0016 RS0017 --severity info
