"""The pprof message types (`profile.proto`), built at import time as a descriptor of our own.

Why a hand-built descriptor rather than generated code: no file generated from or copied out of Google's
`profile.proto` is kept in the tree, no `protoc` is needed at build time, and only the fields gostatic
reads are declared (the parser skips the others, as protobuf does for unknown fields). The field numbers
are the format's, which is stable. Strings are declared `bytes` so that a profile with a symbol that is
not valid UTF-8 still loads (proto3 `string` fields are validated); `pprof.read` decodes them.

Why the descriptor is encoded here (`encode`) rather than built with `descriptor_pb2`, and added to a
pool of upb's own when protobuf runs on upb (its default backend): importing `descriptor_pb2`,
`descriptor_pool` and `message_factory` loads protobuf's pure-Python machinery (`python_message`,
`text_format`, `decoder`, ...), ~9 ms of the ~20 ms a run with a profile paid to import (issue 12: a 1 MB
profile, imports included, at most 0.1 s). Under upb those modules hand out upb's `DescriptorPool` and
make classes whose metaclass derives from upb's `MessageMeta`; `_upb_classes` uses the two directly.
Under another backend (`PROTOCOL_BUFFERS_PYTHON_IMPLEMENTATION=python`) the classes come from the public
API, from the same bytes (`_public_classes`)."""

from __future__ import annotations

from typing import Any

# descriptor.proto's numbers (part of protobuf's own wire format, stable): FieldDescriptorProto.Type and
# .Label values, and the fields of FileDescriptorProto, DescriptorProto and FieldDescriptorProto written
_INT64, _UINT64, _BOOL, _MSG, _BYTES = 3, 4, 8, 11, 12
_ONE, _MANY = 1, 3
_FILE_NAME, _FILE_PACKAGE, _FILE_MESSAGE, _FILE_SYNTAX = 1, 2, 4, 12
_MESSAGE_NAME, _MESSAGE_FIELD = 1, 2
_FIELD_NAME, _FIELD_NUMBER, _FIELD_LABEL, _FIELD_TYPE, _FIELD_TYPE_NAME = 1, 3, 4, 5, 6

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
# The view a run reads (see pprof.py): the Profile's fields it uses, over the same bytes, each Location
# kept encoded so that upb hands the whole table over in a few containers (`LocationBatch`) instead of
# one Python wrapper per location and line.
_READ = (
    "sample_type",
    "sample",
    "location",
    "function",
    "string_table",
    "period_type",
    "period",
    "default_sample_type",
)


def _view(encoded: tuple[str, ...]) -> list[tuple[str, int, int, int, str]]:
    return [
        (name, number, _BYTES, label, "") if name in encoded else (name, number, ftype, label, type_name)
        for name, number, ftype, label, type_name in _MESSAGES["Profile"]
        if name in _READ
    ]


_MESSAGES["ProfileView"] = _view(encoded=("location",))
_PACKAGE = "gostatic.pprof"
_FILE = "gostatic_pprof.proto"


def varint(n: int) -> bytes:
    """`n` as a protobuf varint (7 bits a byte, low first)."""
    out = bytearray()
    while n > 0x7F:
        out.append(n & 0x7F | 0x80)
        n >>= 7
    out.append(n)
    return bytes(out)


def _len_field(number: int, payload: bytes) -> bytes:
    return varint(number << 3 | 2) + varint(len(payload)) + payload


def _int_field(number: int, value: int) -> bytes:
    return varint(number << 3) + varint(value)


def encode() -> bytes:
    """The serialized FileDescriptorProto of `_MESSAGES` (fields in number order, as protobuf writes
    them: tests/test_impact_load.py checks it against one built with `descriptor_pb2`)."""
    out = _len_field(_FILE_NAME, _FILE.encode()) + _len_field(_FILE_PACKAGE, _PACKAGE.encode())
    for name, fields in _MESSAGES.items():
        message = _len_field(_MESSAGE_NAME, name.encode())
        for fname, number, ftype, label, type_name in fields:
            field = (
                _len_field(_FIELD_NAME, fname.encode())
                + _int_field(_FIELD_NUMBER, number)
                + _int_field(_FIELD_LABEL, label)
                + _int_field(_FIELD_TYPE, ftype)
            )
            if type_name:
                field += _len_field(_FIELD_TYPE_NAME, f".{_PACKAGE}.{type_name}".encode())
            message += _len_field(_MESSAGE_FIELD, field)
        out += _len_field(_FILE_MESSAGE, message)
    return out + _len_field(_FILE_SYNTAX, b"proto3")


def _upb_classes(descriptor: bytes) -> dict[str, Any] | None:
    """The message classes on a pool of upb's, made as `message_factory.GetMessageClass` makes them under
    upb (its metaclass over `message.Message`), or None when protobuf does not run on upb."""
    from google.protobuf.internal import api_implementation

    upb = getattr(api_implementation, "_c_module", None)  # what protobuf's own descriptor.py reads
    if api_implementation.Type() != "upb" or not hasattr(upb, "MessageMeta"):
        return None
    from google.protobuf import message

    pool = upb.DescriptorPool()
    pool.AddSerializedFile(descriptor)
    return {
        name: upb.MessageMeta(
            name,
            (message.Message,),
            {"DESCRIPTOR": pool.FindMessageTypeByName(f"{_PACKAGE}.{name}"), "__module__": None},
        )
        for name in _MESSAGES
    }


def _public_classes(descriptor: bytes) -> dict[str, Any]:
    """The message classes through protobuf's public API, on any backend."""
    from google.protobuf import descriptor_pool, message_factory

    pool = descriptor_pool.DescriptorPool()
    pool.AddSerializedFile(descriptor)
    return {
        name: message_factory.GetMessageClass(pool.FindMessageTypeByName(f"{_PACKAGE}.{name}"))
        for name in _MESSAGES
    }


_DESCRIPTOR = encode()
try:
    _UPB = _upb_classes(_DESCRIPTOR)
except Exception:  # upb's private API changed in a protobuf release: the public API reads the same
    _UPB = None
MESSAGES = _UPB or _public_classes(_DESCRIPTOR)
