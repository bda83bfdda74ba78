"""What the standard library's well-known functions and methods return, spelled as in `types.parse_type`.

Only results that a rule needs to reason about are listed; everything else stays unknown, which makes
rules say nothing. Keys are `importpath.Func` for functions and `importpath.Type.Method` for methods.
"""

from __future__ import annotations

from functools import cache

from gostatic.analysis.types import GoType, parse_type

_FUNCTIONS: dict[str, str] = {
    # time
    "time.NewTicker": "*time.Ticker",
    "time.NewTimer": "*time.Timer",
    "time.AfterFunc": "*time.Timer",
    "time.After": "<-chan time.Time",
    "time.Tick": "<-chan time.Time",
    "time.Now": "time.Time",
    "time.Since": "time.Duration",
    "time.Until": "time.Duration",
    "time.Duration": "time.Duration",
    "time.ParseDuration": "(time.Duration, error)",
    # context
    "context.Background": "context.Context",
    "context.TODO": "context.Context",
    "context.WithValue": "context.Context",
    "context.WithoutCancel": "context.Context",
    "context.WithCancel": "(context.Context, context.CancelFunc)",
    "context.WithTimeout": "(context.Context, context.CancelFunc)",
    "context.WithDeadline": "(context.Context, context.CancelFunc)",
    "context.WithCancelCause": "(context.Context, context.CancelCauseFunc)",
    "context.WithTimeoutCause": "(context.Context, context.CancelFunc)",
    "context.WithDeadlineCause": "(context.Context, context.CancelFunc)",
    # bytes / strings
    "bytes.NewBuffer": "*bytes.Buffer",
    "bytes.NewBufferString": "*bytes.Buffer",
    "bytes.NewReader": "*bytes.Reader",
    "bytes.Clone": "[]byte",
    "bytes.Split": "[][]byte",
    "bytes.Fields": "[][]byte",
    "bytes.TrimSpace": "[]byte",
    "bytes.ToLower": "[]byte",
    "bytes.ToUpper": "[]byte",
    "bytes.Join": "[]byte",
    "bytes.Repeat": "[]byte",
    "strings.NewReader": "*strings.Reader",
    "strings.NewReplacer": "*strings.Replacer",
    "strings.Split": "[]string",
    "strings.SplitN": "[]string",
    "strings.SplitAfter": "[]string",
    "strings.Fields": "[]string",
    "strings.FieldsFunc": "[]string",
    "strings.Join": "string",
    "strings.Repeat": "string",
    "strings.Replace": "string",
    "strings.ReplaceAll": "string",
    "strings.ToLower": "string",
    "strings.ToUpper": "string",
    "strings.TrimSpace": "string",
    "strings.Trim": "string",
    "strings.TrimPrefix": "string",
    "strings.TrimSuffix": "string",
    "strings.TrimLeft": "string",
    "strings.TrimRight": "string",
    "strings.Title": "string",
    "strings.Clone": "string",
    "strings.Index": "int",
    "strings.LastIndex": "int",
    "strings.IndexByte": "int",
    "strings.Count": "int",
    "strings.Compare": "int",
    "strings.Contains": "bool",
    "strings.HasPrefix": "bool",
    "strings.HasSuffix": "bool",
    "strings.EqualFold": "bool",
    "strings.Cut": "(string, string, bool)",
    # strconv / fmt / errors
    "strconv.Itoa": "string",
    "strconv.Quote": "string",
    "strconv.FormatInt": "string",
    "strconv.FormatUint": "string",
    "strconv.FormatFloat": "string",
    "strconv.FormatBool": "string",
    "strconv.Atoi": "(int, error)",
    "strconv.ParseInt": "(int64, error)",
    "strconv.ParseUint": "(uint64, error)",
    "strconv.ParseFloat": "(float64, error)",
    "strconv.ParseBool": "(bool, error)",
    "strconv.AppendInt": "[]byte",
    "strconv.AppendQuote": "[]byte",
    "fmt.Sprintf": "string",
    "fmt.Sprint": "string",
    "fmt.Sprintln": "string",
    "fmt.Errorf": "error",
    "fmt.Appendf": "[]byte",
    "fmt.Append": "[]byte",
    "errors.New": "error",
    "errors.Join": "error",
    "errors.Unwrap": "error",
    "errors.Is": "bool",
    # io / os / encoding
    "io.ReadAll": "([]byte, error)",
    "io.WriteString": "(int, error)",
    "fmt.Fprint": "(int, error)",
    "fmt.Fprintf": "(int, error)",
    "fmt.Fprintln": "(int, error)",
    "io/ioutil.ReadAll": "([]byte, error)",
    "io/ioutil.ReadFile": "([]byte, error)",
    "os.ReadFile": "([]byte, error)",
    "os.Open": "(*os.File, error)",
    "os.Create": "(*os.File, error)",
    "os.OpenFile": "(*os.File, error)",
    "os.Getenv": "string",
    "encoding/json.Marshal": "([]byte, error)",
    "encoding/json.MarshalIndent": "([]byte, error)",
    "encoding/json.NewEncoder": "*encoding/json.Encoder",
    "encoding/json.NewDecoder": "*encoding/json.Decoder",
    "encoding/xml.Marshal": "([]byte, error)",
    "google.golang.org/protobuf/proto.Marshal": "([]byte, error)",
    "github.com/golang/protobuf/proto.Marshal": "([]byte, error)",
    "github.com/gogo/protobuf/proto.Marshal": "([]byte, error)",
    # drop-in replacements of encoding/json (see codecs.py)
    **{
        f"{pkg}.{name}": spec
        for pkg in (
            "github.com/json-iterator/go",
            "github.com/goccy/go-json",
            "github.com/bytedance/sonic",
            "github.com/segmentio/encoding/json",
        )
        for name, spec in (("Marshal", "([]byte, error)"), ("MarshalIndent", "([]byte, error)"))
    },
    "encoding/hex.EncodeToString": "string",
    "encoding/base64.StdEncoding.EncodeToString": "string",
    "bufio.NewReader": "*bufio.Reader",
    "bufio.NewWriter": "*bufio.Writer",
    "bufio.NewScanner": "*bufio.Scanner",
    # sync / reflect / runtime / net
    "reflect.ValueOf": "reflect.Value",
    "reflect.TypeOf": "reflect.Type",
    "reflect.PointerTo": "reflect.Type",
    "reflect.PtrTo": "reflect.Type",
    "reflect.New": "reflect.Value",
    "reflect.MakeSlice": "reflect.Value",
    "reflect.MakeMap": "reflect.Value",
    "reflect.MakeFunc": "reflect.Value",
    "net/http.NewRequest": "(*net/http.Request, error)",
    "net/http.NewRequestWithContext": "(*net/http.Request, error)",
    "net/http.Get": "(*net/http.Response, error)",
    "net.Dial": "(net.Conn, error)",
    "net.Listen": "(net.Listener, error)",
    "sync.OnceFunc": "func",
    "math.Sqrt": "float64",
    "math.Abs": "float64",
    "math.Floor": "float64",
    "math.Ceil": "float64",
    "math.Max": "float64",
    "math.Min": "float64",
    "math.MaxInt": "untyped",
    "unsafe.Sizeof": "uintptr",
    "unsafe.Pointer": "unsafe.Pointer",
}

