"""Shared by the CLI tests (test_demo.py, test_report*.py): failure
collection, and the HTML report's expected numbers, labels and parser."""
import html.parser

failures = []


def check(condition, what):
    """Record (and print) a failed check; the test goes on."""
    if not condition:
        failures.append(what)
        print("FAIL:", what)


def finish():
    """The test's exit status: 0 when every check passed."""
    if failures:
        print(f"{len(failures)} check(s) failed")
        return 1
    print("ok")
    return 0


# Figures of the demo round (default seed) that the page must show.
KEY_NUMBERS = ["363", "2,535", "6.98", "257,449,400", "110.0%", "118.3%",
               "19,833", "18,032", "17,400", "14,707", "8명", "140시간 1분"]
KOREAN_LABELS = ["광산구", "목표", "실적", "달성률", "경쟁률", "행정동", "선발",
                 "수당 지급액", "상한 도달", "송정1동", "지역아동센터"]

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link",
        "meta", "source", "track", "wbr"}


class Balance(html.parser.HTMLParser):
    """Counts tags; every non-void start tag must be closed in order."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.errors, self.tags, self.text = [], [], {}, []

    def handle_starttag(self, tag, attrs):
        self.tags[tag] = self.tags.get(tag, 0) + 1
        if tag not in VOID:
            self.stack.append((tag, self.getpos()))

    def handle_startendtag(self, tag, attrs):
        self.tags[tag] = self.tags.get(tag, 0) + 1

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1][0] != tag:
            self.errors.append(f"</{tag}> at {self.getpos()} closes "
                               f"{self.stack[-1] if self.stack else 'nothing'}")
            return
        self.stack.pop()

    def handle_data(self, data):
        self.text.append(data)


def parse(page):
    p = Balance()
    p.feed(page)
    p.close()
    if p.stack:
        p.errors.append(f"unclosed: {p.stack}")
    return p


def missing(text, needles):
    return [n for n in needles if n not in text]
