#!/usr/bin/env python3
"""Checks the links of the repository's documentation: README.md and every docs/*.md.

Every relative link (``[text](path)``, ``[text](path#anchor)``, ``[label]: path``) must name
a file or directory that exists inside the repository, and an anchor into a Markdown file
must be one of that file's headings (GitHub's slugs). A path that leaves the repository
(``../shared/...``, which a clone does not have) is an error even when it happens to exist
on this machine; so is the text ``../shared/`` anywhere in those files. Web links
(``https://``, ``mailto:``) are not fetched.

Usage: python3 scripts/check_links.py [ROOT]   (ROOT: the repository, default: this one)
Prints one line per broken link (file:line: link: why) and exits 1 when there is any.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from pathlib import Path

# [text](target) or [text](target "title"); images too (![alt](target)).
INLINE = re.compile(r"!?\[(?:[^\]\\]|\\.)*\]\(\s*<?([^)\s>]*)>?(?:\s+\"[^\"]*\")?\s*\)")
# [label]: target
DEFINITION = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+.*)?$")
HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
FENCE = re.compile(r"^\s{0,3}(```|~~~)")
EXTERNAL = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


def doc_files(root: Path) -> list[Path]:
    """README.md and every Markdown file under docs/, in a stable order."""
    files = [root / "README.md"] if (root / "README.md").is_file() else []
    docs = root / "docs"
    if docs.is_dir():
        files += sorted(p for p in docs.rglob("*.md") if p.is_file())
    return files


def slug(heading: str) -> str:
    """GitHub's anchor of a heading: lower case, markup and punctuation dropped, spaces
    as hyphens (accented letters are kept)."""
    text = re.sub(r"`([^`]*)`", r"\1", heading)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = unicodedata.normalize("NFC", text).strip().lower()
    out = []
    for ch in text:
        if ch.isalnum() or ch in "-_":
            out.append(ch)
        elif ch == " ":
            out.append("-")
    return "".join(out)


def anchors(path: Path) -> set[str]:
    """The anchors of a Markdown file's headings (repeats get -1, -2... as on GitHub)."""
    seen: dict[str, int] = {}
    result = set()
    in_fence = False
    for line in path.read_text(encoding="utf-8").splitlines():
        if FENCE.match(line):
            in_fence = not in_fence
            continue
        m = None if in_fence else HEADING.match(line)
        if m:
            s = slug(m.group(2))
            n = seen.get(s, 0)
            seen[s] = n + 1
            result.add(s if n == 0 else f"{s}-{n}")
    return result


def links(path: Path) -> list[tuple[int, str]]:
    """(line, target) of every link of a Markdown file, outside code blocks and spans."""
    found = []
    in_fence = False
    for no, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if FENCE.match(line):
            in_fence = not in_fence
            continue
        if in_fence:
            continue
        bare = re.sub(r"`[^`]*`", "", line)
        found += [(no, m.group(1)) for m in INLINE.finditer(bare)]
        m = DEFINITION.match(bare)
        if m:
            found.append((no, m.group(1)))
    return found


def check_link(root: Path, source: Path, target: str) -> str | None:
    """Why a link is broken, or None."""
    if not target:
        return "empty link"
    if EXTERNAL.match(target):
        return None
    file_part, _, anchor = target.partition("#")
    if file_part.startswith("/"):
        return "absolute path (write it relative to the file)"
    dest = (source.parent / file_part).resolve() if file_part else source.resolve()
    try:
        dest.relative_to(root.resolve())
    except ValueError:
        return "leaves the repository"
    if not dest.exists():
        return "no such file in the repository"
    if anchor:
        if dest.is_dir() or dest.suffix.lower() != ".md":
            return "anchor into a file that is not Markdown"
        if anchor not in anchors(dest):
            return f"no heading #{anchor} in {dest.relative_to(root.resolve())}"
    return None


def check(root: Path) -> list[str]:
    """Every problem found, as `file:line: link: why`."""
    problems = []
    root = root.resolve()
    for f in doc_files(root):
        rel = f.relative_to(root)
        for no, line in enumerate(f.read_text(encoding="utf-8").splitlines(), 1):
            if "../shared/" in line:
                problems.append(f"{rel}:{no}: ../shared/: a file outside the repository")
        for no, target in links(f):
            why = check_link(root, f, target)
            if why:
                problems.append(f"{rel}:{no}: {target}: {why}")
    return problems


def main(argv: list[str]) -> int:
    root = Path(argv[1]) if len(argv) > 1 else Path(__file__).resolve().parent.parent
    files = doc_files(root)
    problems = check(root)
    for p in problems:
        print(p)
    print(f"check_links: {len(files)} files, {len(problems)} broken links")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
