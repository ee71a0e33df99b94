"""Fill Russian translations into an app's catalogue.

    uv run python scripts/po_fill.py APP            # print untranslated msgids as JSON
    uv run python scripts/po_fill.py APP FILE.json  # apply {"msgid": "перевод" | ["форма1", "форма2", "форма3"]}
Run scripts/i18n APP afterwards to compile (and to check that nothing is left).
"""

import json
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent / "src" / "otmetka"


def main() -> None:
    app = sys.argv[1]
    po = polib.pofile(str(ROOT / app / "locale" / "ru" / "LC_MESSAGES" / "django.po"))
    if len(sys.argv) == 2:
        todo = {e.msgid: (["", "", ""] if e.msgid_plural else "")
                for e in po if not e.translated() and not e.obsolete}
        print(json.dumps(todo, ensure_ascii=False, indent=1))
        return
    mapping = json.loads(Path(sys.argv[2]).read_text(encoding="utf-8"))
    for entry in po:
        if entry.msgid in mapping:
            value = mapping[entry.msgid]
            if entry.msgid_plural:
                entry.msgstr_plural = dict(enumerate(value))
            else:
                entry.msgstr = value
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
    po.metadata["Plural-Forms"] = (
        "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && "
        "(n%100<10 || n%100>=20) ? 1 : 2);"
    )
    po.metadata["Content-Type"] = "text/plain; charset=UTF-8"
    po.save()


if __name__ == "__main__":
    main()
