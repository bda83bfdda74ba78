// Benchmarks of the bad and good examples of every cost rule (issue 12, part 5). Standard library only,
// except SER006's protobuf import, replaced by the local stand-in under stubs/ (no module proxy here).
module gostatic.bench/claims

go 1.27

require google.golang.org/protobuf v1.36.0

replace google.golang.org/protobuf => ./stubs/protobuf
