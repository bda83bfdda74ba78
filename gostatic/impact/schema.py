"""The pprof message types (`profile.proto`), built at import time as a descriptor of our own.

Why a hand-built descriptor rather than generated code: no file generated from or copied out of Google's
`profile.proto` is kept in the tree, no `protoc` is needed at build time, and only the fields gostatic
reads are declared (the parser skips the others, as protobuf does for unknown fields). The field numbers
are the format's, which is stable. Strings are declared `bytes` so that a profile with a symbol that is
not valid UTF-8 still loads (proto3 `string` fields are validated); `pprof.read` decodes them."""

from __future__ import annotations

from typing import Any

from google.protobuf import descriptor_pb2, descriptor_pool, message_factory

_F = descriptor_pb2.FieldDescriptorProto
_INT64, _UINT64, _BYTES, _BOOL, _MSG = (
    _F.TYPE_INT64,
    _F.TYPE_UINT64,
    _F.TYPE_BYTES,
    _F.TYPE_BOOL,
    _F.TYPE_MESSAGE,
)
_ONE, _MANY = _F.LABEL_OPTIONAL, _F.LABEL_REPEATED

# message -> (field name, number, type, label, message type name)
_MESSAGES: dict[str, list[tuple[str, int, int, int, str]]] = {
    "ValueType": [("type", 1, _INT64, _ONE, ""), ("unit", 2, _INT64, _ONE, "")],
    "Sample": [("location_id", 1, _UINT64, _MANY, ""), ("value", 2, _INT64, _MANY, "")],
    "Line": [("function_id", 1, _UINT64, _ONE, ""), ("line", 2, _INT64, _ONE, "")],
    "Location": [
        ("id", 1, _UINT64, _ONE, ""),
        ("address", 3, _UINT64, _ONE, ""),
        ("line", 4, _MSG, _MANY, "Line"),
    ],
    "Function": [
        ("id", 1, _UINT64, _ONE, ""),
        ("name", 2, _INT64, _ONE, ""),
        ("system_name", 3, _INT64, _ONE, ""),
        ("filename", 4, _INT64, _ONE, ""),
        ("start_line", 5, _INT64, _ONE, ""),
    ],
    "Profile": [
        ("sample_type", 1, _MSG, _MANY, "ValueType"),
        # each sample kept as its encoded bytes: `pprof.parse` decodes them all in one call (see there)
        ("sample", 2, _BYTES, _MANY, ""),
        ("location", 4, _MSG, _MANY, "Location"),
        ("function", 5, _MSG, _MANY, "Function"),
        ("string_table", 6, _BYTES, _MANY, ""),
        ("time_nanos", 9, _INT64, _ONE, ""),
        ("duration_nanos", 10, _INT64, _ONE, ""),
        ("period_type", 11, _MSG, _ONE, "ValueType"),
        ("period", 12, _INT64, _ONE, ""),
        ("default_sample_type", 14, _INT64, _ONE, ""),
    ],
    # Views for reading (see pprof.py): the same bytes declared so that upb hands whole tables over in a
    # few containers instead of one Python wrapper per location and line.
    "ProfileView": [
        ("sample_type", 1, _MSG, _MANY, "ValueType"),
        ("sample", 2, _BYTES, _MANY, ""),
        ("location", 4, _BYTES, _MANY, ""),  # each Location kept encoded
        ("function", 5, _MSG, _MANY, "Function"),
        ("string_table", 6, _BYTES, _MANY, ""),
        ("period_type", 11, _MSG, _ONE, "ValueType"),
        ("default_sample_type", 14, _INT64, _ONE, ""),
    ],
    # Every Location of the profile concatenated: `id` collects their ids in order, and `line` is declared
    # a packed repeated varint field, so each Line's body (varint fields only: function_id, line, column)
    # comes out as its tags and values, one after the other: 8, function id, 16, line, ...
    "LocationBatch": [
        ("id", 1, _UINT64, _MANY, ""),
        ("mapping_id", 2, _UINT64, _MANY, ""),
        ("address", 3, _UINT64, _MANY, ""),
        ("line", 4, _UINT64, _MANY, ""),
        ("is_folded", 5, _UINT64, _MANY, ""),
    ],
}
_PACKAGE = "gostatic.pprof"


def _build() -> dict[str, Any]:
    fd = descriptor_pb2.FileDescriptorProto(name="gostatic_pprof.proto", package=_PACKAGE, syntax="proto3")
    for name, fields in _MESSAGES.items():
        msg = fd.message_type.add(name=name)
        for fname, number, ftype, label, type_name in fields:
            f = msg.field.add(name=fname, number=number, type=ftype, label=label)
            if type_name:
                f.type_name = f".{_PACKAGE}.{type_name}"
    pool = descriptor_pool.DescriptorPool()
    pool.Add(fd)
    return {
        name: message_factory.GetMessageClass(pool.FindMessageTypeByName(f"{_PACKAGE}.{name}"))
        for name in _MESSAGES
    }


MESSAGES = _build()
Profile = MESSAGES["Profile"]
