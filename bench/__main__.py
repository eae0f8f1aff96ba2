"""`python -m bench`: run every benchmark module there is and write its section of BENCHMARKS.md.

A benchmark module has ``run() -> dict`` (figures) and ``report(figures) -> str`` (Markdown). Its section
of BENCHMARKS.md lies between ``<!-- bench:NAME -->`` and ``<!-- /bench:NAME -->`` and is replaced on
each run; the rest of the file is left as it is. A module that fails leaves its old section and the
run ends with a non-zero status.

    .venv/bin/python -m bench                 # every module
    .venv/bin/python -m bench search          # only some
"""

import importlib
import importlib.util
import json
import re
import sys
import traceback
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCHMARKS = ROOT / "BENCHMARKS.md"
# In this order; a module that is not there yet is skipped.
MODULES = ["search", "oruk_import", "deadline_spike"]


def main(argv: list[str]) -> int:
    names = argv or MODULES
    failed = []
    for name in names:
        if importlib.util.find_spec(f"bench.{name}") is None:
            print(f"bench.{name}: not there, skipped")
            continue
        module = importlib.import_module(f"bench.{name}")
        print(f"bench.{name}: running", flush=True)
        try:
            figures = module.run()
            text = module.report(figures)
        except Exception:
            traceback.print_exc()
            failed.append(name)
            continue
        print(text, flush=True)
        (ROOT / "var").mkdir(exist_ok=True)
        (ROOT / "var" / f"bench-{name}.json").write_text(json.dumps(figures, indent=2, default=str))
        write_section(name, f"_Measured on {date.today():%-d %B %Y} by `make bench`._\n\n{text}")
    if failed:
        print(f"Failed: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


def write_section(name: str, text: str) -> None:
    start, end = f"<!-- bench:{name} -->", f"<!-- /bench:{name} -->"
    content = BENCHMARKS.read_text() if BENCHMARKS.exists() else "# Benchmarks\n"
    block = f"{start}\n{text.strip()}\n{end}"
    pattern = re.compile(re.escape(start) + r".*?" + re.escape(end), re.S)
    if pattern.search(content):
        content = pattern.sub(lambda _match: block, content)
    else:
        content = content.rstrip() + f"\n\n## {name}\n\n{block}\n"
    BENCHMARKS.write_text(content)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
