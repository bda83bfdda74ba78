// The SER rules on drop-in replacements of encoding/json, whose import paths the standard-library-only
// testdata module cannot fetch (no module proxy): each is replaced by a tiny local stub under stubs/ that
// declares just the API the cases call, so `go vet ./...` here still type-checks the cases.
module gostatic.test/serjson

go 1.27

require (
	github.com/bytedance/sonic v1.12.0
	github.com/goccy/go-json v0.10.3
	github.com/json-iterator/go v1.1.12
	github.com/segmentio/encoding v0.4.0
)

replace (
	github.com/bytedance/sonic => ./stubs/sonic
	github.com/goccy/go-json => ./stubs/gojson
	github.com/json-iterator/go => ./stubs/jsoniter
	github.com/segmentio/encoding => ./stubs/segmentio
)
