"""The small tree the first-contact transcript runs on: a package in a directory with brackets in its
name (`pkg [v2]`), findings on lines 100 and above, messages with colons, and source and comments full
of what rich would read as markup or emoji codes (`[bold]`, `:fire:`, `:100:`)."""

from __future__ import annotations

from pathlib import Path

PKG = "pkg [v2]"


def deep_go() -> str:
    lines = ["package deep", "", "import (", '\t"fmt"', '\t"os"', ")", ""]
    while len(lines) < 90:
        lines.append(f"// filler line {len(lines) + 1}: [bold]not markup[/bold] :fire:")
    lines += [
        "var global *[]string",
        "",
        "// closeAll: a defer in the loop below waits for the function's end :fire: [bold]x[/bold]",
        "func closeAll(names []string) {",
        "\tfor _, n := range names {",
        "\t\tf, err := os.Open(n) // [bold]:fire: not an emoji[/bold]",
        "\t\tif err != nil {",
        "\t\t\tcontinue",
        "\t\t}",
        "\t\tdefer f.Close() // :100: [red]",
        "\t}",
        "}",
        "",
        "func keep(names []string) {",
        "\tglobal = &names",
        "}",
        "",
        "func read() int { return len(*global) }",
        "",
        'func label(n int) string { return fmt.Sprintf("%d", n) }',
        "",
        'func show() { fmt.Println(":fire: [bold]") }',
    ]
    return "\n".join(lines) + "\n"


def make(root: Path) -> Path:
    (root / "go.mod").write_text("module example.com/proj\n\ngo 1.22\n")
    (root / PKG).mkdir()
    (root / PKG / "deep.go").write_text(deep_go())
    return root
