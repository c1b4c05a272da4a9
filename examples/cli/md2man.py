#!/usr/bin/env python3
"""Turn docs/cli.md into the man page nearjob.1 (troff, man macros).

usage: md2man.py INPUT.md OUTPUT.1 VERSION

Meson runs this at build time, so the page and docs/cli.md cannot drift
apart. It reads the Markdown that docs/cli.md uses and nothing more:

- "# name: summary" (the first line) gives .TH and the NAME section;
  the paragraphs before the first "##" become DESCRIPTION;
- "## Title" is .SH TITLE, "### Title" is .SS;
- fenced code blocks are indented, unfilled examples;
- "- `term`...: text" items become tagged paragraphs (.TP), other "- "
  items bullets; an item continues on lines indented by two spaces;
- inline `code` is bold (with "-" as the \\- that man pages want for
  options), **bold** bold, *emphasis* italic, [text](url) its text.

Anything else (tables, HTML, nested lists) is an error, so a new
construct in docs/cli.md fails the build instead of rendering wrongly.
"""
import re
import sys


def escape(text):
    """Troff-escape plain text: backslashes; leading dots and quotes are
    handled per line by `line()`."""
    return text.replace("\\", "\\e")


def inline(text):
    """Markdown inline markup to troff fonts."""
    out, pos = [], 0
    for m in re.finditer(r"`([^`]+)`", text):
        out.append(inline_plain(text[pos:m.start()]))
        out.append("\\fB" + escape(m.group(1)).replace("-", "\\-") + "\\fR")
        pos = m.end()
    out.append(inline_plain(text[pos:]))
    return "".join(out)


def inline_plain(text):
    text = escape(text)
    text = re.sub(r"\[([^\]]+)\]\((https?://[^)]+)\)", r"\1 <\2>", text)
    text = re.sub(r"\[([^\]]+)\]\([^)]+\)", r"\1", text)
    text = re.sub(r"\*\*([^*]+)\*\*", r"\\fB\1\\fR", text)
    text = re.sub(r"(?<![\w*])\*([^*\s][^*]*)\*(?![\w*])", r"\\fI\1\\fR", text)
    if "*" in text:
        raise ValueError(f"unbalanced emphasis: {text!r}")
    return text


def line(text):
    """A line of troff input: a leading . or ' would be a request."""
    return "\\&" + text if text[:1] in (".", "'") else text


def plain_heading(text):
    return re.sub(r"[`*]", "", text).replace('"', "")


class Page:
    def __init__(self, version):
        self.out = []
        self.version = version

    def emit(self, text):
        self.out.append(text)

    def title(self, text):
        name, _, summary = text.partition(": ")
        self.emit('.\\" -*- coding: utf-8 -*-')
        self.emit(".\\\" Generated from docs/cli.md by examples/cli/md2man.py; edit that file.")
        self.emit(f'.TH NEARJOB 1 "" "nearjob {self.version}" "nearjob manual"')
        self.emit(".SH NAME")
        self.emit(f"{name} \\- {escape(summary)}")
        self.emit(".SH DESCRIPTION")

    def text(self, lines):
        """Lines of running text; markup may span them."""
        for text in inline("\n".join(lines)).split("\n"):
            if text:
                self.emit(line(text))

    def paragraph(self, lines):
        self.emit(".PP")
        self.text(lines)

    def code(self, lines):
        self.emit(".PP")
        self.emit(".RS 4")
        self.emit(".nf")
        for text in lines:
            self.emit(line(escape(text).replace("-", "\\-")))
        self.emit(".fi")
        self.emit(".RE")

    def item(self, lines):
        first = lines[0]
        m = re.match(r"((?:`[^`]+`(?:, )?)+)(?::| \(([^)]*)\):)\s*(.*)", first)
        if m:
            term = inline(m.group(1).rstrip(", "))
            if m.group(2):
                term += " (" + inline(m.group(2)) + ")"
            self.emit(".TP")
            self.emit(line(term))
            body = [m.group(3)] + lines[1:]
        else:
            self.emit(".IP \\(bu 2")
            body = lines
        self.text(body)


def convert(md, version):
    page = Page(version)
    lines = md.split("\n")
    if not lines[0].startswith("# "):
        raise ValueError("the first line must be the '# name: summary' title")
    page.title(lines[0][2:])
    i, n = 1, len(lines)
    while i < n:
        text = lines[i]
        if not text.strip():
            i += 1
        elif text.startswith("```"):
            j = i + 1
            while j < n and not lines[j].startswith("```"):
                j += 1
            if j == n:
                raise ValueError(f"line {i + 1}: unclosed code block")
            page.code(lines[i + 1:j])
            i = j + 1
        elif text.startswith("### "):
            page.emit(f'.SS "{plain_heading(text[4:])}"')
            i += 1
        elif text.startswith("## "):
            page.emit(f".SH {plain_heading(text[3:]).upper()}")
            i += 1
        elif text.startswith("- "):
            j = i + 1
            while j < n and lines[j].startswith("  ") and lines[j].strip():
                j += 1
            page.item([text[2:]] + [t.strip() for t in lines[i + 1:j]])
            i = j
        elif text.startswith(("#", "|", "<", " ", "\t", "* ", "1. ")):
            raise ValueError(f"line {i + 1}: unsupported Markdown: {text!r}")
        else:
            j = i
            while j < n and lines[j].strip() and not lines[j].startswith(
                    ("#", "```", "- ", "|")):
                j += 1
            page.paragraph(lines[i:j])
            i = j
    return "\n".join(page.out) + "\n"


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__.split("\n\n")[1])
    src, dst, version = sys.argv[1:]
    with open(src, encoding="utf-8") as f:
        md = f.read()
    try:
        page = convert(md, version)
    except ValueError as e:
        sys.exit(f"{src}: {e}")
    with open(dst, "w", encoding="utf-8") as f:
        f.write(page)


if __name__ == "__main__":
    main()
