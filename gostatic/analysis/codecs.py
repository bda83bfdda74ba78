"""Serializers that copy the standard library's API: which calls are `json.Marshal` or `proto.Marshal`
under another import path, and how to spell the streaming alternative for each.

The SER rules reason about `encoding/json`'s contract (Marshal returns a fresh []byte, NewEncoder streams
to a writer). json-iterator, goccy/go-json, bytedance/sonic and segmentio/encoding/json keep that contract
function for function, as drop-in replacements, and so do the config values of json-iterator and sonic
(`var json = jsoniter.ConfigCompatibleWithStandardLibrary`, then `json.Marshal(v)`): the rules ask here
instead of comparing against one import path.
"""

from __future__ import annotations

JSONITER = "github.com/json-iterator/go"
SONIC = "github.com/bytedance/sonic"

# import paths whose package-level Marshal/Unmarshal/NewEncoder/NewDecoder are encoding/json's
JSON_PACKAGES = (
    "encoding/json",
    JSONITER,
    "github.com/goccy/go-json",
    SONIC,
    "github.com/segmentio/encoding/json",
)
# interface types whose methods are the same API (the frozen configs of json-iterator and sonic)
JSON_API_TYPES = (f"{JSONITER}.API", f"{SONIC}.API")

PROTO_PACKAGES = (
    "google.golang.org/protobuf/proto",
    "github.com/golang/protobuf/proto",
    "github.com/gogo/protobuf/proto",
)


def json_function(target: str | None) -> str | None:
    """`Marshal` for a call target that is the standard JSON API's Marshal under any of these packages or
    config values (`github.com/goccy/go-json.Marshal`, `github.com/json-iterator/go.API.Marshal`); the
    function's name likewise for the other functions; None for anything else."""
    if target is None:
        return None
    head, _, name = target.rpartition(".")
    return name if head in JSON_PACKAGES or head in JSON_API_TYPES else None


def stream_base(target: str, spelled: str) -> str:
    """What `NewEncoder`/`NewDecoder` is called on, given how the Marshal or Unmarshal call spelled its
    package or config value: sonic has no package-level NewEncoder/NewDecoder, its default config does."""
    if target.rpartition(".")[0] == SONIC:
        return f"{spelled}.ConfigDefault"
    return spelled