_METHODS: dict[str, str] = {
    "bytes.Buffer.Bytes": "[]byte",
    "bytes.Buffer.Write": "(int, error)",
    "bytes.Buffer.WriteString": "(int, error)",
    "bufio.Writer.Write": "(int, error)",
    "bufio.Writer.WriteString": "(int, error)",
    "strings.Builder.Write": "(int, error)",
    "strings.Builder.WriteString": "(int, error)",
    "os.File.Write": "(int, error)",
    "os.File.WriteString": "(int, error)",
    "io.Writer.Write": "(int, error)",
    "net/http.ResponseWriter.Write": "(int, error)",
    "bytes.Buffer.String": "string",
    "bytes.Buffer.Len": "int",
    "bytes.Buffer.Cap": "int",
    "strings.Builder.String": "string",
    "strings.Builder.Len": "int",
    "strings.Builder.Cap": "int",
    "sync.Pool.Get": "any",
    "context.Context.Value": "any",
    "context.Context.Done": "<-chan struct",
    "context.Context.Err": "error",
    "time.Time.Sub": "time.Duration",
    "time.Time.Unix": "int64",
    "time.Time.UnixNano": "int64",
    "time.Time.Format": "string",
    "time.Time.Add": "time.Time",
    "time.Duration.Seconds": "float64",
    "time.Duration.String": "string",
    "reflect.Value.Call": "[]reflect.Value",
    "reflect.Value.CallSlice": "[]reflect.Value",
    "reflect.Value.MethodByName": "reflect.Value",
    "reflect.Value.Interface": "any",
    "reflect.Value.Type": "reflect.Type",
    "reflect.Type.Elem": "reflect.Type",
    "reflect.Type.Key": "reflect.Type",
    "reflect.Type.In": "reflect.Type",
    "reflect.Type.Out": "reflect.Type",
    "reflect.Type.Kind": "reflect.Kind",
    "reflect.Value.Kind": "reflect.Kind",
    "reflect.Value.Int": "int64",
    "reflect.Value.String": "string",
    "net/http.Request.Context": "context.Context",
    "net/http.Request.FormValue": "string",
    "encoding/json.Encoder.Encode": "error",
    "github.com/json-iterator/go.API.Marshal": "([]byte, error)",
    "github.com/json-iterator/go.API.MarshalIndent": "([]byte, error)",
    "github.com/json-iterator/go.Config.Froze": "github.com/json-iterator/go.API",
    "github.com/bytedance/sonic.API.Marshal": "([]byte, error)",
    "github.com/bytedance/sonic.API.MarshalIndent": "([]byte, error)",
    "github.com/bytedance/sonic.Config.Froze": "github.com/bytedance/sonic.API",
    "encoding/json.Decoder.Decode": "error",
    "bufio.Scanner.Text": "string",
    "bufio.Scanner.Bytes": "[]byte",
    "os.File.Close": "error",
}

