#!/usr/bin/env python3
"""The link checker's own test: a small repository with good and broken links, each broken
one found with its line, the good ones not. Usage: python3 scripts/test_check_links.py"""

from __future__ import annotations

import sys
import tempfile
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import check_links  # noqa: E402


class CheckLinks(unittest.TestCase):
    def setUp(self) -> None:
        self.tmp = tempfile.TemporaryDirectory()
        base = Path(self.tmp.name)
        self.root = base / "repo"
        (self.root / "docs").mkdir(parents=True)
        (base / "outside.md").write_text("# Outside\n", encoding="utf-8")
        (self.root / "LICENSE").write_text("x\n", encoding="utf-8")
        (self.root / "docs" / "a.md").write_text(
            "# Règles de l'entreprise\n\n## `fiscal_years[]`\n\n## Same\n\n## Same\n",
            encoding="utf-8",
        )

    def tearDown(self) -> None:
        self.tmp.cleanup()

    def write_readme(self, text: str) -> list[str]:
        (self.root / "README.md").write_text(text, encoding="utf-8")
        return check_links.check(self.root)

    def test_good_links_pass(self) -> None:
        text = "\n".join(
            [
                "[a](docs/a.md) [lic](LICENSE) [dir](docs/) [web](https://example.org/x)",
                "[anchor](docs/a.md#règles-de-lentreprise) [code](docs/a.md#fiscal_years)",
                "[repeat](docs/a.md#same-1) [self](#title)",
                "[ref]: docs/a.md",
                "```",
                "[not a link](nowhere.md)",
                "```",
                "`[in code](nowhere.md)`",
                "# Title",
            ]
        )
        self.assertEqual(self.write_readme(text), [])

    def test_each_broken_link_is_found_with_its_line(self) -> None:
        text = "\n".join(
            [
                "[missing](docs/missing.md)",
                "[out](../outside.md)",
                "[anchor](docs/a.md#nope)",
                "[abs](/etc/passwd)",
                "[ref]: docs/none.md",
                "see ../shared/spec/x.md",
            ]
        )
        problems = self.write_readme(text)
        self.assertEqual(len(problems), 6, problems)
        for line, why in [
            (1, "no such file"),
            (2, "leaves the repository"),
            (3, "no heading #nope"),
            (4, "absolute path"),
            (5, "no such file"),
            (6, "outside the repository"),
        ]:
            self.assertTrue(
                any(p.startswith(f"README.md:{line}:") and why in p for p in problems),
                (line, why, problems),
            )

    def test_docs_files_are_checked_too(self) -> None:
        (self.root / "docs" / "b.md").write_text("[x](a.md) [y](c.md)\n", encoding="utf-8")
        self.assertEqual(
            check_links.check(self.root),
            ["docs/b.md:1: c.md: no such file in the repository"],
        )

    def test_slugs(self) -> None:
        self.assertEqual(check_links.slug("Exit codes: 0 to 3"), "exit-codes-0-to-3")
        self.assertEqual(check_links.slug("`entries[]` extras"), "entries-extras")
        self.assertEqual(check_links.slug("L'exercice 2025"), "lexercice-2025")


if __name__ == "__main__":
    unittest.main()
