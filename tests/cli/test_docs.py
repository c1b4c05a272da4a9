#!/usr/bin/env python3
"""docs/cli.md and the man page generated from it document the tool as it
is: every command `nearjob --help` lists has its section in both, every
option its `--help` prints is described there (and the help fits 79
columns), and every exit status is listed. The page renders without a groff warning (where groff is).

usage: test_docs.py NEARJOB_EXECUTABLE DOCS_CLI_MD NEARJOB_1
"""
import os
import re
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cli_check  # noqa: E402

EXE, MARKDOWN, MAN = sys.argv[1:4]
run = cli_check.runner(EXE)
check = cli_check.check


def commands():
    """The commands of `nearjob --help`: the lines under "Commands:"."""
    out = run("--help").stdout
    block = out.split("Commands:\n", 1)[1].split("\n\n", 1)[0]
    return [line.split()[0] for line in block.splitlines()]


def long_options(command):
    out = run(command, "--help").stdout
    return sorted(set(re.findall(r"(?<![\w-])(--[a-z][a-z-]*)", out)) - {"--help"})


def sections(text, pattern):
    """{command: its section} for headings matching pattern (group 1 the
    command), each running to the next heading of that kind or above."""
    found = {}
    heads = list(re.finditer(pattern, text, re.M))
    for k, m in enumerate(heads):
        end = heads[k + 1].start() if k + 1 < len(heads) else len(text)
        found[m.group(1)] = text[m.end():end]
    return found


def main():
    with open(MARKDOWN, encoding="utf-8") as f:
        md = f.read()
    with open(MAN, encoding="utf-8") as f:
        man = f.read()
    listed = commands()
    check(len(listed) == 11, f"nearjob --help lists the eleven commands: {listed}")
    md_sections = sections(md, r"^### nearjob (\w+)\n")
    man_sections = sections(man, r'^\.SS "nearjob (\w+)"\n')
    # The last command's section must stop at the next .SH / ## heading.
    for table, cut in ((md_sections, "\n## "), (man_sections, "\n.SH ")):
        for k in table:
            table[k] = table[k].split(cut, 1)[0]
    for command in listed:
        check(command in md_sections, f"docs/cli.md has '### nearjob {command}'")
        check(command in man_sections, f"nearjob.1 has '.SS \"nearjob {command}\"'")
        for option in long_options(command):
            check(f"`{option}" in md_sections.get(command, ""),
                  f"docs/cli.md's {command} section describes {option}")
            check(option.replace("-", "\\-") in man_sections.get(command, ""),
                  f"nearjob.1's {command} section describes {option}")
        usage = run(command, "--help")
        check(usage.returncode == 0 and usage.stdout.startswith(f"usage: nearjob {command}"),
              f"nearjob {command} --help")
        wide = [line for line in usage.stdout.splitlines() if len(line) > 79]
        check(not wide, f"nearjob {command} --help fits 79 columns: {wide}")
    check(set(md_sections) == set(listed), f"no stale section: {sorted(md_sections)}")
    status = md.split("## Exit status\n", 1)[-1].split("\n## ", 1)[0]
    for code in range(5):
        check(f"- `{code}`:" in status, f"docs/cli.md lists exit status {code}")
        check(f"\\fB{code}\\fR" in man.split(".SH EXIT STATUS", 1)[-1],
              f"nearjob.1 lists exit status {code}")
    check(man.startswith('.\\" -*- coding: utf-8 -*-') and ".TH NEARJOB 1" in man,
          "a man(7) page in UTF-8")
    groff = shutil.which("groff")
    if groff:
        r = subprocess.run([groff, "-k", "-man", "-Tutf8", "-ww", "-z", MAN],
                           capture_output=True, text=True, timeout=60)
        check(r.returncode == 0 and r.stderr == "", f"groff renders it cleanly: {r.stderr}")
        text = subprocess.run([groff, "-k", "-man", "-Tutf8", MAN], capture_output=True,
                              text=True, timeout=60).stdout
        check("송정1동" in text and "--snapshot" in re.sub(r".\x08", "", text),
              "the rendered page has the Korean names and the options")
    else:
        print("groff not installed: the rendering check is skipped")
    return cli_check.finish()


if __name__ == "__main__":
    sys.exit(main())