_FIELDS: dict[str, str] = {
    "time.Ticker.C": "<-chan time.Time",
    "time.Timer.C": "<-chan time.Time",
    "net/http.Request.Body": "io.ReadCloser",
    "net/http.Request.URL": "*net/url.URL",
    "net/http.Request.Header": "net/http.Header",
    "net/http.Response.Body": "io.ReadCloser",
    "net/http.Response.StatusCode": "int",
}

# Package-level variables of the standard library (and of the drop-in JSON packages, see codecs.py) whose
# type a rule needs: `io.EOF` is an error, `os.Stdout` an *os.File.
_VARIABLES: dict[str, str] = {
    **{
        f"{pkg}.{name}": "error"
        for pkg, names in (
            ("io", ("EOF", "ErrUnexpectedEOF", "ErrShortWrite", "ErrShortBuffer", "ErrClosedPipe", "ErrNoProgress")),
            ("os", ("ErrNotExist", "ErrExist", "ErrPermission", "ErrClosed", "ErrDeadlineExceeded", "ErrInvalid")),
            ("io/fs", ("ErrNotExist", "ErrExist", "ErrPermission", "ErrClosed", "ErrInvalid")),
            ("context", ("Canceled", "DeadlineExceeded")),
            ("errors", ("ErrUnsupported",)),
            ("net/http", ("ErrServerClosed", "ErrNoCookie", "ErrHandlerTimeout", "ErrAbortHandler", "ErrBodyNotAllowed")),
            ("net", ("ErrClosed",)),
            ("database/sql", ("ErrNoRows", "ErrTxDone", "ErrConnDone")),
            ("bufio", ("ErrTooLong", "ErrBufferFull", "ErrNegativeCount")),
            ("strconv", ("ErrRange", "ErrSyntax")),
        )
        for name in names
    },
    "os.Stdout": "*os.File",
    "os.Stderr": "*os.File",
    "os.Stdin": "*os.File",
    "os.Args": "[]string",
    "io.Discard": "io.Writer",
    "time.UTC": "*time.Location",
    "time.Local": "*time.Location",
    "net/http.DefaultClient": "*net/http.Client",
    "net/http.DefaultServeMux": "*net/http.ServeMux",
    "encoding/base64.StdEncoding": "*encoding/base64.Encoding",
    "encoding/base64.URLEncoding": "*encoding/base64.Encoding",
    "encoding/base64.RawStdEncoding": "*encoding/base64.Encoding",
    "encoding/base64.RawURLEncoding": "*encoding/base64.Encoding",
    **{
        f"github.com/json-iterator/go.{name}": "github.com/json-iterator/go.API"
        for name in ("ConfigDefault", "ConfigCompatibleWithStandardLibrary", "ConfigFastest")
    },
    **{
        f"github.com/bytedance/sonic.{name}": "github.com/bytedance/sonic.API"
        for name in ("ConfigDefault", "ConfigStd", "ConfigFastest")
    },
}  # fmt: skip

