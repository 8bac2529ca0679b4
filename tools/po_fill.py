"""Fill msgstr entries of a gettext catalogue from a table, dropping fuzzy flags on them.

Used to keep the public languages' catalogues (issue #14): `tools/public_catalogues.py`.
`fill(path, table)` where table maps msgid (or (msgctxt, msgid)) to the translation.
"""

import ast
import re
from pathlib import Path


def _unquote(lines):
    return "".join(ast.literal_eval(line) for line in lines)


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _store(entry: dict, key: str | None, buffer: list[str]) -> None:
    if key is None:
        return
    text = _unquote(buffer)
    if key.startswith("msgstr["):
        entry["plural"][int(key[7:-1])] = text
    else:
        entry[key] = text


def parse(path: Path) -> list[dict]:
    """Entries as dicts: comments (list), msgctxt, msgid, msgid_plural, msgstr, plural."""
    entries = []
    text = Path(path).read_text(encoding="utf-8").strip()
    for block in re.split(r"\n\s*\n", text):
        entry = {
            "comments": [],
            "msgctxt": None,
            "msgid": None,
            "msgid_plural": None,
            "msgstr": None,
            "plural": {},
        }
        key, buffer = None, []
        for line in block.splitlines():
            if line.startswith("#"):
                entry["comments"].append(line)
                continue
            match = re.match(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+(".*")$', line)
            if match:
                _store(entry, key, buffer)
                key, buffer = match.group(1), [match.group(2)]
            elif line.startswith('"'):
                buffer.append(line)
        _store(entry, key, buffer)
        entries.append(entry)
    return entries


def write(path: Path, entries: list[dict]) -> None:
    out = []
    for entry in entries:
        lines = list(entry["comments"])
        if entry["msgctxt"] is not None:
            lines.append("msgctxt " + _quote(entry["msgctxt"]))
        if entry["msgid"] == "" and entry["msgstr"] is not None:
            lines.append('msgid ""')
            lines.append('msgstr ""')
            lines.extend(_quote(part) for part in entry["msgstr"].splitlines(keepends=True))
            out.append("\n".join(lines))
            continue
        lines.append("msgid " + _quote(entry["msgid"]))
        if entry["msgid_plural"] is not None:
            lines.append("msgid_plural " + _quote(entry["msgid_plural"]))
            for index in sorted(entry["plural"]):
                lines.append(f"msgstr[{index}] " + _quote(entry["plural"][index]))
        else:
            lines.append("msgstr " + _quote(entry["msgstr"] or ""))
        out.append("\n".join(lines))
    Path(path).write_text("\n\n".join(out) + "\n", encoding="utf-8")


def fill(path, table: dict) -> list[str]:
    """Set translations from `table`; returns the msgids still untranslated."""
    entries = parse(path)
    missing = []
    for entry in entries:
        if entry["msgid"] in (None, ""):
            continue
        value = table.get((entry["msgctxt"], entry["msgid"]), table.get(entry["msgid"]))
        if (
            value is not None
            and entry["msgctxt"] is not None
            and (entry["msgctxt"], entry["msgid"]) not in table
            and entry["msgid"] in table
        ):
            value = table[entry["msgid"]]
        if value is not None:
            if entry["msgid_plural"] is not None:
                values = value if isinstance(value, list | tuple) else [value]
                entry["plural"] = dict(enumerate(values))
            else:
                entry["msgstr"] = value
            entry["comments"] = [c for c in entry["comments"] if not c.startswith("#|")]
            entry["comments"] = [
                re.sub(r",\s*fuzzy", "", c) if c.startswith("#,") else c for c in entry["comments"]
            ]
            entry["comments"] = [c for c in entry["comments"] if c.strip() != "#,"]
        is_fuzzy = any(c.startswith("#,") and "fuzzy" in c for c in entry["comments"])
        empty = (
            (not entry["msgstr"])
            if entry["msgid_plural"] is None
            else not all(entry["plural"].values())
        )
        if empty or is_fuzzy:
            missing.append(entry["msgid"])
    write(path, entries)
    return missing
