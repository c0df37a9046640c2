"""Compares two updates of the same metadata (wptsync's and wptrunner's; see benchmarks/metadata.py).

Works on the JSON that `metadata_wptrunner.py dump` prints for a metadata tree: per .ini file, its
text and its sections, each with its keys as `[condition, value]` branches and its `expected` and
`disabled` values in each configuration. A difference is either in the expectations (a test or
subtest expected differently in some configuration that was run: the results differ) or only in how
the same expectations are written (other conditions, another order, other text).
"""
from collections import defaultdict

EXAMPLES = 3


def sections(files):
    """{(file, test[, subtest]): section} for every test and subtest section."""
    found = {}
    for path, root in files.items():
        for test, section in root["sections"].items():
            found[(path, test)] = section
            for subtest, inner in section["sections"].items():
                found[(path, test, subtest)] = inner
    return found


def effective(section, index, key, default):
    value = section["in"][index][key] if section else None
    if isinstance(value, list) and len(value) == 1:
        value = value[0]
    return default if value is None else value


def show(value):
    return "[" + ", ".join(value) + "]" if isinstance(value, list) else str(value)


def branches(section, key):
    return [(condition, tuple(value) if isinstance(value, list) else value)
            for condition, value in (section["keys"].get(key, []) if section else [])]


def terms(branch):
    """A branch with its condition's top-level `and` terms sorted (conditions that are plain conjunctions)."""
    condition, value = branch
    if condition is None or " or " in condition:
        return branch
    return (tuple(sorted(term.strip("()") for term in condition.split(" and "))), value)


def written_kind(ours, theirs):
    """Why two sections with the same expectations differ in writing, or None when they do not."""
    kinds = []
    for key in sorted(set(ours["keys"] if ours else ()) | set(theirs["keys"] if theirs else ())):
        mine, other = branches(ours, key), branches(theirs, key)
        if mine == other:
            continue
        if sorted(mine, key=repr) == sorted(other, key=repr):
            kinds.append(f"`{key}`: the same branches in another order")
        elif sorted(map(terms, mine), key=repr) == sorted(map(terms, other), key=repr):
            kinds.append(f"`{key}`: the same conditions with their `and` terms in another order"
                         + ("" if [terms(b) for b in mine] == [terms(b) for b in other] else ", branches too"))
        elif [c for c, _ in mine] == [c for c, _ in other] and all(
                sorted(a) == sorted(b) for (_, a), (_, b) in zip(mine, other) if isinstance(a, tuple) and isinstance(b, tuple)):
            kinds.append(f"`{key}`: an intermittent list in another order")
        elif not mine or not other:
            kinds.append(f"`{key}`: only {'wptrunner' if not mine else 'wptsync'} writes it (same meaning)")
        else:
            defaults = [dict(branches_).get(None) for branches_ in (mine, other)]
            kinds.append(f"`{key}`: other conditions, the same value in every configuration run"
                         + (", another default" if defaults[0] != defaults[1] else ""))
    if not kinds and (ours is None) != (theirs is None):
        kinds.append(f"an empty section kept only by {'wptsync' if ours else 'wptrunner'}")
    return "; ".join(kinds) or None


def report(before, ours, theirs, configurations):
    """The differences between `ours` and `theirs`, grouped by kind, with a few examples of each."""
    labels = [f"{c['os']}{c['bits'] if c['os'] == 'win' else ''} {'debug' if c['debug'] else 'opt'}" for c in configurations]
    old, mine, other = sections(before), sections(ours), sections(theirs)
    groups = defaultdict(list)
    for name in sorted(set(mine) | set(other)):
        a, b = mine.get(name), other.get(name)
        default = "OK" if len(name) == 2 else "PASS"
        differing = []
        for index, label in enumerate(labels):
            for key, key_default in (("expected", default), ("disabled", None)):
                x, y = effective(a, index, key, key_default), effective(b, index, key, key_default)
                if x != y:
                    differing.append((label, key, x, y))
        if differing:
            keys = sorted({key for _, key, _, _ in differing})
            pairs = sorted({f"{show(x)} vs {show(y)}" for _, _, x, y in differing})
            kind = f"different {'/'.join(keys)} ({'subtest' if len(name) == 3 else 'test'}, wptsync vs wptrunner: {'; '.join(pairs)})"
            detail = ", ".join(f"{label}: {show(x)} vs {show(y)}" for label, _, x, y in differing)
        else:
            kind = written_kind(a, b)
            if kind is None:
                continue
            detail = ""
        was = " | ".join(f"if {c}: {show(v)}" if c else show(v) for c, v in branches(old.get(name), "expected")) or "-"
        groups[kind].append((name, detail, was, branches(a, "expected"), branches(b, "expected")))
    files = sorted(set(ours) | set(theirs))
    text_only = [path for path in files if path in ours and path in theirs and ours[path]["text"] != theirs[path]["text"]
                 and not any(name[0] == path for entries in groups.values() for name, *_ in entries)]
    presence = [path for path in files if (path in ours) != (path in theirs)]
    lines = [f"Compared {len(files)} metadata files ({len(set(mine) | set(other))} test and subtest sections) "
             f"over {len(labels)} configurations:"]
    if not groups and not text_only and not presence:
        lines.append("  the same expectations, written the same way")
    for kind, entries in sorted(groups.items(), key=lambda item: -len(item[1])):
        lines.append(f"- {len(entries)} section(s): {kind}")
        for name, detail, was, a, b in entries[:EXAMPLES]:
            lines.append(f"    {' / '.join(name)}" + (f": {detail}" if detail else ""))
            lines.append(f"      before: {was}")
            lines.append(f"      wptsync:   {a}")
            lines.append(f"      wptrunner: {b}")
    if presence:
        lines.append(f"- {len(presence)} file(s) present in only one result, e.g. " + ", ".join(
            f"{path} ({'wptsync' if path in ours else 'wptrunner'})" for path in presence[:EXAMPLES]))
    if text_only:
        lines.append(f"- {len(text_only)} file(s) with the same sections written differently (spacing, comments, order), e.g. "
                     + ", ".join(text_only[:EXAMPLES]))
    return "\n".join(lines)