# Interfaces and other reference-like named types of the standard library (converting them to `any`
# does not allocate, and they are never "value" types for the boxing rules).
INTERFACE_TYPES = frozenset(
    {
        "context.Context",
        "io.Reader",
        "io.Writer",
        "io.ReadCloser",
        "io.WriteCloser",
        "io.ReadWriter",
        "io.Closer",
        "net.Conn",
        "net.Listener",
        "net/http.ResponseWriter",
        "net/http.Handler",
        "reflect.Type",
        "error",
        "any",
        "fmt.Stringer",
        "sort.Interface",
        "hash.Hash",
    }
)
# io.Writers of the standard library. Interfaces (and net.Conn) are used as they are; struct types have
# pointer-receiver Write methods, so a value of such a type is passed as `&x`. WRITE_STRING_TYPES also have
# a `WriteString(string) (int, error)` method.
WRITER_INTERFACES = frozenset(
    {
        "io.Writer",
        "io.WriteCloser",
        "io.ReadWriter",
        "io.ReadWriteCloser",
        "io.WriteSeeker",
        "io.ReadWriteSeeker",
        "net/http.ResponseWriter",
        "net.Conn",
        "hash.Hash",
        "hash.Hash32",
        "hash.Hash64",
    }
)
WRITER_STRUCTS = frozenset(
    {
        "bytes.Buffer",
        "bufio.Writer",
        "bufio.ReadWriter",
        "strings.Builder",
        "os.File",
        "io.PipeWriter",
        "compress/gzip.Writer",
        "compress/flate.Writer",
        "compress/zlib.Writer",
        "net.TCPConn",
        "net.UDPConn",
        "net.UnixConn",
        "text/tabwriter.Writer",
    }
)
WRITE_STRING_TYPES = frozenset({"bytes.Buffer", "bufio.Writer", "strings.Builder", "os.File"})

# Named standard-library value types (neither pointer-shaped nor interfaces) -> size in bytes; converting
# one to an interface copies it to the heap unless it is one byte wide.
VALUE_TYPES: dict[str, int] = {
    "time.Duration": 8,
    "time.Time": 24,
    "time.Month": 8,
    "time.Weekday": 8,
    "os.FileMode": 4,
    "io/fs.FileMode": 4,
    "reflect.Kind": 8,
    "reflect.Value": 24,
    "net.IP": 24,
    "net.IPMask": 24,
    "net/netip.Addr": 24,
    "net/netip.AddrPort": 32,
    "net/netip.Prefix": 32,
    "math/big.Word": 8,
    "encoding/json.RawMessage": 24,
    "encoding/json.Number": 16,
}

# `...any` print-style functions and methods: name -> index of the first variadic argument.
VARIADIC_ANY: dict[str, int] = {
    **{f"fmt.{n}": 0 for n in ("Print", "Println", "Sprint", "Sprintln")},
    **{f"fmt.{n}": 1 for n in ("Printf", "Sprintf", "Errorf", "Fprint", "Fprintln", "Append", "Appendln")},
    **{f"fmt.{n}": 2 for n in ("Fprintf", "Appendf")},
    **{f"log.{n}": 0 for n in ("Print", "Println")},
    "log.Printf": 1,
    **{f"log.Logger.{n}": 0 for n in ("Print", "Println")},
    "log.Logger.Printf": 1,
    **{f"log/slog.{n}": 1 for n in ("Debug", "Info", "Warn", "Error")},
    **{f"log/slog.{n}Context": 2 for n in ("Debug", "Info", "Warn", "Error")},
    **{f"log/slog.Logger.{n}": 1 for n in ("Debug", "Info", "Warn", "Error", "With")},
    **{f"log/slog.Logger.{n}Context": 2 for n in ("Debug", "Info", "Warn", "Error")},
    "log/slog.Log": 3,
    "log/slog.Logger.Log": 3,
    "log/slog.Group": 1,
    "log/slog.With": 0,
}

# Named standard-library types whose underlying type is a func, map, chan or pointer.
REFERENCE_TYPES = frozenset(
    {
        "context.CancelFunc",
        "context.CancelCauseFunc",
        "net/http.HandlerFunc",
        "net/http.Header",
        "unsafe.Pointer",
        "net/url.Values",
    }
)


# Standard-library types with a Reset method (type -> True when Reset takes no argument): what the pool
# rules accept as "the object was reset" and can insert as a fix.
RESETTABLE_TYPES: dict[str, bool] = {
    "bytes.Buffer": True,
    "strings.Builder": True,
    "bytes.Reader": False,
    "strings.Reader": False,
    "bufio.Reader": False,
    "bufio.Writer": False,
    "compress/gzip.Writer": False,
    "compress/gzip.Reader": False,
    "compress/flate.Writer": False,
    "compress/zlib.Writer": False,
}


# Exported constants of standard-library packages (exact names, and name prefixes of constant families):
# a conversion or comparison involving them folds at compile time (`switch runtime.GOOS`).
_CONSTANTS = frozenset(
    {
        "runtime.GOOS", "runtime.GOARCH", "runtime.Compiler", "os.PathSeparator", "os.PathListSeparator",
        "os.DevNull", "io.SeekStart", "io.SeekCurrent", "io.SeekEnd", "strconv.IntSize", "math.Pi", "math.E",
        "math.MaxInt", "math.MinInt", "math.MaxUint", "math.MaxFloat64", "math.MaxFloat32",
        "math.SmallestNonzeroFloat64", "time.Nanosecond", "time.Microsecond", "time.Millisecond",
        "time.Second", "time.Minute", "time.Hour", "time.RFC3339", "time.RFC3339Nano", "time.RFC1123",
        "time.Kitchen", "time.DateTime", "time.DateOnly", "time.TimeOnly", "unicode/utf8.RuneError",
        "unicode/utf8.UTFMax", "unicode/utf8.RuneSelf", "unicode/utf8.MaxRune", "unicode.MaxRune",
        "unicode.ReplacementChar", "unicode.MaxASCII", "unicode.MaxLatin1",
    }
)  # fmt: skip
_CONSTANT_PREFIXES = (
    "math.MaxInt", "math.MinInt", "math.MaxUint", "net/http.Status", "net/http.Method", "os.O_", "os.Mode",
    "io/fs.Mode", "syscall.O_", "syscall.SIG",
)  # fmt: skip
_NOT_CONSTANT = frozenset({"net/http.StatusText"})


def is_constant(target: str) -> bool:
    """`importpath.Name` is a constant of that package."""
    if target in _NOT_CONSTANT:
        return False
    if target in _CONSTANTS:
        return True
    if target.startswith("reflect."):
        return target.removeprefix("reflect.") in _REFLECT_KINDS
    return target.startswith(_CONSTANT_PREFIXES) and target.rpartition(".")[2][:1].isupper()


_REFLECT_KINDS = frozenset(
    {
        "Invalid", "Bool", "Int", "Int8", "Int16", "Int32", "Int64", "Uint", "Uint8", "Uint16", "Uint32",
        "Uint64", "Uintptr", "Float32", "Float64", "Complex64", "Complex128", "Array", "Chan", "Func",
        "Interface", "Map", "Pointer", "Ptr", "Slice", "String", "Struct", "UnsafePointer",
    }
)  # fmt: skip


@cache
def function_result(target: str) -> GoType | None:
    spec = _FUNCTIONS.get(target)
    return parse_type(spec) if spec and spec != "untyped" else None


@cache
def method_result(receiver: str, method: str) -> GoType | None:
    spec = _METHODS.get(f"{receiver}.{method}")
    return parse_type(spec) if spec else None


@cache
def field_type(receiver: str, field: str) -> GoType | None:
    spec = _FIELDS.get(f"{receiver}.{field}")
    return parse_type(spec) if spec else None


@cache
def variable_type(target: str) -> GoType | None:
    """The type of a package-level variable `importpath.Name`, when listed."""
    spec = _VARIABLES.get(target)
    return parse_type(spec) if spec else None
